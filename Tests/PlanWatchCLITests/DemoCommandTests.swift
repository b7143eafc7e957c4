import Foundation
import Testing

/// `planwatch demo` (issue 12, item 3): its own state directory and alert log, a fixed as-of, the commands to look
/// further, and never the user's state.
@Suite("planwatch demo", .serialized)
struct DemoCommandTests {
    @Test func theDemoWritesItsOwnStateAndAlertLogAndSaysHowToLookFurther() throws {
        try withCLI { cli in
            let state = cli.directory.appending(path: "d").path
            let result = try cli.run(["demo", "--as-of", "2025-06-30", "--state-dir", "d"])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.hasPrefix("planwatch demo — embedded seed plans and data, as of 2025-06-30, state in \(state)\n"))
            #expect(!result.stdout.contains("//"))
            #expect(result.stdout.contains("central-region-2021 — "))
            #expect(result.stdout.contains(" (as of 2025-06-30)\n"))
            // 22 first evaluations (the 13 targets without any data are not announced) and 24 data alerts.
            #expect(result.stdout.contains("\n46 alerts raised, written to \(state)/alerts.jsonl:\n"))
            let logged = try String(contentsOf: URL(fileURLWithPath: state + "/alerts.jsonl"), encoding: .utf8).split(separator: "\n")
            #expect(logged.count == 46)
            // The published files are vintages: first releases revised by later publications raise value_revised.
            #expect(logged.filter { $0.contains("\"kind\":\"value_revised\"") }.count == 16)
            let config = state + "/config/planwatch.yaml"
            #expect(result.stdout.hasSuffix("""
                Kept \(state). Look further with:
                  planwatch --config \(config) status
                  planwatch --config \(config) alerts --severity warning
                  planwatch --config \(config) list targets
                  planwatch --config \(config) history rd_intensity CN-CENTRAL
                  planwatch --config \(config) history urbanization_rate CN-AH

                """))
            // The printed commands work on the kept directory.
            let status = try cli.run(["status", "--config", config, "--state-dir", state, "--log-dir", state, "--plan", "central-region-2021"])
            #expect(status.status == 0)
            #expect(status.stdout.hasPrefix("19 targets: "))
            #expect(status.stdout.contains("\n\ncentral-region-2021 — "))
            let alerts = try cli.run(["alerts", "--config", config, "--state-dir", state, "--log-dir", state, "--json"])
            #expect(alerts.stdout.split(separator: "\n").count == 46)
            let history = try cli.run(["history", "rd_intensity", "CN", "--period", "2022", "--config", config, "--state-dir", state])
            #expect(history.stdout == """
                rd_intensity CN — R&D expenditure as a share of GDP, China (%); * = the value evaluation uses
                2022
                  * 2.56  National Bureau of Statistics of China  vintage 2024-10-02  nbs-rd-bulletin-2023-revisions.csv row 2  — the only source
                    2.54  National Bureau of Statistics of China  vintage 2023-09-18  nbs-rd-bulletin-2022.csv row 2  — older vintage than 2024-10-02 (history, not current)

                """)

            // A state directory in use is never written into.
            let again = try cli.run(["demo", "--state-dir", "d"])
            #expect(again.status == 1)
            #expect(again.stderr == "planwatch demo: \(state) already holds a database; the demo needs a new or empty state directory (or none: it then makes a temporary one)\n")
            #expect(try String(contentsOf: URL(fileURLWithPath: state + "/alerts.jsonl"), encoding: .utf8).split(separator: "\n").count == 46)
        }
    }

    /// Item 2: on the published figures, every target with published data is judged; only the milestones and
    /// three targets whose figures are not published stay insufficient_data, and those say what is missing.
    @Test func theSeedTargetsAreJudgedOnThePublishedFigures() throws {
        try withCLI { cli in
            let state = cli.directory.appending(path: "d").path
            #expect(try cli.run(["demo", "--as-of", "2025-06-30", "--state-dir", "d"]).status == 0)
            let status = try cli.run(["status", "--config", state + "/config/planwatch.yaml", "--state-dir", state, "--json"])
            let evaluations = try EvaluateCommandTests.evaluations(status.stdout)
            #expect(evaluations.mapValues { $0["state"] as? String ?? "" } == [
                "anhui-gdp-5tn": "achieved", "anhui-auto-chain-20pct": "insufficient_data",
                "wanyu-infrastructure-connectivity": "insufficient_data", "wanyu-industrial-clusters": "insufficient_data",
                "wanyu-cooperation-projects": "insufficient_data", "wanyu-hsr-nanyang-xinyang-hefei": "insufficient_data",
                "wanyu-hsr-fuyang-huanggang": "insufficient_data",
                "central-rd-share-2025": "off_track", "central-urbanization-1pp": "at_risk",
                "shanxi-rd-share-2025": "off_track", "anhui-rd-share-2025": "met", "jiangxi-rd-share-2025": "off_track",
                "henan-rd-share-2025": "off_track", "hubei-rd-share-2025": "off_track", "hunan-rd-share-2025": "at_risk",
                "shanxi-urbanization-1pp": "on_track", "anhui-urbanization-1pp": "on_track", "jiangxi-urbanization-1pp": "at_risk",
                "henan-urbanization-1pp": "at_risk", "hubei-urbanization-1pp": "at_risk", "hunan-urbanization-1pp": "at_risk",
                "central-modern-economy-2035": "insufficient_data", "central-urban-rural-2035": "insufficient_data",
                "central-green-2035": "insufficient_data", "central-open-economy-2035": "insufficient_data",
                "central-modernization-2035": "insufficient_data",
                "cn-urbanization-65-2025": "met", "cn-rd-spending-growth-7pct": "on_track", "cn-unemployment-2025": "met",
                "cn-energy-intensity-2025": "on_track", "cn-co2-intensity-2025": "off_track", "cn-life-expectancy-2025": "on_track",
                "cn-pension-coverage-95-2025": "insufficient_data",
                "xianggan-urbanization-2025": "insufficient_data", "xianggan-cooperation-2035": "insufficient_data",
            ])
            #expect(evaluations.values.filter { $0["state"] as? String != "insufficient_data" }.count == 21)
            // Stale stands beside the verdict: four targets judged on figures whose successors are overdue.
            #expect(Set(evaluations.filter { $0.value["stale"] as? Bool == true }.keys) == [
                "anhui-auto-chain-20pct", "central-urbanization-1pp", "henan-urbanization-1pp", "cn-co2-intensity-2025",
            ])
            for (target, evaluation) in evaluations where evaluation["state"] as? String == "insufficient_data" {
                let message = evaluation["message"] as? String ?? ""
                if evaluation["kind"] as? String == "milestone" {
                    #expect(message.contains("no completion reported"), "\(target)")
                } else {
                    #expect(message.contains(" Missing: "), "\(target): \(message)")
                }
            }
            // The energy target judges the index chained from the yearly changes, with the NDRC's cumulative figure.
            let energy = try #require(evaluations["cn-energy-intensity-2025"])
            #expect(energy["latest_period"] as? String == "2024")
            #expect(energy["latest_value"] as? Double == 88.4)
            #expect(energy["target_value"] as? Double == 86.5)
            #expect(energy["latest_source"] as? String == "National Development and Reform Commission")
            // On track by pace, while its own trend line misses the target: the message says both.
            #expect((energy["message"] as? String)?.contains("(106%); projected 88.85 in 2025; the two disagree: on track by pace (106%), but the trend line projects 88.85 in 2025, short of the target ≤ 86.5.") == true)
            // CO₂: 100 × 0.962 × 0.992 = 95.4304 in 2022; no 2023 change, so no later value.
            let co2 = try #require(evaluations["cn-co2-intensity-2025"])
            #expect(co2["latest_period"] as? String == "2022")
            #expect(co2["latest_value"] as? Double == 95.4304)
            #expect(co2["overdue"] as? [String: String] == ["period": "2023", "since": "2024-04-30"])
            #expect((co2["message"] as? String)?.contains("(59%); projected 88.51 in 2025. 40% of the time, 25% of the distance; needs -4.93% a year from now, against -2.31% a year so far. The 2023 figure is overdue: it was due by 2024-04-30; no co2_intensity_change for CN in 2023. Missing: The 2023 change on the previous year is not among the published figures") == true)
        }
    }

    /// People read the same numbers everywhere: for every seed target, the pace and projection the demo prints
    /// (computed in memory), `status` prints (read back from the stored JSON), the report's index shows and the
    /// alert log's messages say are the same, and the same as the one rounding of the JSON's ratio.
    @Test func everyOutputShowsTheSameRoundedNumbers() throws {
        try withCLI { cli in
            let state = cli.directory.appending(path: "d").path
            let demo = try cli.run(["demo", "--as-of", "2025-06-30", "--state-dir", "d"])
            #expect(demo.status == 0)
            let config = state + "/config/planwatch.yaml"
            let status = try cli.run(["status", "--config", config, "--state-dir", state, "--log-dir", state])
            let json = try EvaluateCommandTests.evaluations(
                try cli.run(["status", "--config", config, "--state-dir", state, "--log-dir", state, "--json"]).stdout)
            /// Each target's (PACE, PROJECTED) cells, by the header's column offsets (the cells are padded to them).
            func columns(_ table: String) -> [String: [String]] {
                var result: [String: [String]] = [:]
                var offsets: [Int] = []
                for line in table.split(separator: "\n").map(String.init) {
                    if line.hasPrefix("  TARGET ") {
                        offsets = ["PACE", "PROJECTED", "TREND"].map { line.distance(from: line.startIndex, to: line.range(of: $0)!.lowerBound) }
                        continue
                    }
                    guard !offsets.isEmpty, line.hasPrefix("  "), !line.hasPrefix("    "), line.count > offsets[0] else { continue }
                    let target = String(line.dropFirst(2).prefix { $0 != " " })
                    func cell(_ from: Int, _ to: Int) -> String {
                        let characters = Array(line)
                        return String(characters[min(from, characters.count)..<min(to, characters.count)]).trimmingCharacters(in: .whitespaces)
                    }
                    result[target] = [cell(offsets[0], offsets[1]), cell(offsets[1], offsets[2])]
                }
                return result
            }
            let fromDemo = columns(demo.stdout)
            let fromStatus = columns(status.stdout)
            let index = try String(contentsOfFile: state + "/report/index.html", encoding: .utf8)
            let alerts = try String(contentsOfFile: state + "/alerts.jsonl", encoding: .utf8)
            #expect(fromStatus.count == 35)
            for (target, evaluation) in json {
                let expected = (evaluation["pace_ratio"] as? Double).map { "\(Int((($0 * 100 * 1e9).rounded() / 1e9).rounded()))%" } ?? "—"
                #expect(fromStatus[target]?[0] == expected, "\(target): status")
                #expect(fromDemo[target] == fromStatus[target], "\(target): demo against status")
                // The two plans issued after 2025-06-30 are not in a report as of that day.
                if ["anhui-development", "anhui-henan-adjacent-2025"].contains(evaluation["plan"] as? String) {
                    #expect(!index.contains("data-target=\"\(target)\""), "\(target): left out of the report")
                    continue
                }
                let row = try #require(index.range(of: "data-target=\"\(target)\""))
                let line = index[row.upperBound...].drop { $0 != "\n" }.dropFirst().prefix { $0 != "\n" }
                let cells = Array(line.components(separatedBy: "<td class=\"pw-num\" data-label=\"").dropFirst().map {
                    String($0.drop { $0 != ">" }.dropFirst().prefix { $0 != "<" })
                })
                try #require(cells.count == 4, "\(target): \(line)")
                #expect([cells[2], cells[3]] == fromStatus[target], "\(target): report")
                if expected != "—", let line = alerts.split(separator: "\n").first(where: { $0.contains("\"target\":\"\(target)\"") }),
                   line.contains("%)") {
                    #expect(line.contains("(\(expected))") || line.contains("(\(expected) of the pace"), "\(target): alert log")
                }
            }
        }
    }

    @Test func withoutAStateDirectoryItUsesATemporaryOneAndNeverTheUsers() throws {
        try withCLI { cli in
            let users = cli.directory.appending(path: "users-state")
            try FileManager.default.createDirectory(at: users, withIntermediateDirectories: true)
            let result = try cli.run(
                ["demo", "--as-of", "2025-06-30"],
                environment: ["PLANWATCH_STATE_DIR": users.path, "PLANWATCH_LOG_DIR": users.path])
            #expect(result.status == 0, "\(result.stderr)")
            let header = try #require(result.stdout.split(separator: "\n").first)
            let directory = String(try #require(header.components(separatedBy: "state in ").last))
            #expect(directory.contains("/planwatch-demo-"))
            #expect(!directory.contains("//"))
            #expect(!FileManager.default.fileExists(atPath: directory), "removed without --keep")
            #expect(try FileManager.default.contentsOfDirectory(atPath: users.path) == [], "the user's state is untouched")
            #expect(!result.stdout.contains("Look further"))

            let config = try cli.run(["demo", "--config", "somewhere.yaml"])
            #expect(config.status == 64)
            #expect(config.stderr.hasPrefix("Error: the demo always runs on the embedded default; drop --config"))
            let date = try cli.run(["demo", "--as-of", "2025-13-01"])
            #expect(date.status == 64)
        }
    }

    @Test func keepKeepsTheTemporaryDirectory() throws {
        try withCLI { cli in
            let result = try cli.run(["demo", "--as-of", "2025-06-30", "--keep"])
            #expect(result.status == 0)
            let header = try #require(result.stdout.split(separator: "\n").first)
            let directory = String(try #require(header.components(separatedBy: "state in ").last))
            defer { try? FileManager.default.removeItem(atPath: directory) }
            #expect(FileManager.default.fileExists(atPath: directory + "/planwatch.sqlite"))
            #expect(result.stdout.contains("Kept \(directory). Look further with:\n"))
        }
    }
}

/// The README's examples are real outputs of the demo (issue 12, item 4).
@Suite("README examples")
struct ReadmeExampleTests {
    /// Every `$ planwatch demo --as-of DATE` block of the README (mid-term, and after the 2025 deadlines) is what the
    /// demo prints on that date.
    @Test func theReadmesDemoBlocksAreWhatTheDemoPrints() throws {
        let readme = try String(contentsOf: CLIRunner.repository.appending(path: "README.md"), encoding: .utf8)
        var dates: [String] = []
        var search = readme.startIndex..<readme.endIndex
        while let found = readme.range(of: "$ planwatch demo --as-of ", range: search) {
            let date = String(readme[found.upperBound...].prefix(10))
            dates.append(date)
            let command = "$ planwatch demo --as-of \(date)\n"
            let start = try #require(readme.range(of: command, range: found.lowerBound..<readme.endIndex))
            let end = try #require(readme.range(of: "\n```", range: start.upperBound..<readme.endIndex))
            search = end.upperBound..<readme.endIndex
            let block = readme[start.upperBound..<end.lowerBound].split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            // Chunks between `…` lines must each appear, whole and in order, in the demo's output.
            var chunks: [[String]] = [[]]
            for line in block {
                if line == "…" { chunks.append([]) } else { chunks[chunks.count - 1].append(line) }
            }
            chunks = chunks.filter { !$0.isEmpty }
            #expect(chunks.count >= 2)
            try withCLI { cli in
                let result = try cli.run(["demo", "--as-of", date])
                #expect(result.status == 0)
                let output = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                var from = 0
                for chunk in chunks {
                    let found = (from..<max(from, output.count - chunk.count + 1)).first { Array(output[$0..<($0 + chunk.count)]) == chunk }
                    #expect(found != nil, "README lines not in the demo's output as of \(date), in order:\n\(chunk.joined(separator: "\n"))")
                    from = (found ?? from) + chunk.count
                }
            }
        }
        #expect(dates == ["2025-06-30", "2026-12-01"])
        // "Try it" quotes the summary line of the run after the deadlines.
        let tryIt = try #require(readme.range(of: "## Try it"))
        let quoted = try #require(readme[tryIt.upperBound...].split(separator: "\n").first { $0.hasPrefix("35 targets: ") })
        let late = try #require(readme.range(of: "$ planwatch demo --as-of 2026-12-01\n"))
        #expect(readme[late.upperBound...].split(separator: "\n").first { $0.hasPrefix("35 targets: ") } == quoted)
    }
}
