import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite("planwatch run", .serialized)
struct DaemonTests {
    static let anhui = """
        indicator,region,period,value,source
        urbanization_rate,CN-AH,2020,58.33,Anhui Provincial Bureau of Statistics
        urbanization_rate,CN-AH,2021,59.39,Anhui Provincial Bureau of Statistics
        urbanization_rate,CN-AH,2022,60.15,Anhui Provincial Bureau of Statistics
        urbanization_rate,CN-AH,2023,61.51,Anhui Provincial Bureau of Statistics
        urbanization_rate,CN-AH,2024,62.57,Anhui Provincial Bureau of Statistics

        """

    /// Whether the daemon announced anhui-urbanization-1pp, which `anhui` gives its first figures.
    static func announcesAnhui(_ daemon: DaemonProcess) -> Bool {
        daemon.alerts().contains { $0["target"] as? String == "anhui-urbanization-1pp" }
    }

    static func today() -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd"
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date())
    }

    @Test func aDroppedFileIsIngestedMovedAndAlertedAndSystemdIsTold() throws {
        try withCLI { cli in
            let listener = try NotifyListener(directory: cli.directory)
            defer { listener.close() }
            let daemon = try DaemonProcess(cli, environment: ["NOTIFY_SOCKET": listener.path])
            try daemon.waitUntilReady()
            try wait("READY=1") { listener.messages.contains { $0.contains("READY=1") } }
            let ready = try #require(listener.messages.first { $0.contains("READY=1") })
            #expect(ready.contains("STATUS=35 targets: "))
            // An empty database: no target has data, so none is announced (SPEC §6).
            #expect(daemon.alerts().isEmpty)

            try daemon.drop("anhui.csv", DaemonTests.anhui)
            // Its first figures: one first evaluation, which says the 2025 figure is overdue.
            try wait("the drop's alert") { DaemonTests.announcesAnhui(daemon) }
            let first = daemon.alerts().filter { $0["target"] as? String == "anhui-urbanization-1pp" }
            #expect(first.map { "\($0["kind"] ?? "") \($0["stale"] ?? "")" } == ["first_evaluation 1"])
            let processed = daemon.state.appending(path: "processed/\(DaemonTests.today())/anhui.csv")
            try wait("the file to reach processed/") { FileManager.default.fileExists(atPath: processed.path) }
            #expect(try String(contentsOf: processed, encoding: .utf8) == DaemonTests.anhui, "kept byte for byte")
            #expect(!FileManager.default.fileExists(atPath: daemon.inbox.appending(path: "anhui.csv").path))
            #expect(try cli.sqlite(daemon.database, "SELECT count(*) FROM observation") == ["5"])

            // The same content under another name is a duplicate: recorded, moved, nothing stored twice.
            try daemon.drop("anhui-again.csv", DaemonTests.anhui)
            let again = daemon.state.appending(path: "processed/\(DaemonTests.today())/anhui-again.csv")
            try wait("the duplicate to reach processed/") { FileManager.default.fileExists(atPath: again.path) }
            #expect(try cli.sqlite(daemon.database, "SELECT name, outcome FROM ingested_file ORDER BY id") == ["anhui.csv|ingested", "anhui-again.csv|duplicate"])
            #expect(try cli.sqlite(daemon.database, "SELECT count(*) FROM observation") == ["5"])

            // A bad file goes to rejected/ with both reports, and raises data alerts.
            try daemon.drop("bad.csv", "indicator,region,period,value\nurbanization_rate,Atlantis,2024,61\n")
            let rejected = daemon.state.appending(path: "rejected/bad.csv")
            try wait("the reports") { FileManager.default.fileExists(atPath: rejected.path + ".errors.txt") }
            try wait("the JSON report") { FileManager.default.fileExists(atPath: rejected.path + ".errors.json") }
            // The reports are written before the file is renamed beside them: wait for the file too.
            try wait("the file in rejected/") { FileManager.default.fileExists(atPath: rejected.path) }
            #expect(try String(contentsOf: rejected, encoding: .utf8) == "indicator,region,period,value\nurbanization_rate,Atlantis,2024,61\n")
            #expect(try String(contentsOfFile: rejected.path + ".errors.txt", encoding: .utf8) == """
                bad.csv: rejected: 1 problem, nothing stored [canonical]
                  row 2, column 2 'region': unknown region 'Atlantis'

                """)
            let report = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: rejected.path + ".errors.json"))) as? [String: Any]
            #expect(report?["outcome"] as? String == "rejected")
            #expect(report?["problem_count"] as? Int == 1)
            try wait("the data alerts") {
                let kinds = daemon.alerts().compactMap { $0["file"] as? String == "bad.csv" ? $0["kind"] as? String : nil }
                return kinds == ["file_rejected", "unknown_reference"]
            }

            #expect(try daemon.terminate() == 0)
            #expect(listener.messages.contains { $0.contains("STOPPING=1") })
            #expect(listener.messages.contains { $0.hasPrefix("STATUS=35 targets") || $0.contains("\nSTATUS=35 targets") })
            // Every line of the log is a JSON object with the fields of SPEC §6, and no alert is logged twice.
            let alerts = daemon.alerts()
            let lines = try String(contentsOf: daemon.alertLog, encoding: .utf8).split(separator: "\n")
            #expect(alerts.count == lines.count)
            #expect(Set(alerts.map { $0["id"] as! String }).count == alerts.count)
            for key in ["time", "id", "severity", "kind", "plan", "target", "indicator", "region", "state", "previous_state", "as_of", "latest_period", "latest_value", "target_value", "pace_ratio", "projected_value", "message"] {
                #expect(alerts.allSatisfy { $0.keys.contains(key) }, "every alert has \(key)")
            }
            #expect(daemon.stderr.contains("<4>warning file_rejected bad.csv: bad.csv was rejected with 1 problem"))
        }
    }

    @Test func namesThatAreNotCSVAreLeftAloneAndLinksAreRefusedUnfollowed() throws {
        try withDaemon { daemon in
            let cli = daemon.cli
            try daemon.waitUntilReady()
            for name in [".hidden.csv", "draft.csv.tmp", "upload.csv.part", "notes.txt"] {
                try Data("x".utf8).write(to: daemon.inbox.appending(path: name))
            }
            let secret = cli.directory.appending(path: "secret.csv")
            try Data("indicator,region,period,value\ngdp,CN-AH,2023,1\n".utf8).write(to: secret)
            try FileManager.default.createSymbolicLink(at: daemon.inbox.appending(path: "link.csv"), withDestinationURL: secret)
            let refused = daemon.state.appending(path: "rejected/link.csv")
            try wait("the link to be refused") { FileManager.default.fileExists(atPath: refused.path + ".errors.txt") }
            // The report is written before the link is renamed beside it: wait for the link too.
            try wait("the link in rejected/") { (try? FileManager.default.destinationOfSymbolicLink(atPath: refused.path)) != nil }
            #expect(try FileManager.default.destinationOfSymbolicLink(atPath: refused.path) == secret.path, "moved as a link, not followed")
            #expect(try String(contentsOfFile: refused.path + ".errors.txt", encoding: .utf8) == "link.csv: refused: it is a symbolic link, and planwatch never follows links in the inbox; copy the file itself in (write it elsewhere, then rename it into the inbox)\n")
            #expect(try cli.sqlite(daemon.database, "SELECT count(*) FROM observation") == ["0"])
            // Same name twice with different content: the second never overwrites the first.
            try daemon.drop("gdp.csv", "indicator,region,period,value\ngdp,CN-AH,2023,47100\n")
            try wait("the first gdp.csv") { FileManager.default.fileExists(atPath: daemon.state.appending(path: "processed/\(DaemonTests.today())/gdp.csv").path) }
            try daemon.drop("gdp.csv", "indicator,region,period,value\ngdp,CN-AH,2022,45000\n")
            try wait("the second gdp.csv") { FileManager.default.fileExists(atPath: daemon.state.appending(path: "processed/\(DaemonTests.today())/gdp.1.csv").path) }
            #expect(try daemon.terminate() == 0)
            let left = try FileManager.default.contentsOfDirectory(atPath: daemon.inbox.path).sorted()
            #expect(left == [".hidden.csv", "draft.csv.tmp", "notes.txt", "upload.csv.part"])
        }
    }

    @Test func aBrokenConfigOnReloadIsReportedAndTheOldOneKept() throws {
        try withCLI { cli in
            let config = cli.directory.appending(path: "config")
            try FileManager.default.copyItem(at: CLIRunner.repository.appending(path: "seeds"), to: config)
            let daemon = try DaemonProcess(cli, extra: ["--config", config.path])
            try daemon.waitUntilReady()
            let plan = config.appending(path: "plans.d/anhui-development.yaml")
            try Data("plan:\n  id: anhui-development\n  title: [unclosed\n".utf8).write(to: plan)
            daemon.signal(SIGHUP)
            try wait("the reload failure") { daemon.stderr.contains("<3>reload failed; keeping the running configuration:") }
            #expect(daemon.stderr.contains("<3>\(plan.path):"))
            #expect(daemon.process.isRunning)
            try daemon.drop("anhui.csv", DaemonTests.anhui)
            try wait("the file to be processed on the old configuration") { DaemonTests.announcesAnhui(daemon) }
            #expect(try daemon.terminate() == 0)
        }
    }

    @Test func exits78OnABadConfigAtStart() throws {
        try withCLI { cli in
            try cli.write("bad/planwatch.yaml", "plans: nowhere\n")
            let result = try cli.run(["run", "--config", "bad", "--state-dir", "state"])
            #expect(result.status == 78)
            #expect(result.stderr.contains("the plans directory \(cli.directory.path)/bad/nowhere cannot be read"))
        }
    }

    /// Rows of a large valid file: two indicators × 47 regions × many years.
    static func largeFile(rows: Int) -> String {
        let regions = ["CN", "CN-BJ", "CN-TJ", "CN-HE", "CN-SX", "CN-NM", "CN-LN", "CN-JL", "CN-HL", "CN-SH", "CN-JS", "CN-ZJ", "CN-AH", "CN-FJ", "CN-JX", "CN-SD", "CN-HA", "CN-HB", "CN-HN", "CN-GD", "CN-GX", "CN-HI", "CN-CQ", "CN-SC", "CN-GZ", "CN-YN", "CN-XZ", "CN-SN", "CN-GS", "CN-QH", "CN-NX", "CN-XJ"]
        var text = "indicator,region,period,value,source\n"
        var count = 0
        outer: for year in 1001...9999 {
            for region in regions {
                for indicator in ["gdp", "population"] {
                    text += "\(indicator),\(region),\(year),\(count).5,\"generated, for the test\"\n"
                    count += 1
                    if count == rows { break outer }
                }
            }
        }
        return text
    }

    @Test func killDashNineDuringALargeIngestLosesAndDuplicatesNothing() throws {
        try withCLI { cli in
            let rows = 300_000
            let first = try DaemonProcess(cli, name: "first")
            try first.waitUntilReady()
            let text = DaemonTests.largeFile(rows: rows)
            let pid = first.process.processIdentifier
            let readSoFar = { () -> Int in
                let io = (try? String(contentsOfFile: "/proc/\(pid)/io", encoding: .utf8)) ?? ""
                return io.split(separator: "\n").first { $0.hasPrefix("rchar:") }.flatMap { Int($0.dropFirst(6).trimmingCharacters(in: .whitespaces)) } ?? 0
            }
            let before = readSoFar()
            try first.drop("large.csv", text)
            // The daemon reads the file twice, to hash it and then to parse and store it in one transaction, which
            // commits only after the last byte: once it has read one and a half times the file, it is mid-transaction.
            try wait("the ingest to be under way") { readSoFar() > before + text.utf8.count * 3 / 2 }
            first.signal(SIGKILL)
            first.process.waitUntilExit()
            #expect(first.process.terminationReason == .uncaughtSignal)
            #expect(FileManager.default.fileExists(atPath: first.inbox.appending(path: "large.csv").path), "killed before the file was done")
            #expect(try cli.sqlite(first.database, "SELECT count(*) FROM observation") == ["0"], "nothing of a killed transaction is visible")

            let second = try DaemonProcess(cli, name: "second")
            try second.waitUntilReady()
            try wait("large.csv to be processed after the restart", timeout: 120) {
                !FileManager.default.fileExists(atPath: second.inbox.appending(path: "large.csv").path)
            }
            try wait("its alerts") { second.stderr.contains("first_evaluation") || second.alerts().count >= 35 }
            #expect(try second.terminate() == 0)
            #expect(try cli.sqlite(second.database, "SELECT count(*), count(DISTINCT file_id) FROM observation") == ["\(rows)|1"])
            #expect(try cli.sqlite(second.database, "SELECT count(*) FROM ingested_file WHERE outcome = 'ingested'") == ["1"])
            let logged = second.alerts().map { $0["id"] as! String }
            #expect(Set(logged).count == logged.count, "no alert logged twice")
            let stored = try cli.sqlite(second.database, "SELECT id FROM alert WHERE logged_at IS NOT NULL ORDER BY rowid")
            #expect(Set(stored) == Set(logged), "every stored alert logged exactly once")
            #expect(try cli.sqlite(second.database, "SELECT count(*) FROM alert WHERE logged_at IS NULL") == ["0"])
        }
    }

    @Test func sigtermDuringALargeIngestRollsBackAndExitsZero() throws {
        try withDaemon { daemon in
            let cli = daemon.cli
            try daemon.waitUntilReady()
            try daemon.drop("large.csv", DaemonTests.largeFile(rows: 300_000))
            usleep(300_000)
            #expect(try daemon.terminate() == 0)
            let inInbox = FileManager.default.fileExists(atPath: daemon.inbox.appending(path: "large.csv").path)
            let stored = try cli.sqlite(daemon.database, "SELECT count(*) FROM observation")
            // Either the file finished before the signal (stored whole and moved) or it was rolled back and stays.
            #expect((inInbox && stored == ["0"]) || (!inInbox && stored == ["300000"]))
        }
    }
}

@Suite("planwatch run across restarts", .serialized)
struct DaemonRestartTests {
    @Test func aRestartNeverRefiresALoggedAlert() throws {
        try withCLI { cli in
            let first = try DaemonProcess(cli, name: "first")
            try first.waitUntilReady()
            try first.drop("anhui.csv", DaemonTests.anhui)
            try wait("the drop's alert") { DaemonTests.announcesAnhui(first) }
            #expect(try first.terminate() == 0)
            let count = first.alerts().count
            let second = try DaemonProcess(cli, name: "second")
            try second.waitUntilReady()
            #expect(try second.terminate() == 0)
            #expect(second.alerts().count == count)
        }
    }

    @Test func sigusr1ReopensTheAlertLogAfterRotation() throws {
        try withDaemon { daemon in
            let cli = daemon.cli
            try daemon.waitUntilReady()
            try daemon.drop("anhui.csv", DaemonTests.anhui)
            try wait("the first alert") { DaemonTests.announcesAnhui(daemon) }
            let rotated = cli.directory.appending(path: "log/alerts.jsonl.1")
            try FileManager.default.moveItem(at: daemon.alertLog, to: rotated)
            daemon.signal(SIGUSR1)
            try wait("the reopen") { daemon.stderr.contains("reopened the alert log") }
            // The 2024 figure revised: its data alert goes to the new file.
            try daemon.drop("anhui-revised.csv", DaemonTests.anhui.replacingOccurrences(of: "62.57", with: "62.75"))
            try wait("the new log") { daemon.alerts().contains { $0["kind"] as? String == "value_revised" } }
            #expect(daemon.alerts().allSatisfy { $0["kind"] as? String != "first_evaluation" }, "only new alerts there")
            #expect(try String(contentsOf: rotated, encoding: .utf8).split(separator: "\n").count == 1)
            #expect(try daemon.terminate() == 0)
        }
    }

    @Test func theWatchdogIsPingedWhenSystemdAsks() throws {
        try withCLI { cli in
            let listener = try NotifyListener(directory: cli.directory)
            defer { listener.close() }
            let daemon = try DaemonProcess(cli, environment: ["NOTIFY_SOCKET": listener.path, "WATCHDOG_USEC": "200000"])
            try daemon.waitUntilReady()
            try wait("two watchdog pings") { listener.messages.filter { $0 == "WATCHDOG=1" }.count >= 2 }
            #expect(try daemon.terminate() == 0)
        }
    }
}
