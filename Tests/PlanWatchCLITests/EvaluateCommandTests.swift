import Foundation
import Testing

@Suite("planwatch evaluate and status")
struct EvaluateCommandTests {
    /// A state directory with every seed file ingested.
    static func seeded() throws -> CLIRunner {
        let cli = try CLIRunner()
        let files = try IngestCommandTests.seedRows().files
        let result = try cli.run(["ingest", "--state-dir", "s"] + files)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        return cli
    }

    static func evaluations(_ json: String) throws -> [String: [String: Any]] {
        let array = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
        var byTarget: [String: [String: Any]] = [:]
        for item in array { byTarget[item["target"] as! String] = item }
        return byTarget
    }

    @Test func anhuiUrbanizationIsOnTrackOnAverageAsOfMid2025() throws {
        try withCLI(from: EvaluateCommandTests.seeded) { cli in
            let result = try cli.run(["evaluate", "--state-dir", "s", "--as-of", "2025-06-30", "--json"])
            #expect(result.status == 0, "\(result.stderr)")
            let anhui = try #require(try EvaluateCommandTests.evaluations(result.stdout)["anhui-urbanization-1pp"])
            // 59.39 − 58.33 = 1.06, 60.15 − 59.39 = 0.76, 61.51 − 60.15 = 1.36, 62.57 − 61.51 = 1.06: 2022 fell short,
            // but the target is "年均" (on average per year) and the mean 1.06 is above 1 → on_track.
            let changes = try #require(anhui["changes"] as? [[String: Any]])
            #expect(changes.map { $0["period"] as? String } == ["2021", "2022", "2023", "2024"])
            #expect(changes.map { (($0["change"] as! Double) * 100).rounded() / 100 } == [1.06, 0.76, 1.36, 1.06])
            #expect(changes.map { $0["passed"] as? Bool } == [true, false, true, true])
            #expect(anhui["state"] as? String == "on_track")
            #expect(anhui["as_of"] as? String == "2025-06-30")
            #expect(anhui["latest_period"] as? String == "2024")
            #expect(anhui["latest_value"] as? Double == 62.57)
            #expect(anhui["baseline_period"] as? String == "2020")
            #expect(anhui["required_pace"] as? Double == 1)
            // mean of the four changes = (62.57 − 58.33) / 4 = 1.06
            #expect(abs((anhui["actual_pace"] as! Double) - 1.06) < 1e-9)
            #expect(anhui["moving_away"] as? Bool == false)
            #expect(anhui["message"] as? String == "On track: average change 1.06 a period since 2020 against 1 needed (1.06 in 2021, 0.76 in 2022, "
                + "1.36 in 2023, 1.06 in 2024). Source of the 2024 figure: Provincial bureaus of statistics.")
            #expect(anhui["latest_source"] as? String == "Provincial bureaus of statistics")
            for key in ["plan", "target", "kind", "indicator", "region", "state", "moving_away", "as_of", "baseline_period", "baseline_value", "latest_period", "latest_value", "target_value", "required_pace", "actual_pace", "pace_ratio", "projected_value", "projected_period", "message"] {
                #expect(anhui.keys.contains(key), "SPEC §5 field \(key)")
            }
        }
    }

    @Test func periodsAfterTheAsOfDateAreIgnored() throws {
        try withCLI(from: EvaluateCommandTests.seeded) { cli in
            // China's urbanization reached 67.89 in 2025; as of 2025-12-30 the 2025 figure does not count yet.
            let before = try EvaluateCommandTests.evaluations(try cli.run(["evaluate", "--state-dir", "s", "--as-of", "2025-12-30", "--json"]).stdout)
            #expect(before["cn-urbanization-65-2025"]?["state"] as? String == "met")
            #expect(before["cn-urbanization-65-2025"]?["latest_period"] as? String == "2024")
            let after = try EvaluateCommandTests.evaluations(try cli.run(["evaluate", "--state-dir", "s", "--as-of", "2026-03-01", "--json"]).stdout)
            #expect(after["cn-urbanization-65-2025"]?["state"] as? String == "achieved")
            #expect(after["cn-urbanization-65-2025"]?["message"] as? String == "Achieved: 67.89 in 2025 meets the target ≥ 65. Source of the 2025 figure: National Bureau of Statistics of China.")
        }
    }

    @Test func statusShowsTheLastEvaluationAsAPlainTableWhenPiped() throws {
        try withCLI(from: EvaluateCommandTests.seeded) { cli in
            let empty = try cli.run(["status", "--state-dir", "s"])
            #expect(empty.stdout == "No target has been evaluated yet; run 'planwatch evaluate' (the daemon does it after every file).\n")
            #expect(try cli.run(["evaluate", "--state-dir", "s", "--as-of", "2025-06-30", "--record"]).status == 0)
            let result = try cli.run(["status", "--state-dir", "s", "--plan", "anhui-development"])
            #expect(result.status == 0)
            // The summary first; the state is the verdict on the latest data, the data column says it is overdue.
            #expect(result.stdout == """
                2 targets: 2 without data; 1 with data overdue

                anhui-development — Anhui high-quality development benchmarks (as of 2025-06-30)
                  TARGET                  STATE              DATA                           LATEST         TARGET VALUE  PACE  PROJECTED  TREND
                  anhui-gdp-5tn           insufficient_data  data overdue since 2025-04-30  47,100 (2023)  50,000        —     —
                    Not enough data: only 47,100 in 2023 between 2023 and 2024; two observations are needed. The 2024 figure is overdue: it was due by 2025-04-30. Source of the 2023 figure: Provincial bureaus of statistics.
                  anhui-auto-chain-20pct  insufficient_data                                 —              —             —     —
                    Not enough data: no period in 2022–2024 has both its value and an earlier one. Missing: Only the 2023 revenue is published as an outturn (auto_industry_full_chain_revenue: 11,600, +28.5% on 2022); the 2022 and 2024 revenues are not, and the 13,000 for 2024 is a stated goal, not a result.

                """)
            let json = try EvaluateCommandTests.evaluations(try cli.run(["status", "--state-dir", "s", "--json"]).stdout)
            #expect(json.count == 35)
            #expect(json["anhui-urbanization-1pp"]?["state"] as? String == "on_track")
        }
    }

    @Test func rejectsABadDateAndAnUnknownPlanAsUsageErrors() throws {
        try withCLI { cli in
            let date = try cli.run(["evaluate", "--state-dir", "s", "--as-of", "2025-02-30"])
            #expect(date.status == 64)
            #expect(date.stderr.hasPrefix("Error: --as-of '2025-02-30' is not a date; write YYYY-MM-DD, e.g. 2025-06-30\n"))
            let plan = try cli.run(["status", "--state-dir", "s", "--plan", "nope"])
            #expect(plan.status == 64)
            #expect(plan.stderr == "planwatch: there is no plan 'nope'; known: anhui-development, anhui-henan-adjacent-2025, central-region-2021, cn-14th-fyp, hunan-jiangxi-zone-2021\n")
        }
    }
}
