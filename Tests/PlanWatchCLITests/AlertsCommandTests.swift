import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite("planwatch alerts", .serialized)
struct AlertsCommandTests {
    /// The seed data ingested (its data alerts in a log of their own) and evaluated as of mid-2025 (recorded, not a
    /// what-if): a first-evaluation alert in the log for every target with data.
    static func evaluated() throws -> CLIRunner {
        let cli = try CLIRunner()
        try cli.storeSeedData(stateDirectory: "s")
        let result = try cli.run(["evaluate", "--state-dir", "s", "--log-dir", "log", "--as-of", "2025-06-30", "--record"])
        #expect(result.status == 0)
        // The 22 targets with figures; the 13 without any are not announced.
        #expect(result.stderr == "planwatch: 22 alerts written to \(cli.directory.path)/log/alerts.jsonl\n")
        return cli
    }

    @Test func filtersByPlanTargetRegionAndSeverity() throws {
        try withCLI(from: AlertsCommandTests.evaluated) { cli in
            let all = try cli.run(["alerts", "--log-dir", "log", "--json"])
            #expect(all.stdout.split(separator: "\n").count == 22)
            let plan = try cli.run(["alerts", "--log-dir", "log", "--json", "--plan", "hunan-jiangxi-zone-2021"])
            let targets = plan.stdout.split(separator: "\n").map { line in
                (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["target"] as? String
            }
            #expect(targets == [], "neither of the zone's targets has any data: nothing announced")
            let central = try cli.run(["alerts", "--log-dir", "log", "--json", "--plan", "anhui-development"])
            let anhui = central.stdout.split(separator: "\n").map { line in
                (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["target"] as? String
            }
            #expect(anhui == ["anhui-gdp-5tn", "anhui-auto-chain-20pct"])
            let atRisk = try cli.run(["alerts", "--log-dir", "log", "--target", "hubei-urbanization-1pp"])
            let row = try #require(atRisk.stdout.split(separator: "\n").first)
            #expect(row.hasSuffix("  warning   first_evaluation  hubei-urbanization-1pp  hubei-urbanization-1pp (CN-HB) is at_risk. "
                + "At risk: average change 0.87 a period since 2020 against 1 needed (1.19 in 2021, 0.58 in 2022, "
                + "0.81 in 2023, 0.88 in 2024). Source of the 2024 figure: Provincial bureaus of statistics."))
            let region = try cli.run(["alerts", "--log-dir", "log", "--json", "--region", "CN-AH"])
            #expect(region.stdout.split(separator: "\n").count == 4)
            let critical = try cli.run(["alerts", "--log-dir", "log", "--json", "--severity", "critical"])
            for line in critical.stdout.split(separator: "\n") {
                #expect((try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["severity"] as? String == "critical")
            }
            let future = try cli.run(["alerts", "--log-dir", "log", "--since", "2999-01-01"])
            #expect(future.stdout == "No alerts match.\n")
            let bad = try cli.run(["alerts", "--log-dir", "log", "--severity", "loud"])
            #expect(bad.status == 64)
            #expect(bad.stderr.hasPrefix("Error: --severity 'loud' is not a severity; use info, warning or critical\n"))
        }
    }

    @Test func evaluatingAgainRaisesNothingNewAndRotatedLogsAreRead() throws {
        try withCLI(from: AlertsCommandTests.evaluated) { cli in
            let again = try cli.run(["evaluate", "--state-dir", "s", "--log-dir", "log", "--as-of", "2025-06-30", "--record"])
            #expect(again.stderr == "", "unchanged states raise no alert")
            try FileManager.default.moveItem(
                at: cli.directory.appending(path: "log/alerts.jsonl"), to: cli.directory.appending(path: "log/alerts.jsonl.1"))
            // A year later the 2025 figures are overdue: stale alerts go to a fresh log; `alerts` reads both files.
            let later = try cli.run(["evaluate", "--state-dir", "s", "--log-dir", "log", "--as-of", "2026-06-30", "--record"])
            #expect(later.status == 0)
            let stale = try cli.run(["alerts", "--log-dir", "log", "--json", "--target", "anhui-urbanization-1pp"])
            let kinds = stale.stdout.split(separator: "\n").map { line in
                (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["kind"] as? String
            }
            #expect(kinds == ["first_evaluation", "stale"])
        }
    }

    @Test func followPrintsNewAlertsAsTheyAreLogged() throws {
        try withCLI(from: EvaluateCommandTests.seeded) { cli in
            let follower = Process()
            follower.executableURL = CLIRunner.binary
            follower.arguments = ["alerts", "--log-dir", "log", "--json", "--follow", "--plan", "central-region-2021"]
            follower.currentDirectoryURL = cli.directory
            follower.environment = CLIRunner.inherited(merging: cli.sandboxed(follower.arguments ?? [], [:]))
            let output = Pipe()
            follower.standardOutput = output
            try follower.run()
            defer { follower.terminate() }
            let collected = LockedLines()
            output.fileHandleForReading.readabilityHandler = { handle in collected.append(handle.availableData) }
            #expect(try cli.run(["evaluate", "--state-dir", "s", "--log-dir", "log", "--as-of", "2025-06-30", "--record"]).status == 0)
            // The plan's 7 targets the small seed data gives figures (its other 12 are not announced).
            try wait("the followed alerts") { collected.lines.count == 7 }
            #expect(collected.lines.allSatisfy { $0.contains("\"plan\":\"central-region-2021\"") })
        }
    }
}

/// Lines read from a pipe on another thread.
final class LockedLines: @unchecked Sendable {
    private let lock = NSLock()
    private var buffer = Data()

    func append(_ data: Data) {
        lock.lock()
        buffer.append(data)
        lock.unlock()
    }

    var lines: [String] {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: buffer, as: UTF8.self).split(separator: "\n").map(String.init)
    }
}
