import Foundation
import Testing

/// What a newcomer meets in the first hour: the demo judged as the figures stood on a day, the lists of what the
/// plans know, how a computed series is made, names found by part or abbreviation, Chinese headers, and no
/// command that leaves them without the next step.
@Suite("finding one's way in the demo", .serialized)
struct FindingOnesWayTests {
    /// A kept demo as of 2025-06-30 in `d/`; every seed file carries its publication date.
    static func demo() throws -> CLIRunner {
        let cli = try CLIRunner()
        let result = try cli.run(["demo", "--as-of", "2025-06-30", "--state-dir", "d"])
        #expect(result.status == 0, "\(result.stderr)")
        return cli
    }

    /// (state or nil, latest value, latest period) of headline targets, and how
    /// many of the 35 targets are judged at all, on three days with the figures known on that day.
    static let asKnown: [(day: String, judged: Int, targets: [String: (String?, Double?, String?)])] = [
        ("2024-06-30", 15, [
            // Anhui's 2024 GDP was first released in January 2025; the central region's GDP weights for 2022 are
            // known only from the NBS portal's export of 2025-05-06.
            "anhui-gdp-5tn": ("insufficient_data", 47050.6, "2023"),
            "central-rd-share-2025": ("insufficient_data", nil, nil),
            "anhui-rd-share-2025": ("met", 2.56, "2022"),
            "cn-urbanization-65-2025": ("met", 66.16, "2023"),
            "cn-energy-intensity-2025": ("off_track", 96.7166865, "2023"),
        ]),
        ("2025-06-30", 21, [
            "anhui-gdp-5tn": ("achieved", 50625.2, "2024"),
            "central-rd-share-2025": ("off_track", 2.25008080466, "2023"),
            "anhui-urbanization-1pp": ("on_track", 62.57, "2024"),
            "jiangxi-urbanization-1pp": ("at_risk", 63.77, "2024"),
            // The NDRC's -11.6% came on 2025-07-09: until then the index chains the yearly changes.
            "cn-energy-intensity-2025": ("at_risk", 93.041452413, "2024"),
        ]),
        ("2026-06-30", 21, [
            // The 2024 R&D bulletin of 2025-09-29, every province.
            "central-rd-share-2025": ("off_track", 2.29296077329, "2024"),
            "hunan-rd-share-2025": ("at_risk", 2.62, "2024"),
            "cn-urbanization-65-2025": ("achieved", 67.89, "2025"),
            "cn-energy-intensity-2025": ("achieved", 83.8916, "2025"),
            // Its 2025 figure is overdue by then: flagged stale beside the state.
            "hubei-urbanization-1pp": ("at_risk", 66.35, "2024"),
        ]),
    ]

    @Test func judgesEachTargetAsTheFiguresStoodOnThreeDays() throws {
        try withCLI(from: FindingOnesWayTests.demo) { cli in
            for (day, judged, targets) in FindingOnesWayTests.asKnown {
                let result = try cli.run([
                    "evaluate", "--config", "d/config/planwatch.yaml", "--known-at", day, "--as-of", day, "--json",
                ])
                #expect(result.status == 0, "\(result.stderr)")
                let evaluations = try EvaluateCommandTests.evaluations(result.stdout)
                let counted = evaluations.values.filter { $0["state"] as? String != "insufficient_data" }.count
                #expect("\(evaluations.count) targets, \(counted) judged" == "35 targets, \(judged) judged", "\(day)")
                for (target, (state, value, period)) in targets {
                    let evaluation = try #require(evaluations[target], "\(day) \(target)")
                    if let state { #expect(evaluation["state"] as? String == state, "\(day) \(target)") }
                    #expect(evaluation["latest_value"] as? Double == value, "\(day) \(target)")
                    #expect(evaluation["latest_period"] as? String == period, "\(day) \(target)")
                }
            }
        }
    }

    @Test func keptDemoSettingsNameItsOwnStateSoConfigAloneIsEnough() throws {
        try withCLI(from: FindingOnesWayTests.demo) { cli in
            let state = cli.directory.appending(path: "d").path
            let settings = try String(contentsOfFile: state + "/config/planwatch.yaml", encoding: .utf8)
            #expect(settings.hasSuffix("""

                # Written by planwatch demo: this demo's own state and alert log.
                state_dir: "\(state)"
                log_dir: "\(state)"

                """))
            let status = try cli.run(["--config", "d/config/planwatch.yaml", "status", "--json"])
            #expect(status.status == 0, "\(status.stderr)")
            #expect(try EvaluateCommandTests.evaluations(status.stdout).count == 35)
            // The test runner points PLANWATCH_LOG_DIR elsewhere; without it the settings' log_dir is the demo's.
            let alerts = try CLIRunner.execute(
                CLIRunner.binary.path, ["--config", "d/config/planwatch.yaml", "alerts", "--json"], in: cli.directory)
            #expect(alerts.status == 0, "\(alerts.stderr)")
            #expect(!alerts.stdout.isEmpty)
        }
    }

    @Test func listsPlansAndSourcesWithTheirIdsAndNames() throws {
        try withCLI { cli in
            let plans = try cli.run(["list", "plans", "--state-dir", "s", "--log-dir", "l"])
            #expect(plans.status == 0)
            #expect(plans.stdout == """
                PLAN                       TARGETS  ISSUED      TITLE
                anhui-development          2        2025-08-06  Anhui high-quality development benchmarks / 安徽高质量发展
                anhui-henan-adjacent-2025  5        2025-09-30  Implementation Plan for the Cooperative Development of the \
                Inter-provincial Adjacent Areas between Anhui and Henan / 皖豫省际毗邻地区合作发展实施方案
                central-region-2021        19       2021-04-23  Opinions on Promoting High-quality Development of the \
                Central Region in the New Era / 中共中央 国务院关于新时代推动中部地区高质量发展的意见
                cn-14th-fyp                7        2021-03-11  Outline of the 14th Five-Year Plan (2021-2025) for National \
                Economic and Social Development and Long-Range Objectives through the Year 2035 / \
                中华人民共和国国民经济和社会发展第十四个五年规划和2035年远景目标纲要
                hunan-jiangxi-zone-2021    2        2021-10-20  Overall Plan for the Construction of the Hunan–Jiangxi \
                Border Regional Cooperation Demonstration Zone / 湘赣边区域合作示范区建设总体方案

                """)
            let sources = try cli.run(["list", "sources", "--state-dir", "s", "--log-dir", "l"])
            let nbs = "nbs                     1     National Bureau of Statistics of China (NBS, 国家统计局, "
                + "中华人民共和国国家统计局, NBS data portal, 国家数据, National Bureau of Statistics)"
            let bureaus: String = "provincial-bureaus      2     Provincial bureaus of statistics (Shanxi Provincial "
                + "Bureau of Statistics, Anhui Provincial Bureau of Statistics, Jiangxi Provincial Bureau of Statistics, "
                + "Henan Provincial Bureau of Statistics, Hubei Provincial Bureau of Statistics, Hunan Provincial Bureau "
                + "of Statistics, 山西省统计局, 安徽省统计局, 江西省统计局, 河南省统计局, 湖北省统计局, 湖南省统计局)"
            let first: [String] = sources.stdout.split(separator: "\n").prefix(3).map(String.init)
            #expect(first == ["SOURCE                  RANK  NAMES", nbs, bureaus])
            let regions = try cli.run(["list", "regions", "--state-dir", "s", "--log-dir", "l"])
            let lines = regions.stdout.split(separator: "\n")
            #expect(lines.first == "REGION            LEVEL     PARENT     NAMES")
            #expect(lines.contains("CN-AH             province  CN         Anhui / 安徽省 (安徽, 皖, Anhui Province, 340000)"))
            #expect(lines.contains("CN-CENTRAL        group     -          Central region / 中部地区 (中部六省, Central China, "
                + "Central region of China); members CN-SX, CN-AH, CN-JX, CN-HA, CN-HB, CN-HN"))
            let targets = try cli.run(["list", "targets", "--json", "--state-dir", "s", "--log-dir", "l"])
            let items = try #require(try JSONSerialization.jsonObject(with: Data(targets.stdout.utf8)) as? [[String: Any]])
            #expect(items.count == 35)
            let urbanization = try #require(items.first { $0["id"] as? String == "central-urbanization-1pp" })
            #expect(urbanization["indicator"] as? String == "urbanization_rate")
            #expect(urbanization["region"] as? String == "CN-CENTRAL")
            #expect(urbanization["notes"] as? String == "\"常住人口城镇化率年均提高1个百分点以上\" (年均: on average per "
                + "year over 2021-2025, not in every year). \"以上\" is read as \"at least\": a mean change of exactly 1.0 pp "
                + "passes.")
            #expect(items.first { $0["id"] as? String == "wanyu-industrial-clusters" }?["indicator"] is NSNull)
        }
    }

    @Test func historyOfAGroupShowsItsMembersAndWeights() throws {
        try withCLI(from: FindingOnesWayTests.demo) { cli in
            let result = try cli.run(["--config", "d/config/planwatch.yaml", "history", "rd_intensity", "CN-CENTRAL", "--period", "2023"])
            #expect(result.status == 0)
            // The 2023 intensities as revised in the 2024 bulletin, weighted by the NBS portal's 2023 GDP.
            #expect(result.stdout == """
                rd_intensity CN-CENTRAL — R&D expenditure as a share of GDP, Central region (%): computed, not stored — \
                the mean of its members' values weighted by gdp (Σ w·v / Σ w)
                2023  2.20575740151
                  CN-SX  1.14  gdp 25698.2
                  CN-AH  2.62  gdp 47050.6
                  CN-JX  1.85  gdp 32200.1
                  CN-HA  2  gdp 59132.4
                  CN-HB  2.48  gdp 55803.6
                  CN-HN  2.53  gdp 50012.9

                """)
        }
    }

    @Test func historyOfADerivedIndexShowsTheChainOfChanges() throws {
        try withCLI(from: FindingOnesWayTests.demo) { cli in
            let result = try cli.run(["--config", "d/config/planwatch.yaml", "history", "energy_intensity", "CN"])
            #expect(result.status == 0)
            #expect(result.stdout == """
                energy_intensity CN — Energy consumption per unit of GDP, China (index 2020=100): computed, not stored — \
                an index, 2020 = 100, each year the year before × (1 + energy_intensity_change/100); where \
                energy_intensity_change_since_2020 is published, 100 × (1 + energy_intensity_change_since_2020/100) instead
                2020  100  the base
                2021  97.3  = 100 × (1 + -2.7/100): energy_intensity_change 2021 (National Bureau of Statistics of China)
                2022  97.2027  = 97.3 × (1 + -0.1/100): energy_intensity_change 2022 (National Bureau of Statistics of China)
                2023  96.7166865  = 97.2027 × (1 + -0.5/100): energy_intensity_change 2023 (National Bureau of Statistics \
                of China)
                2024  88.4  = 100 × (1 + -11.6/100): energy_intensity_change_since_2020 2024 (National Development and \
                Reform Commission); the chain restarts from this figure
                2025  83.8916  = 88.4 × (1 + -5.1/100): energy_intensity_change 2025 (National Bureau of Statistics of China)

                """)
        }
    }

    @Test func namesAreFoundByPartAndByTheProvincesAbbreviation() throws {
        try withCLI(from: FindingOnesWayTests.demo) { cli in
            let part = try cli.run(["--config", "d/config/planwatch.yaml", "history", "unemployment", "CN"])
            #expect(part.status == 64)
            #expect(part.stderr == "planwatch: there is no indicator 'unemployment'; did you mean 'unemployment_rate (Surveyed "
                + "urban unemployment rate)'?\n")
            let wan = try cli.run(["--config", "d/config/planwatch.yaml", "history", "urbanization_rate", "皖", "--period", "2024"])
            #expect(wan.stdout == """
                urbanization_rate CN-AH — Urbanization rate of permanent residents, Anhui (%); * = the value evaluation uses
                2024
                  * 62.57  Provincial bureaus of statistics  vintage 2025-03-10  anhui-population-survey-2024.csv row 2  — the only source

                """)
            let typo = try cli.run(["lsit", "plans"])
            #expect(typo.status == 64)
            #expect(typo.stderr == "planwatch: unknown command 'lsit'; did you mean 'list'?\nRun 'planwatch --help' for the commands.\n")
        }
    }

    @Test func ingestReadsChineseHeadersAndSaysStatesNeedAnEvaluation() throws {
        try withCLI { cli in
            let file = try cli.write("zh.csv", "指标,地区,年份,值,单位,来源,备注,发布日期\n城镇化率,豫,2024,59.22,%,河南省统计局,,2025-04-03\n")
            let result = try cli.run(["ingest", file, "--state-dir", "s", "--log-dir", "l"])
            #expect(result.status == 0, "\(result.stdout)")
            #expect(result.stdout == "\(file): ingested 1 of 1 row (1 new, 0 revised, 0 unchanged, 0 missing values) [canonical]\n")
            // A note, so on standard error, after the reports.
            #expect(result.stderr == "Target states are not updated by ingest: states are updated by the service, or run `planwatch evaluate`.\n")
            let stored = try cli.sqlite(cli.directory.appending(path: "s/planwatch.sqlite").path,
                "SELECT indicator, region, period, value, vintage FROM observation_view")
            #expect(stored == ["urbanization_rate|CN-HA|2024|59.22|2025-04-03"])
            // A duplicate changes nothing, so there is nothing to evaluate.
            let again = try cli.run(["ingest", file, "--state-dir", "s", "--log-dir", "l"])
            #expect(again.stderr == "")
        }
    }

    @Test func aNoteOnStandardErrorComesAfterTheTableUnderOneStream() throws {
        try withCLI(from: FindingOnesWayTests.demo) { cli in
            let result = try CLIRunner.execute(
                "/bin/sh", ["-c", "\"$0\" --config d/config/planwatch.yaml evaluate --as-of 2025-06-30 2>&1", CLIRunner.binary.path],
                in: cli.directory)
            #expect(result.status == 0)
            #expect(result.stdout.hasSuffix("""
                \n\
                planwatch: what-if as of 2025-06-30: nothing recorded, no alert logged (add --record to record it)

                """))
            #expect(result.stdout.components(separatedBy: "planwatch: what-if").count == 2)
        }
    }

    @Test func checkSeedsRefusesARowWithoutAVintage() throws {
        try withCLI { cli in
            // A copy of the script and the seed data, one row's vintage emptied; no table beside it.
            let root = cli.directory.appending(path: "repo")
            try FileManager.default.createDirectory(at: root.appending(path: "scripts"), withIntermediateDirectories: true)
            try FileManager.default.copyItem(
                at: CLIRunner.repository.appending(path: "scripts/check-seeds"), to: root.appending(path: "scripts/check-seeds"))
            try FileManager.default.createDirectory(at: root.appending(path: "seeds"), withIntermediateDirectories: true)
            try FileManager.default.copyItem(
                at: CLIRunner.repository.appending(path: "seeds/data"), to: root.appending(path: "seeds/data"))
            let file = root.appending(path: "seeds/data/nhc-life-expectancy-2019.csv")
            let text = try String(contentsOf: file, encoding: .utf8)
            try text.replacingOccurrences(of: ",2026-12-02,", with: ",,").write(to: file, atomically: true, encoding: .utf8)
            let result = try CLIRunner.execute(
                "/usr/bin/python3", [root.appending(path: "scripts/check-seeds").path, root.appending(path: "none.csv").path],
                in: cli.directory)
            #expect(result.status == 1)
            #expect(result.stdout.contains("""
                FAIL seeds/data/nhc-life-expectancy-2019.csv:2: no vintage; write the date the publication came out \
                (YYYY-MM-DD), or, where only a bound is known, the earliest date the figure is known to have been public, \
                and say which in the note
                """))
            #expect(result.stdout.hasSuffix("seeds/data: 285 rows in 79 files; no table; 1 failure\n"))
        }
    }
}
