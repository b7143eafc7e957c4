import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Alerts describe settled states (SPEC §6): files dropped together are judged once, after the last of them.
@Suite("settled alerts", .serialized)
struct SettledAlertsTests {
    /// The seed data: one file per publication.
    static var seedFiles: [URL] {
        let folder = CLIRunner.repository.appending(path: "seeds/data")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".csv") }.sorted().map { folder.appending(path: $0) }
    }

    /// The lines of the alert log `log`, each decoded.
    static func alerts(_ log: URL) -> [[String: Any]] {
        guard let text = try? String(contentsOf: log, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    static func field(_ value: Any?) -> String {
        guard let value, !(value is NSNull) else { return "-" }
        return "\(value)"
    }

    /// Target alerts as `kind target state stale latest_value`, sorted: a multiset without ids or times.
    static func targetAlerts(_ alerts: [[String: Any]]) -> [String] {
        alerts.filter { $0["target"] is String }.map { alert in
            ["kind", "target", "state", "stale", "latest_value"].map { field(alert[$0]) }.joined(separator: " ")
        }.sorted()
    }

    /// Data alerts as `kind file`, sorted.
    static func dataAlerts(_ alerts: [[String: Any]]) -> [String] {
        alerts.filter { !($0["target"] is String) }.map { "\(field($0["kind"])) \(field($0["file"]))" }.sorted()
    }

    @Test func aBackfillDroppedAtOnceRaisesTheAlertsOfIngestingItInOneGo() throws {
        let files = Self.seedFiles
        #expect(files.count == 79)
        try withCLI { cli in
            // The reference: every file ingested by one command, then one evaluation of today.
            let ingest = try cli.run(["ingest", "--state-dir", "one-go", "--log-dir", "one-go-log"] + files.map(\.path))
            #expect(ingest.status == 0, "\(ingest.stderr)")
            let evaluate = try cli.run(["evaluate", "--state-dir", "one-go", "--log-dir", "one-go-log"])
            #expect(evaluate.status == 0, "\(evaluate.stderr)")
            let expected = Self.alerts(cli.directory.appending(path: "one-go-log/alerts.jsonl"))
            #expect(!Self.targetAlerts(expected).isEmpty)

            try withDaemon(cli) { daemon in
                try daemon.waitUntilReady()
                // Staged beside the inbox (same file system), then renamed in one after another, as a backfill,
                // a zip or a fetch run delivers them.
                let staging = daemon.state.appending(path: "staging")
                try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
                for file in files {
                    try FileManager.default.copyItem(at: file, to: staging.appending(path: file.lastPathComponent))
                }
                for file in files {
                    let name = file.lastPathComponent
                    try FileManager.default.moveItem(
                        at: staging.appending(path: name), to: daemon.inbox.appending(path: name))
                }
                // Two evaluations: the start's, on the empty database, and the settled one after the last file.
                try wait("the settled evaluation", timeout: 60) {
                    try cli.sqlite(daemon.database, "SELECT count(DISTINCT evaluated_at) FROM evaluation") == ["2"]
                }
                try wait("its alerts in the log") {
                    Self.targetAlerts(daemon.alerts()).count >= Self.targetAlerts(expected).count
                }
                #expect(try cli.sqlite(daemon.database, "SELECT count(*) FROM ingested_file") == ["79"])
                #expect(try daemon.terminate() == 0)
                let logged = daemon.alerts()
                #expect(Self.targetAlerts(logged) == Self.targetAlerts(expected))
                #expect(Self.dataAlerts(logged) == Self.dataAlerts(expected))
                #expect(try cli.sqlite(daemon.database, "SELECT count(DISTINCT evaluated_at) FROM evaluation") == ["2"])
            }
        }
    }
}
