import Foundation
import Testing

/// Regression tests for the defects of issue 10 (what-ifs that leave live state alone, queries that mean what they
/// say, messages a user can trust), each named for the behaviour it protects; the evaluator's are in
/// `PlanWatchCoreTests`.
@Suite("what-ifs leave live state alone, queries mean what they say, messages agree", .serialized)
struct WhatIfAndMessagesTests {
    static func today() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date())
    }

    static func count(_ cli: CLIRunner, _ table: String) throws -> Int {
        Int(try cli.sqlite(cli.directory.appending(path: "s/planwatch.sqlite").path, "SELECT count(*) FROM \(table)").first ?? "") ?? -1
    }

    static func logLines(_ cli: CLIRunner) -> [[String: Any]] {
        let text = (try? String(contentsOf: cli.directory.appending(path: "log/alerts.jsonl"), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    // MARK: item 1

    @Test func aPastAsOfIsAWhatIfThatRecordsNothingUnlessAskedTo() throws {
        try withCLI(from: EvaluateCommandTests.seeded) { cli in
            let live = try cli.run(["evaluate", "--state-dir", "s", "--log-dir", "log"])
            #expect(live.status == 0)
            // The 9 targets the small seed data gives a figure; the other 26 have none and are not announced.
            #expect(live.stderr == "planwatch: 9 alerts written to \(cli.directory.path)/log/alerts.jsonl\n")
            let log = try Data(contentsOf: cli.directory.appending(path: "log/alerts.jsonl"))
            let states = try cli.sqlite(cli.directory.appending(path: "s/planwatch.sqlite").path, "SELECT plan, target, state, evaluation_id FROM target_state ORDER BY 1, 2")
            let evaluations = try WhatIfAndMessagesTests.count(cli, "evaluation")

            let whatIf = try cli.run(["evaluate", "--state-dir", "s", "--log-dir", "log", "--as-of", "2025-06-30", "--json"])
            #expect(whatIf.status == 0)
            #expect(whatIf.stderr == "planwatch: what-if as of 2025-06-30: nothing recorded, no alert logged (add --record to record it)\n")
            let judged = try EvaluateCommandTests.evaluations(whatIf.stdout)
            #expect(judged["anhui-urbanization-1pp"]?["state"] as? String == "on_track")
            #expect(judged["anhui-urbanization-1pp"]?["as_of"] as? String == "2025-06-30")
            #expect(try Data(contentsOf: cli.directory.appending(path: "log/alerts.jsonl")) == log, "the live log is untouched")
            #expect(try cli.sqlite(cli.directory.appending(path: "s/planwatch.sqlite").path, "SELECT plan, target, state, evaluation_id FROM target_state ORDER BY 1, 2") == states)
            #expect(try WhatIfAndMessagesTests.count(cli, "evaluation") == evaluations)
            #expect(try WhatIfAndMessagesTests.count(cli, "alert") == 9)

            // The next normal run finds today's states as they were: nothing new to say.
            let next = try cli.run(["evaluate", "--state-dir", "s", "--log-dir", "log"])
            #expect(next.stderr == "")

            // Asked to record, the what-if's changes are alerts that know the state they replace.
            let recorded = try cli.run(["evaluate", "--state-dir", "s", "--log-dir", "log", "--as-of", "2025-06-30", "--record"])
            #expect(recorded.status == 0)
            let fresh = WhatIfAndMessagesTests.logLines(cli).dropFirst(9)
            #expect(!fresh.isEmpty)
            #expect(fresh.allSatisfy { $0["kind"] as? String != "first_evaluation" && !($0["previous_state"] is NSNull) && $0["as_of"] as? String == "2025-06-30" })
        }
    }

    @Test func statusShowsTheAsOfDateOfWhatItShows() throws {
        try withCLI(from: EvaluateCommandTests.seeded) { cli in
            #expect(try cli.run(["evaluate", "--state-dir", "s", "--log-dir", "log"]).status == 0)
            let today = try cli.run(["status", "--state-dir", "s", "--plan", "hunan-jiangxi-zone-2021"])
            #expect(today.stdout.hasPrefix("2 targets: 2 without data\n\nhunan-jiangxi-zone-2021 — Overall Plan for the Construction of the Hunan–Jiangxi Border Regional Cooperation Demonstration Zone (as of \(WhatIfAndMessagesTests.today()))\n"))
            // One plan recorded as of another day: each table says its own date.
            #expect(try cli.run(["evaluate", "--state-dir", "s", "--log-dir", "log", "--as-of", "2025-06-30", "--record", "--plan", "anhui-development"]).status == 0)
            let mixed = try cli.run(["status", "--state-dir", "s"])
            #expect(mixed.stdout.contains("anhui-development — Anhui high-quality development benchmarks (as of 2025-06-30)\n"))
            #expect(mixed.stdout.contains("hunan-jiangxi-zone-2021 — Overall Plan for the Construction of the Hunan–Jiangxi Border Regional Cooperation Demonstration Zone (as of \(WhatIfAndMessagesTests.today()))\n"))
        }
    }

    // MARK: item 2

    @Test func readCommandsAndWhatIfsOnAnEmptyStateDirectoryCreateNothing() throws {
        try withCLI { cli in
            try FileManager.default.createDirectory(at: cli.directory.appending(path: "s"), withIntermediateDirectories: true)
            let database = cli.directory.appending(path: "s/planwatch.sqlite").path
            let status = try cli.run(["status", "--state-dir", "s", "--log-dir", "log"])
            #expect(status.status == 1)
            #expect(status.stdout == "")
            #expect(status.stderr == "planwatch: no database yet at \(database); run `planwatch ingest` or start the service\n")
            // A what-if before any ingest judges every target on no data, and creates nothing.
            let whatIf = try cli.run(["evaluate", "--state-dir", "s", "--log-dir", "log", "--as-of", "2025-06-30"])
            #expect(whatIf.status == 0)
            #expect(whatIf.stdout.hasPrefix("35 targets: 35 without data\n\n"))
            #expect(whatIf.stderr == "planwatch: what-if as of 2025-06-30: no database yet, so every target is judged on no data; nothing recorded\n")
            let json = try cli.run(["evaluate", "--state-dir", "s", "--log-dir", "log", "--as-of", "2025-06-30", "--json"])
            let states = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
            #expect(states.count == 35)
            #expect(states.allSatisfy { $0["state"] as? String == "insufficient_data" && $0["stale"] as? Bool == false })
            let alerts = try cli.run(["alerts", "--state-dir", "s", "--log-dir", "log"])
            #expect(alerts.status == 0)
            #expect(alerts.stdout == "No alert log at \(cli.directory.path)/log/alerts.jsonl yet.\n")
            #expect(try FileManager.default.contentsOfDirectory(atPath: cli.directory.appending(path: "s").path) == [])
            #expect(!FileManager.default.fileExists(atPath: cli.directory.appending(path: "log").path))
            // A state directory that does not exist is not created either.
            let missing = try cli.run(["status", "--state-dir", "nowhere"])
            #expect(missing.status == 1)
            #expect(!FileManager.default.fileExists(atPath: cli.directory.appending(path: "nowhere").path))
        }
    }

    // MARK: item 3

    /// An alert log with three alerts a second apart around 2025-12-01T18:15:59Z, and two 3 h and 1 h ago.
    static func timedLog(_ cli: CLIRunner) throws {
        func line(_ time: String, _ id: String, region: String = "CN-AH", plan: String = "anhui-development", target: String = "anhui-gdp-5tn") -> String {
            #"{"time":"\#(time)","id":"\#(id)","severity":"warning","kind":"worse","plan":"\#(plan)","target":"\#(target)","indicator":"gdp","region":"\#(region)","state":"at_risk","previous_state":"on_track","as_of":"2026-12-01","latest_period":"2024","latest_value":50625,"target_value":50000,"pace_ratio":0.9,"projected_value":49000,"message":"alert \#(id)."}"#
        }
        let now = Date()
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let lines = [
            line("2025-12-01T18:15:58.500Z", "a"),
            line("2025-12-01T18:15:59.000Z", "b"),
            line("2025-12-01T18:16:00.123Z", "c", region: "CN-HA", plan: "cn-14th-fyp", target: "cn-urbanization-65"),
            line(formatter.string(from: now.addingTimeInterval(-3 * 3600)), "d"),
            line(formatter.string(from: now.addingTimeInterval(-3600)), "e"),
        ]
        try cli.write("log/alerts.jsonl", lines.joined(separator: "\n") + "\n")
    }

    static func ids(_ result: CLIRunner.Result) -> [String] {
        result.stdout.split(separator: "\n").compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["id"] as? String
        }
    }

    @Test func sinceComparesInstantsWithOffsetsDatesAndSpans() throws {
        try withCLI { cli in
            try WhatIfAndMessagesTests.timedLog(cli)
            func since(_ value: String) throws -> [String] {
                WhatIfAndMessagesTests.ids(try cli.run(["alerts", "--log-dir", "log", "--json", "--since", value]))
            }
            #expect(try since("2025-12-01T18:15:59Z") == ["b", "c", "d", "e"])
            #expect(try since("2025-12-01T18:15:59.000Z") == ["b", "c", "d", "e"])
            #expect(try since("2025-12-01T19:15:59+01:00") == ["b", "c", "d", "e"])
            #expect(try since("2025-12-01T13:15:59.5-05:00") == ["c", "d", "e"])
            #expect(try since("2025-12-01") == ["a", "b", "c", "d", "e"])
            #expect(try since("2025-12-02") == ["d", "e"])
            #expect(try since("2h") == ["e"])
            #expect(try since("240m") == ["d", "e"])
            #expect(try since("7d") == ["d", "e"])
            for bad in ["2026-12-01xyz", "2026-12-01T18:15:59", "yesterday", "2x", "-2h", "2026-13-01"] {
                let result = try cli.run(["alerts", "--log-dir", "log", "--since=\(bad)"])
                #expect(result.status == 64, "\(bad)")
                #expect(result.stderr.hasPrefix("Error: --since '\(bad)' is not a time; write an RFC 3339 time (2026-12-01T18:15:59Z or 2026-12-01T19:15:59+01:00), a date (2026-12-01) or a span back from now (2h, 7d)\n"))
            }
        }
    }

    @Test func unknownPlansTargetsAndRegionsAreErrorsAndRegionsTakeNames() throws {
        try withCLI { cli in
            try WhatIfAndMessagesTests.timedLog(cli)
            let plan = try cli.run(["alerts", "--log-dir", "log", "--plan", "nosuch"])
            #expect(plan.status == 64)
            #expect(plan.stderr == "planwatch: there is no plan 'nosuch'; known: anhui-development, anhui-henan-adjacent-2025, central-region-2021, cn-14th-fyp, hunan-jiangxi-zone-2021\n")
            let typo = try cli.run(["alerts", "--log-dir", "log", "--plan", "central-region-2O21"])
            #expect(typo.status == 64)
            #expect(typo.stderr == "planwatch: there is no plan 'central-region-2O21'; did you mean 'central-region-2021'?\n")
            let target = try cli.run(["alerts", "--log-dir", "log", "--target", "anhui-gdp-5t"])
            #expect(target.status == 64)
            #expect(target.stderr == "planwatch: there is no target 'anhui-gdp-5t'; did you mean 'anhui-gdp-5tn'?\n")
            let region = try cli.run(["alerts", "--log-dir", "log", "--region", "Atlantis"])
            #expect(region.status == 64)
            #expect(region.stderr.hasPrefix("planwatch: there is no region 'Atlantis'"))
            // A plan known to the configuration with no alerts is simply "No alerts match".
            let quiet = try cli.run(["alerts", "--log-dir", "log", "--plan", "central-region-2021"])
            #expect(quiet.status == 0)
            #expect(quiet.stdout == "No alerts match.\n")
            for name in ["CN-AH", "Anhui", "安徽省", "anhui"] {
                #expect(WhatIfAndMessagesTests.ids(try cli.run(["alerts", "--log-dir", "log", "--json", "--region", name])) == ["a", "b", "d", "e"], "\(name)")
            }
            #expect(WhatIfAndMessagesTests.ids(try cli.run(["alerts", "--log-dir", "log", "--json", "--region", "Henan"])) == ["c"])
        }
    }

    // MARK: item 4

    @Test func rotatedLogsWithDateextAndGzipAreReadInTimeOrder() throws {
        try withCLI { cli in
            func line(_ time: String, _ id: String) -> String {
                #"{"time":"\#(time)","id":"\#(id)","severity":"info","kind":"better","plan":"anhui-development","target":"anhui-gdp-5tn","indicator":"gdp","region":"CN-AH","state":"on_track","previous_state":"at_risk","as_of":"2026-11-01","latest_period":"2024","latest_value":50625,"target_value":50000,"pace_ratio":1,"projected_value":50100,"message":"alert \#(id)."}"#
            }
            try cli.write("log/alerts.jsonl-20261115", line("2026-11-14T10:00:00.000Z", "w1") + "\n")
            try cli.write("log/alerts.jsonl-20261122", line("2026-11-21T10:00:00.000Z", "w2") + "\n" + line("2026-11-21T11:00:00.000Z", "w3") + "\n")
            try cli.write("log/alerts.jsonl.1", line("2026-11-28T10:00:00.000Z", "n1") + "\n")
            try cli.write("log/alerts.jsonl", line("2026-12-01T10:00:00.000Z", "now") + "\n")
            try cli.write("log/alerts.jsonl.bak", line("2026-12-01T09:00:00.000Z", "not-a-log") + "\n")
            for name in ["alerts.jsonl-20261115", "alerts.jsonl-20261122"] {
                let gzip = try CLIRunner.execute("/bin/gzip", [name], in: cli.directory.appending(path: "log"))
                #expect(gzip.status == 0, "\(gzip.stderr)")
            }
            try cli.write("log/alerts.jsonl-20261108", line("2026-11-07T10:00:00.000Z", "d1") + "\n")
            let all = try cli.run(["alerts", "--log-dir", "log", "--json"])
            #expect(all.status == 0, "\(all.stderr)")
            #expect(WhatIfAndMessagesTests.ids(all) == ["d1", "w1", "w2", "w3", "n1", "now"])
            let since = try cli.run(["alerts", "--log-dir", "log", "--json", "--since", "2026-11-21T10:30:00Z"])
            #expect(WhatIfAndMessagesTests.ids(since) == ["w3", "n1", "now"])

            // A damaged archive is named, never silently skipped: here one cut off halfway.
            try cli.write("log/old", String(repeating: line("2026-10-01T10:00:00.000Z", "cut") + "\n", count: 50))
            #expect(try CLIRunner.execute("/bin/gzip", ["old"], in: cli.directory.appending(path: "log")).status == 0)
            let whole = try Data(contentsOf: cli.directory.appending(path: "log/old.gz"))
            try whole.prefix(whole.count / 2).write(to: cli.directory.appending(path: "log/alerts.jsonl.2.gz"))
            let broken = try cli.run(["alerts", "--log-dir", "log"])
            #expect(broken.status == 1)
            #expect(broken.stderr == "planwatch: cannot read the alert log \(cli.directory.path)/log/alerts.jsonl.2.gz: the gzip data is truncated\n")
        }
    }

    // MARK: item 5

    @Test func globalOptionsGoBeforeOrAfterTheSubcommand() throws {
        try withCLI(from: EvaluateCommandTests.seeded) { cli in
            let config = CLIRunner.repository.appending(path: "seeds/planwatch.yaml").path
            #expect(try cli.run(["--state-dir", "s", "--log-dir", "log", "evaluate"]).status == 0)
            let after = try cli.run(["status", "--config", config, "--state-dir", "s", "--json"])
            let before = try cli.run(["--config", config, "--state-dir", "s", "status", "--json"])
            let equals = try cli.run(["--config=\(config)", "--state-dir=s", "status", "--json"])
            #expect(after.status == 0, "\(after.stderr)")
            #expect(before.status == 0, "\(before.stderr)")
            #expect(before.stdout == after.stdout)
            #expect(equals.stdout == after.stdout)
            #expect(try EvaluateCommandTests.evaluations(before.stdout).count == 35)
        }
    }

    @Test func anUnknownSubcommandSuggestsTheNearestAndExits64() throws {
        try withCLI { cli in
            let typo = try cli.run(["statuss"])
            #expect(typo.status == 64)
            #expect(typo.stderr == "planwatch: unknown command 'statuss'; did you mean 'status'?\nRun 'planwatch --help' for the commands.\n")
            let after = try cli.run(["--state-dir", "s", "alert"])
            #expect(after.status == 64)
            #expect(after.stderr == "planwatch: unknown command 'alert'; did you mean 'alerts'?\nRun 'planwatch --help' for the commands.\n")
            let nothing = try cli.run(["frobnicate"])
            #expect(nothing.status == 64)
            #expect(nothing.stderr == "planwatch: unknown command 'frobnicate'\nRun 'planwatch --help' for the commands.\n")
        }
    }

    // MARK: item 6

    /// The significant digits of every number in a JSON text (outside strings).
    static func longestNumber(_ json: String) -> (digits: Int, text: String) {
        var longest = (0, "")
        var inString = false
        var escaped = false
        var current = ""
        func flush() {
            guard !current.isEmpty else { return }
            let mantissa = current.split(whereSeparator: { $0 == "e" || $0 == "E" }).first.map(String.init) ?? current
            var digits = mantissa.filter(\.isNumber)
            while digits.hasPrefix("0") { digits.removeFirst() }
            if mantissa.contains(".") { while digits.hasSuffix("0") { digits.removeLast() } }
            if digits.count > longest.0 { longest = (digits.count, current) }
            current = ""
        }
        for character in json {
            if inString {
                if escaped { escaped = false } else if character == "\\" { escaped = true } else if character == "\"" { inString = false }
                continue
            }
            if character == "\"" {
                flush()
                inString = true
            } else if character.isNumber || "+-.eE".contains(character) {
                current.append(character)
            } else {
                flush()
            }
        }
        flush()
        return longest
    }

    @Test func jsonNumbersCarryAtMostTwelveSignificantDigits() throws {
        try withCLI(from: EvaluateCommandTests.seeded) { cli in
            let result = try cli.run(["evaluate", "--state-dir", "s", "--log-dir", "log", "--as-of", "2025-06-30", "--record", "--json"])
            #expect(result.status == 0)
            let evaluation = WhatIfAndMessagesTests.longestNumber(result.stdout)
            #expect(evaluation.digits <= 12, "\(evaluation.text)")
            let log = try String(contentsOf: cli.directory.appending(path: "log/alerts.jsonl"), encoding: .utf8)
            let logged = WhatIfAndMessagesTests.longestNumber(log)
            #expect(logged.digits <= 12, "\(logged.text)")
            let status = WhatIfAndMessagesTests.longestNumber(try cli.run(["status", "--state-dir", "s", "--json"]).stdout)
            #expect(status.digits <= 12, "\(status.text)")
            // Exact values survive: the Anhui urbanization pace, (62.57 − 58.33) / 4 per year against 1.
            let anhui = try #require(try EvaluateCommandTests.evaluations(result.stdout)["anhui-urbanization-1pp"])
            #expect(anhui["actual_pace"] as? Double == 1.06)
            #expect(result.stdout.contains("\"actual_pace\":1.06,"))
        }
    }

    static let documentedOrder = [
        "time", "id", "severity", "kind", "plan", "target", "indicator", "region", "state", "previous_state", "as_of",
        "latest_period", "latest_value", "target_value", "pace_ratio", "projected_value",
    ]

    /// The keys of a flat JSON object, in the order written.
    static func keys(_ line: Substring) -> [String] {
        var keys: [String] = []
        var index = line.startIndex
        var depth = 0
        while index < line.endIndex {
            let character = line[index]
            if character == "{" { depth += 1 } else if character == "}" { depth -= 1 }
            if character == "\"" {
                var end = line.index(after: index)
                var text = ""
                while line[end] != "\"" {
                    if line[end] == "\\" { end = line.index(after: end) }
                    text.append(line[end])
                    end = line.index(after: end)
                }
                let next = line.index(after: end)
                if depth == 1, next < line.endIndex, line[next] == ":" { keys.append(text) }
                index = next
                continue
            }
            index = line.index(after: index)
        }
        return keys
    }

    @Test func everyAlertLineHasTheDocumentedFieldOrder() throws {
        try withCLI(from: EvaluateCommandTests.seeded) { cli in
            #expect(try cli.run(["evaluate", "--state-dir", "s", "--log-dir", "log"]).status == 0)
            let bad = try cli.write("bad.csv", "indicator,region,period,value\ngdp,CN-AH,2024,abc\n")
            #expect(try cli.run(["ingest", "--state-dir", "s", "--log-dir", "log", bad]).status == 1)
            let revised = try cli.write("revised.csv", "indicator,region,period,value,source\nurbanization_rate,CN-AH,2024,62.6,Anhui Provincial Bureau of Statistics\n")
            #expect(try cli.run(["ingest", "--state-dir", "s", "--log-dir", "log", revised]).status == 0)
            let lines = try String(contentsOf: cli.directory.appending(path: "log/alerts.jsonl"), encoding: .utf8).split(separator: "\n")
            try #require(lines.count == 11)
            // Target alerts carry the `stale` flag right after the state; data alerts have no state to flag.
            var targetOrder = WhatIfAndMessagesTests.documentedOrder
            targetOrder.insert("stale", at: targetOrder.firstIndex(of: "previous_state")!)
            for line in lines.prefix(9) {
                #expect(WhatIfAndMessagesTests.keys(line) == targetOrder + ["message"])
            }
            #expect(WhatIfAndMessagesTests.keys(lines[9]) == WhatIfAndMessagesTests.documentedOrder + ["file", "message"])
            #expect(WhatIfAndMessagesTests.keys(lines[10]) == WhatIfAndMessagesTests.documentedOrder + ["file", "period", "old_value", "new_value", "message"])
            #expect(lines[10].contains(#""old_value":62.57,"new_value":62.6,"#))
        }
    }

    @Test func aDryRunSaysValidOrInvalidAndWholeFileProblemsHaveNoRow() throws {
        try withCLI { cli in
            let good = try cli.write("good.csv", "indicator,region,period,value\nurbanization_rate,CN-AH,2023,61.51\n")
            let bad = try cli.write("bad.csv", "indicator,region,period,value\nurbanization_rate,CN-AH,2023,abc\n")
            let valid = try cli.run(["ingest", "--state-dir", "s", "--dry-run", "--json", good])
            #expect(valid.status == 0)
            let reports = try #require(try JSONSerialization.jsonObject(with: Data(valid.stdout.utf8)) as? [[String: Any]])
            #expect(reports.first?["outcome"] as? String == "valid")
            #expect(reports.first?["dry_run"] as? Bool == true)
            let invalid = try cli.run(["ingest", "--state-dir", "s", "--dry-run", "--json", bad])
            #expect(invalid.status == 1)
            let rejected = try #require(try JSONSerialization.jsonObject(with: Data(invalid.stdout.utf8)) as? [[String: Any]])
            #expect(rejected.first?["outcome"] as? String == "invalid")
            #expect(try cli.run(["ingest", "--state-dir", "s", "--dry-run", bad]).stdout.hasPrefix("\(bad): would be rejected: 1 problem, nothing stored [canonical]\n"))

            let missing = cli.directory.appending(path: "missing.csv").path
            let whole = try cli.run(["ingest", "--state-dir", "s", "--json", missing])
            #expect(whole.status == 1)
            let problem = try #require(((try JSONSerialization.jsonObject(with: Data(whole.stdout.utf8)) as? [[String: Any]])?.first?["problems"] as? [[String: Any]])?.first)
            #expect(problem["row"] is NSNull)
            #expect(problem["line"] is NSNull)
            let text = try cli.run(["ingest", "--state-dir", "s", missing])
            #expect(!text.stdout.contains("row 0"))
            #expect(text.stdout.hasPrefix("\(missing): rejected: 1 problem, nothing stored\n  \(missing): "))
        }
    }

    // MARK: item 7

    @Test func aFreshInstallAnnouncesNothingAndInsufficientDataIsInfo() throws {
        try withCLI { cli in
            // No data at all: every target is insufficient_data with no figure, and none is announced.
            let fresh = try cli.run(["evaluate", "--state-dir", "s", "--log-dir", "log"])
            #expect(fresh.status == 0)
            #expect(fresh.stderr == "")
            #expect(WhatIfAndMessagesTests.logLines(cli).isEmpty)
            // Judged states keep their severities: the seed data puts hubei-urbanization-1pp at risk, which is a warning.
            let seeded = try EvaluateCommandTests.seeded()
            defer { seeded.cleanUp() }
            #expect(try seeded.run(["evaluate", "--state-dir", "s", "--log-dir", "log", "--as-of", "2025-06-30", "--record"]).status == 0)
            let judged = WhatIfAndMessagesTests.logLines(seeded)
            for line in judged where line["state"] as? String == "insufficient_data" {
                #expect(line["severity"] as? String == "info", "\(line["target"] ?? "")")
            }
            let atRisk = try #require(judged.first { $0["target"] as? String == "hubei-urbanization-1pp" })
            #expect(atRisk["state"] as? String == "at_risk")
            #expect(atRisk["severity"] as? String == "warning")
        }
    }

    // MARK: item 8

    @Test func messagesAgreeInNumberAndNameOnePeriodOnce() throws {
        try withCLI { cli in
            let one = try cli.write("one.csv", "indicator,region,period,value\nurbanization_rate,CN-AH,2023,61.51\nurbanization_rate,CN-HA,2022,\n")
            let dry = try cli.run(["ingest", "--state-dir", "s", "--dry-run", one])
            #expect(dry.stdout == """
                \(one): valid (dry run, nothing stored); would store 1 of 2 rows (1 new, 0 revised, 0 unchanged, 1 missing value) [canonical]
                  1 value names no source: stored as 'unattributed', which ranks below every named source; add a source column (or source: in the mapping)
                  urbanization_rate CN-AH: 1 row, 2023

                """)
            try cli.write("config/planwatch.yaml", "plans: \(CLIRunner.repository.appending(path: "seeds/plans.d").path)\nplan: x\n")
            let config = try cli.run(["check-config", "--config", "config/planwatch.yaml"])
            #expect(config.status == 78 || config.status == 1)
            #expect(config.stderr.contains("planwatch.yaml:2: the settings file has the unknown key 'plan'; did you mean 'plans'?\n"))
            #expect(config.stderr.hasSuffix("1 problem found\n"))
        }
    }

    // MARK: item 10

    @Test func theDocsCiteDocsEvaluationNotTheSpec() throws {
        for file in ["README.md", "docs/evaluation.md", "docs/configuration.md", "docs/architecture.md"] {
            let text = try String(contentsOf: CLIRunner.repository.appending(path: file), encoding: .utf8)
            #expect(!text.contains("SPEC §"), "\(file) cites the spec, which users do not have")
        }
        try withCLI { cli in
            let help = try cli.run(["evaluate", "--help"])
            #expect(!help.stdout.contains("SPEC"))
            #expect(help.stdout.contains("docs/evaluation.md"))
        }
    }
}
