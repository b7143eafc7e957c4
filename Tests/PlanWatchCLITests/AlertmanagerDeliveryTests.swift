import Foundation
import Testing

/// The daemon's Alertmanager sender against a scripted stand-in on loopback (Fixtures/alertmanager): which answers
/// are retried, and what is said about a payload Alertmanager calls invalid. The real Alertmanager's behaviour is
/// checked by Tests/alertmanager in CI.
@Suite("Alertmanager delivery", .serialized)
struct AlertmanagerDeliveryTests {
    /// The stand-in: `mode` is how it answers (see fake_alertmanager.py); `requests` what it received.
    final class FakeAlertmanager {
        let process = Process()
        let port: Int
        let log: URL

        init(_ cli: CLIRunner, mode: String) throws {
            let portFile = cli.directory.appending(path: "alertmanager.port")
            log = cli.directory.appending(path: "alertmanager.requests")
            let script = CLIRunner.fixtures.appending(path: "alertmanager/fake_alertmanager.py")
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", script.path, portFile.path, log.path, mode]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            try wait("the stand-in's port") { FileManager.default.fileExists(atPath: portFile.path) }
            port = Int(try String(contentsOf: portFile, encoding: .utf8)) ?? 0
        }

        deinit { process.terminate() }

        /// Each request as (status answered, alerts posted).
        var requests: [(status: Int, alerts: [[String: Any]])] {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            return text.split(separator: "\n").compactMap { line in
                guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                    let status = object["status"] as? Int, let alerts = object["alerts"] as? [[String: Any]]
                else { return nil }
                return (status, alerts)
            }
        }

        /// The `kind` labels of the PlanData alerts in the requests answered `status`, in order.
        func dataKinds(answered status: Int) -> [String] {
            requests.filter { $0.status == status }.flatMap { request in
                request.alerts.compactMap { alert -> String? in
                    let labels = alert["labels"] as? [String: String]
                    return labels?["alertname"] == "PlanData" ? labels?["kind"] : nil
                }
            }
        }
    }

    /// The seed catalogues without plans (so the only alerts are a file's data alerts), with alerts delivered to
    /// the stand-in.
    static func config(_ cli: CLIRunner, port: Int) throws -> String {
        for name in ["indicators.yaml", "regions.yaml", "sources.yaml"] {
            try cli.write("plans/\(name)", try String(
                contentsOf: CLIRunner.repository.appending(path: "seeds/plans.d/\(name)"), encoding: .utf8))
        }
        return try cli.write("planwatch.yaml", """
            plans: plans
            alerts:
              alertmanager: {url: "http://127.0.0.1:\(port)", timeout: 5s}

            """)
    }

    @Test func dataAlertsAnsweredWithATemporary404AreRetriedUntilDelivered() throws {
        try withCLI { cli in
            let alertmanager = try FakeAlertmanager(cli, mode: "refuse-data-twice")
            let daemon = try DaemonProcess(cli, extra: ["--config", try Self.config(cli, port: alertmanager.port)])
            try daemon.waitUntilReady()
            try daemon.drop("bad.csv", ReliabilityTests.bad)
            try wait("both data alerts delivered after two 404s", timeout: 60) {
                alertmanager.dataKinds(answered: 200).count >= 2
            }
            #expect(try daemon.terminate() == 0)
            #expect(alertmanager.requests.map(\.status) == [404, 404, 200])
            let refused = ["file_rejected", "file_rejected", "unknown_reference", "unknown_reference"]
            #expect(alertmanager.dataKinds(answered: 404).sorted() == refused)
            #expect(alertmanager.dataKinds(answered: 200).sorted() == ["file_rejected", "unknown_reference"])
            #expect(try cli.sqlite(daemon.database, "SELECT count(*) FROM alertmanager_alert WHERE one_shot = 1") == ["0"])
            #expect(daemon.stderr.contains(
                "cannot deliver 2 alerts to Alertmanager at http://127.0.0.1:\(alertmanager.port): HTTP 404: "
                    + "<html><body>404 Not Found (nginx)</body></html>; they wait in the outbox and are retried"))
            #expect(daemon.stderr.contains("Alertmanager at http://127.0.0.1:\(alertmanager.port) accepts alerts again"))
        }
    }

    @Test func aPayloadAlertmanagerCallsInvalidIsLoggedWholeBeforeItIsDropped() throws {
        try withCLI { cli in
            let alertmanager = try FakeAlertmanager(cli, mode: "invalid")
            let daemon = try DaemonProcess(cli, extra: ["--config", try Self.config(cli, port: alertmanager.port)])
            try daemon.waitUntilReady()
            try daemon.drop("bad.csv", ReliabilityTests.bad)
            try wait("the data alerts posted") { alertmanager.dataKinds(answered: 400).count >= 2 }
            try wait("the data alerts dropped from the outbox") {
                try cli.sqlite(daemon.database, "SELECT count(*) FROM alertmanager_alert WHERE one_shot = 1") == ["0"]
            }
            #expect(try daemon.terminate() == 0)
            #expect(alertmanager.requests.map(\.status) == [400], "not sent again")
            let lines = daemon.stderr.split(separator: "\n")
            let refusal = try #require(lines.first { $0.contains("as invalid") && $0.contains("PlanData") })
            let prefix = "<3>Alertmanager at http://127.0.0.1:\(alertmanager.port) refused 2 alerts as invalid (HTTP 400: "
                + "{\"code\":400,\"message\":\"maxLength in body should be 10\"}); they are not sent again, "
                + "since Alertmanager would refuse the same payload again. Report this to planwatch's maintainers "
                + "with the payload: ["
            #expect(refusal.hasPrefix(prefix))
            // The whole payload, every alert with its labels, in the journal.
            let payload = try #require(refusal.range(of: prefix).map { String(refusal[$0.upperBound...]) })
            let json = try JSONSerialization.jsonObject(with: Data(("[" + payload).utf8))
            let alerts = try #require(json as? [[String: Any]])
            let kinds = alerts.compactMap { ($0["labels"] as? [String: String])?["kind"] }
            #expect(kinds.sorted() == ["file_rejected", "unknown_reference"])
            #expect(alerts.allSatisfy { ($0["labels"] as? [String: String])?["file"] == "bad.csv" })
        }
    }
}
