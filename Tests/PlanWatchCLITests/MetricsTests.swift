import Foundation
import Testing

/// Issue 14, item 3: the metrics file for node_exporter's textfile collector, written by the daemon after every
/// evaluation and ingest (aside, then renamed).
@Suite("metrics textfile", .serialized)
struct MetricsTests {
    /// The file's samples as `name{labels} value` → value.
    static func samples(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " ") else { continue }
            result[String(line[..<space])] = String(line[line.index(after: space)...])
        }
        return result
    }

    @Test func theDaemonWritesEveryTargetsStateAndNumbersAndTheIngestTotals() throws {
        try withCLI { cli in
            let metrics = cli.directory.appending(path: "textfile/planwatch.prom")
            try FileManager.default.createDirectory(at: metrics.deletingLastPathComponent(), withIntermediateDirectories: true)
            try cli.write("planwatch.yaml", "plans: \(CLIRunner.repository.appending(path: "seeds/plans.d").path)\nmetrics:\n  textfile: textfile/planwatch.prom\n")
            let daemon = try DaemonProcess(cli, extra: ["--config", "planwatch.yaml"])
            try daemon.waitUntilReady()
            try wait("the first metrics") { FileManager.default.fileExists(atPath: metrics.path) }
            let first = Self.samples(try String(contentsOf: metrics, encoding: .utf8))
            let anhui = #"{plan="central-region-2021",target="anhui-urbanization-1pp",region="CN-AH",indicator="urbanization_rate""#
            #expect(first["planwatch_target_state\(anhui),state=\"insufficient_data\"}"] == "1.0")
            #expect(first["planwatch_target_state\(anhui),state=\"on_track\"}"] == "0.0")
            #expect(first["planwatch_target_deadline_year\(anhui)}"] == "2025.0")
            #expect(first["planwatch_files_total{outcome=\"ingested\"}"] == "0")
            // 35 targets × 7 states, and a stale flag each.
            #expect(first.keys.filter { $0.hasPrefix("planwatch_target_state{") }.count == 245)
            #expect(first.keys.filter { $0.hasPrefix("planwatch_target_stale{") }.count == 35)
            #expect(first["planwatch_target_stale\(anhui)}"] == "0.0")

            try daemon.drop("anhui.csv", DaemonTests.anhui)
            // The file's totals at once; its targets' figures once the inbox has settled (schedule.settle).
            try wait("the metrics of the drop") {
                let samples = Self.samples((try? String(contentsOf: metrics, encoding: .utf8)) ?? "")
                return samples["planwatch_files_total{outcome=\"ingested\"}"] == "1"
                    && samples["planwatch_target_state\(anhui),state=\"on_track\"}"] == "1.0"
            }
            let after = Self.samples(try String(contentsOf: metrics, encoding: .utf8))
            #expect(after["planwatch_rows_total{outcome=\"new\"}"] == "5")
            #expect(after["planwatch_target_state\(anhui),state=\"insufficient_data\"}"] == "0.0")
            // 1.06 a year on average against 1 (on track); as of today the 2025 figure is overdue: flagged stale beside it.
            #expect(after["planwatch_target_state\(anhui),state=\"on_track\"}"] == "1.0")
            #expect(after["planwatch_target_stale\(anhui)}"] == "1.0")
            #expect(after["planwatch_target_time_elapsed_ratio\(anhui)}"] == nil, "no progress figures for annual_change")
            #expect(after["planwatch_target_latest_value\(anhui)}"] == "62.57")
            #expect(after["planwatch_target_latest_period_year\(anhui)}"] == "2024.0")
            #expect(after["planwatch_alerts_pending"] == "0.0")
            let evaluated = try #require(after["planwatch_last_evaluation_timestamp_seconds"].flatMap(Double.init))
            #expect(abs(evaluated - Date().timeIntervalSince1970) < 60)
            #expect(after["planwatch_last_ingest_timestamp_seconds"].flatMap(Double.init) != nil)
            // A rejected file is counted without an evaluation.
            try daemon.drop("bad.csv", "indicator,region,period,value\nurbanization_rate,CN-AH,2024,abc\n")
            try wait("the rejection counted") {
                Self.samples((try? String(contentsOf: metrics, encoding: .utf8)) ?? "")["planwatch_files_total{outcome=\"rejected\"}"] == "1"
            }
            #expect(try daemon.terminate() == 0)
            // Written aside and renamed: nothing else is left in the textfile folder.
            #expect(try FileManager.default.contentsOfDirectory(atPath: metrics.deletingLastPathComponent().path) == ["planwatch.prom"])
        }
    }

    @Test func aTextfileThatNodeExporterWouldIgnoreIsAConfigurationError() throws {
        try withCLI { cli in
            try cli.write("planwatch.yaml", "plans: \(CLIRunner.repository.appending(path: "seeds/plans.d").path)\nmetrics:\n  textfile: /var/lib/prometheus/node-exporter/planwatch.txt\n")
            let result = try cli.run(["check-config", "--config", "planwatch.yaml"])
            #expect(result.status == 1)
            #expect(result.stderr == "\(cli.directory.path)/planwatch.yaml:3: 'textfile' of 'metrics' is '/var/lib/prometheus/node-exporter/planwatch.txt'; node_exporter reads only files ending in .prom, e.g. /var/lib/prometheus/node-exporter/planwatch.prom\n1 problem found\n")
        }
    }

    /// Issue 14, item 5: a successful ingest is logged at notice with its counts; a file that stores nothing says
    /// why at warning.
    @Test func ingestsAreLoggedAtNoticeAndAFileThatStoresNothingSaysWhyAtWarning() throws {
        try withDaemon { daemon in
            try daemon.waitUntilReady()
            try daemon.drop("anhui.csv", DaemonTests.anhui)
            defer { if daemon.process.isRunning { print(daemon.stderr) } }
            try wait("the notice") { daemon.stderr.contains("<5>ingested anhui.csv: 5 values, 0 revised; moved to ") }
            // The same values again, in another file (other bytes: a trailing comment column): nothing stored.
            try daemon.drop("again.csv", DaemonTests.anhui.replacingOccurrences(of: "source\n", with: "source,note\n").replacingOccurrences(of: "Statistics\n", with: "Statistics,again\n"))
            try wait("the warning") { daemon.stderr.contains("<4>again.csv stored nothing: every value equals the one stored (5 values unchanged); moved to ") }
            try daemon.drop("copy.csv", DaemonTests.anhui)
            try wait("the duplicate's warning") { daemon.stderr.contains("<4>copy.csv stored nothing: its content is that of anhui.csv, ingested ") }
            #expect(try daemon.terminate() == 0)
        }
    }
}
