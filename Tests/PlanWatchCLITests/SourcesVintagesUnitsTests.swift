import Foundation
import Testing

/// Issue 11: every number knows where it came from. Real-layout fixtures (`Fixtures/sources/`) reproduce each
/// failure the issue reports, and each test checks that it now ends as a user would want.
@Suite("every value keeps its source, vintage and unit", .serialized)
struct SourcesVintagesUnitsTests {
    static func fixture(_ name: String) -> String {
        CLIRunner.fixtures.appending(path: "sources/\(name)").path
    }

    static func evaluation(_ cli: CLIRunner, _ target: String, _ extra: [String] = []) throws -> [String: Any] {
        let result = try cli.run(["evaluate", "--state-dir", "s", "--log-dir", "log", "--as-of", "2025-06-30", "--json"] + extra)
        #expect(result.status == 0, "\(result.stderr)")
        return try #require(try EvaluateCommandTests.evaluations(result.stdout)[target])
    }

    static func alerts(_ cli: CLIRunner, kind: String) -> [[String: Any]] {
        WhatIfAndMessagesTests.logLines(cli).filter { $0["kind"] as? String == kind }
    }

    /// Settings with the seed plans and a mapping for the WDI and Eurostat series of the unit tests.
    static func mappedConfig(_ cli: CLIRunner) throws -> String {
        try cli.write("config/planwatch.yaml", """
            plans: \(CLIRunner.repository.appending(path: "seeds/plans.d").path)
            mapping:
              indicators:
                NY.GDP.MKTP.CD: gdp
                SP.POP.TOTL: {indicator: population, unit: persons}
                B1GQ.CP_MEUR: gdp
              regions:
                CHN: CN
              sdmx:
                indicator: [NA_ITEM, UNIT]

            """)
    }

    // MARK: sources

    @Test func aWDIFileAfterTheNBSDataLeavesNBSCurrentAndRaisesOneConflictPerCell() throws {
        try withCLI(from: EvaluateCommandTests.seeded) { cli in
            let before = try SourcesVintagesUnitsTests.evaluation(cli, "cn-urbanization-65-2025")
            let ingest = try cli.run(["ingest", "--state-dir", "s", "--log-dir", "log", SourcesVintagesUnitsTests.fixture("wdi-urbanization-2023.csv")])
            #expect(ingest.status == 0)
            #expect(ingest.stdout.hasSuffix("wdi-urbanization-2023.csv: ingested 12 values from 3 rows (12 new, 0 revised, 0 unchanged, 1 missing value, 2 untracked skipped) [wdi]\n  not tracked, skipped: region 'ARB', region 'DEU'\n"))
            let after = try SourcesVintagesUnitsTests.evaluation(cli, "cn-urbanization-65-2025")
            // NBS stays current: the same pace (3.5 = 350%, not the 181% the WDI figures gave) and the same message.
            #expect(after["pace_ratio"] as? Double == 3.50225225225)
            #expect(after["pace_ratio"] as? Double == before["pace_ratio"] as? Double)
            #expect(after["message"] as? String == before["message"] as? String)
            #expect(after["latest_source"] as? String == "National Bureau of Statistics of China")

            let database = cli.directory.appending(path: "s/planwatch.sqlite").path
            #expect(try cli.sqlite(database, "SELECT period, source, value FROM observation_view WHERE indicator = 'urbanization_rate' AND region = 'CN' AND period BETWEEN '2020' AND '2022' ORDER BY period, source") == [
                "2020|nbs|63.89", "2020|wdi|61.428", "2021|nbs|64.72", "2021|wdi|62.512", "2022|nbs|65.22", "2022|wdi|63.56",
            ])
            // One source_conflict per cell whose two values differ by more than 0.5%, and none for a re-ingest.
            let conflicts = SourcesVintagesUnitsTests.alerts(cli, kind: "source_conflict")
            #expect(conflicts.map { $0["period"] as? String } == ["2020", "2021", "2022"])
            #expect(conflicts.first?["message"] as? String == "urbanization_rate for CN in 2020: World Bank WDI says 61.43 (wdi-urbanization-2023.csv), National Bureau of Statistics of China says 63.89, 3.85% apart; evaluation uses the higher-ranked source (see planwatch history urbanization_rate CN).")
            #expect(conflicts.first?["old_value"] as? Double == 63.89)
            #expect(conflicts.first?["new_value"] as? Double == 61.428)
            #expect(conflicts.allSatisfy { $0["severity"] as? String == "warning" && $0["region"] as? String == "CN" })
            #expect(SourcesVintagesUnitsTests.alerts(cli, kind: "value_revised").isEmpty, "another source is not a revision")
            // Periods NBS lacks are filled by the lower-ranked source: WDI 2011–2019 are the only values there.
            #expect(try cli.sqlite(database, "SELECT count(*) FROM observation_view WHERE indicator = 'urbanization_rate' AND region = 'CN' AND source = 'wdi'") == ["12"])
        }
    }

    @Test func anIndicatorsOwnRankingWinsOverTheGlobalOrder() throws {
        try withCLI { cli in
            let plans = cli.directory.appending(path: "plans")
            try FileManager.default.createDirectory(at: plans, withIntermediateDirectories: true)
            for name in ["indicators.yaml", "regions.yaml", "sources.yaml", "cn-14th-fyp.yaml"] {
                try FileManager.default.copyItem(at: CLIRunner.repository.appending(path: "seeds/plans.d/\(name)"), to: plans.appending(path: name))
            }
            var indicators = try String(contentsOf: plans.appending(path: "indicators.yaml"), encoding: .utf8)
            indicators = indicators.replacingOccurrences(
                of: "    aggregate: weighted_mean\n    weight: population\n",
                with: "    aggregate: weighted_mean\n    weight: population\n    sources: [wdi, nbs]\n")
            try Data(indicators.utf8).write(to: plans.appending(path: "indicators.yaml"))
            try cli.write("planwatch.yaml", "plans: plans\n")
            let seeds = try IngestCommandTests.seedRows().files
            #expect(try cli.run(["ingest", "--config", "planwatch.yaml", "--state-dir", "s", "--log-dir", "log"] + seeds + [SourcesVintagesUnitsTests.fixture("wdi-urbanization-2023.csv")]).status == 0)
            let history = try cli.run(["history", "--config", "planwatch.yaml", "--state-dir", "s", "urbanization_rate", "China", "--period", "2022"])
            #expect(history.stdout.contains("  * 63.56  World Bank WDI  vintage 2023-12-18  wdi-urbanization-2023.csv row 7  — the highest-ranked source (wdi > nbs)\n"))
            #expect(history.stdout.contains("    65.22  National Bureau of Statistics of China  vintage 20"))
        }
    }

    // MARK: vintages

    @Test func anOlderWDIVintageChangesNothingCurrentAndSaysSo() throws {
        try withCLI(from: EvaluateCommandTests.seeded) { cli in
            #expect(try cli.run(["ingest", "--state-dir", "s", "--log-dir", "log", SourcesVintagesUnitsTests.fixture("wdi-urbanization-2023.csv")]).status == 0)
            let older = try cli.run(["ingest", "--state-dir", "s", "--log-dir", "log", SourcesVintagesUnitsTests.fixture("wdi-urbanization-2016.csv")])
            #expect(older.status == 0)
            #expect(older.stdout.hasSuffix("wdi-urbanization-2016.csv: ingested 0 values from 1 row (0 new, 0 revised, 0 unchanged, 0 missing values, 5 of an older vintage) [wdi]\n  5 values older than the stored vintage kept in history, not current\n"))
            let database = cli.directory.appending(path: "s/planwatch.sqlite").path
            #expect(try cli.sqlite(database, "SELECT period, value, vintage, current FROM observation_view WHERE indicator = 'urbanization_rate' AND region = 'CN' AND period = '2012' ORDER BY vintage") == [
                "2012|52.57|2016-07-01|0", "2012|53.1|2023-12-18|1",
            ])
            #expect(SourcesVintagesUnitsTests.alerts(cli, kind: "value_revised").isEmpty)
            #expect(try cli.sqlite(database, "SELECT count(*) FROM observation_revision") == ["0"])
            // Ingesting the newer vintage again changes nothing either: every value is unchanged.
            let again = try cli.run(["ingest", "--state-dir", "s", "--log-dir", "log", SourcesVintagesUnitsTests.fixture("wdi-urbanization-2023.csv")])
            #expect(again.stdout.contains("duplicate of wdi-urbanization-2023.csv"))
        }
    }

    @Test func anOldYearbookExportWithItsVintageLeavesTheRevisedSeriesCurrent() throws {
        try withCLI { cli in
            let new = try cli.run(["ingest", "--state-dir", "s", "--log-dir", "log", "--vintage", "2025-09-30", SourcesVintagesUnitsTests.fixture("nbs-gdp-2015-2024.csv")])
            #expect(new.status == 0)
            #expect(new.stdout.hasSuffix("nbs-gdp-2015-2024.csv: ingested 20 values from 3 rows (20 new, 0 revised, 0 unchanged, 10 missing values) [nbs]\n"))
            let old = try cli.run(["ingest", "--state-dir", "s", "--log-dir", "log", "--vintage", "2018-09-30", SourcesVintagesUnitsTests.fixture("nbs-gdp-2013-2017-yearbook.csv")])
            #expect(old.status == 0)
            #expect(old.stdout.hasSuffix("nbs-gdp-2013-2017-yearbook.csv: ingested 4 values from 2 rows (4 new, 0 revised, 0 unchanged, 0 missing values, 6 of an older vintage) [nbs]\n  6 values older than the stored vintage kept in history, not current\n"))
            let database = cli.directory.appending(path: "s/planwatch.sqlite").path
            #expect(try cli.sqlite(database, "SELECT period, value, vintage, current, note IS NOT NULL FROM observation_view WHERE indicator = 'gdp' AND region = 'CN-AH' AND period IN ('2014', '2017') ORDER BY period, vintage") == [
                "2014|20848.8|2018-09-30|1|0", "2017|27018.0|2018-09-30|0|0", "2017|29676.2|2025-09-30|1|1",
            ])
            #expect(try cli.sqlite(database, "SELECT name, layout, source, vintage FROM ingested_file ORDER BY id") == [
                "nbs-gdp-2015-2024.csv|nbs|nbs|2025-09-30", "nbs-gdp-2013-2017-yearbook.csv|nbs|nbs|2018-09-30",
            ])
            #expect(try cli.sqlite(database, "SELECT DISTINCT note FROM observation WHERE file_id = 1") == ["2018年及以前数据根据第五次全国经济普查结果修订。"])
            #expect(SourcesVintagesUnitsTests.alerts(cli, kind: "value_revised").isEmpty)
            let bad = try cli.run(["ingest", "--state-dir", "s", "--vintage", "last year", SourcesVintagesUnitsTests.fixture("nbs-gdp-2015-2024.csv")])
            #expect(bad.status == 64)
            #expect(bad.stderr.hasPrefix("Error: --vintage 'last year' is not a date; write the publication date, e.g. 2024-09-30\n"))
        }
    }

    // MARK: real-time evaluation

    @Test func knownAtReproducesAnEarlierStateExactly() throws {
        try withCLI { cli in
            let first = try cli.write("first.csv", """
                indicator,region,period,value,source
                urbanization_rate,CN-AH,2020,58.33,Anhui Provincial Bureau of Statistics
                urbanization_rate,CN-AH,2021,59.39,Anhui Provincial Bureau of Statistics
                urbanization_rate,CN-AH,2022,60.15,Anhui Provincial Bureau of Statistics
                urbanization_rate,CN-AH,2023,60.9,Anhui Provincial Bureau of Statistics

                """)
            let second = try cli.write("second.csv", """
                indicator,region,period,value,source
                urbanization_rate,CN-AH,2023,61.51,Anhui Provincial Bureau of Statistics
                urbanization_rate,CN-AH,2024,62.57,Anhui Provincial Bureau of Statistics

                """)
            #expect(try cli.run(["ingest", "--state-dir", "s", "--log-dir", "log", "--vintage", "2024-03-01", first]).status == 0)
            let then = try cli.run(["evaluate", "--state-dir", "s", "--log-dir", "log", "--as-of", "2024-06-30", "--json"])
            #expect(try cli.run(["ingest", "--state-dir", "s", "--log-dir", "log", "--vintage", "2025-03-01", second]).status == 0)
            let now = try cli.run(["evaluate", "--state-dir", "s", "--log-dir", "log", "--as-of", "2024-06-30", "--json"])
            let replayed = try cli.run(["evaluate", "--state-dir", "s", "--log-dir", "log", "--as-of", "2024-06-30", "--known-at", "2024-06-30", "--json"])
            #expect(replayed.status == 0)
            #expect(replayed.stderr == "planwatch: what-if as of 2024-06-30 with the figures known on 2024-06-30: nothing recorded, no alert logged (add --record to record it)\n")
            #expect(replayed.stdout == then.stdout, "the figures as they stood on 2024-06-30")
            #expect(now.stdout != then.stdout, "the revised 2023 figure changes today's view of the same day")
            let anhui = try #require(try EvaluateCommandTests.evaluations(replayed.stdout)["anhui-urbanization-1pp"])
            #expect(anhui["latest_value"] as? Double == 60.9)
            // Before any vintage was published nothing is known.
            let nothing = try EvaluateCommandTests.evaluations(try cli.run(["evaluate", "--state-dir", "s", "--as-of", "2024-06-30", "--known-at", "2024-01-01", "--json"]).stdout)
            #expect(nothing["anhui-urbanization-1pp"]?["state"] as? String == "insufficient_data")
        }
    }

    // MARK: units

    @Test func usDollarsAndMillionEuroAreRefusedForGDPInCNY100m() throws {
        try withCLI { cli in
            let config = try SourcesVintagesUnitsTests.mappedConfig(cli)
            let usd = try cli.run(["ingest", "--config", config, "--state-dir", "s", "--log-dir", "log", SourcesVintagesUnitsTests.fixture("wdi-gdp-population.csv")])
            #expect(usd.status == 1)
            #expect(usd.stdout.hasSuffix("""
                wdi-gdp-population.csv: rejected: 2 problems, nothing stored [wdi]
                  row 6, column 5 '2022': the value is in 'GDP (current US$)' but indicator 'gdp' is in 'CNY 100m'; planwatch converts only scales of one unit (人 → 万人, 元 → 亿元), never one currency or quantity into another: add an indicator in 'GDP (current US$)' to the catalogue and map the series to it (mapping: {indicators: {NY.GDP.MKTP.CD: NEW_INDICATOR}})
                  row 6, column 6 '2023': the value is in 'GDP (current US$)' but indicator 'gdp' is in 'CNY 100m'; planwatch converts only scales of one unit (人 → 万人, 元 → 亿元), never one currency or quantity into another: add an indicator in 'GDP (current US$)' to the catalogue and map the series to it (mapping: {indicators: {NY.GDP.MKTP.CD: NEW_INDICATOR}})

                """))
            let eur = try cli.run(["ingest", "--config", config, "--state-dir", "s", "--log-dir", "log", SourcesVintagesUnitsTests.fixture("eurostat-gdp-meur.csv")])
            #expect(eur.status == 1)
            #expect(eur.stdout.contains("row 2, column 8 'OBS_VALUE': the value is in 'CP_MEUR' but indicator 'gdp' is in 'CNY 100m'; planwatch converts only scales of one unit"))
            #expect(eur.stdout.contains("(mapping: {indicators: {B1GQ.CP_MEUR: NEW_INDICATOR}})"))
            #expect(try cli.sqlite(cli.directory.appending(path: "s/planwatch.sqlite").path, "SELECT count(*) FROM observation") == ["0"])
        }
    }

    @Test func personsAreStoredIn10kPersonsAndSaySo() throws {
        try withCLI { cli in
            let config = try SourcesVintagesUnitsTests.mappedConfig(cli)
            let result = try cli.run(["ingest", "--config", config, "--state-dir", "s", "--log-dir", "log", SourcesVintagesUnitsTests.fixture("wdi-population.csv")])
            #expect(result.status == 0)
            #expect(result.stdout.hasSuffix("wdi-population.csv: ingested 3 values from 1 row (3 new, 0 revised, 0 unchanged, 0 missing values) [wdi]\n  3 values of population converted from 'persons' to '10k persons' (× 0.0001)\n"))
            #expect(try cli.sqlite(cli.directory.appending(path: "s/planwatch.sqlite").path, "SELECT period, value, source, vintage FROM observation_view ORDER BY period") == [
                "2022|141217.5|wdi|2025-07-01", "2023|141071.0|wdi|2025-07-01", "2024|140828.0|wdi|2025-07-01",
            ])
            // A canonical row in 万人 is the indicator's unit; one in 人 is converted, one in % refused.
            let canonical = try cli.write("pop.csv", "indicator,region,period,value,unit,source\npopulation,CN-AH,2023,6121,万人,安徽省统计局\npopulation,CN-HA,2023,98150000,人,河南省统计局\n")
            let stored = try cli.run(["ingest", "--config", config, "--state-dir", "s", "--log-dir", "log", canonical])
            #expect(stored.stdout.hasSuffix("(2 new, 0 revised, 0 unchanged, 0 missing values) [canonical]\n  1 value of population converted from '人' to '10k persons' (× 0.0001)\n"))
            let percent = try cli.write("pct.csv", "indicator,region,period,value,unit,source\npopulation,CN-AH,2023,61.5,%,安徽省统计局\n")
            let refused = try cli.run(["ingest", "--config", config, "--state-dir", "s", "--log-dir", "log", percent])
            #expect(refused.status == 1)
            #expect(refused.stdout.contains("row 2, column 4 'value': the value is in '%' but indicator 'population' is in '10k persons'"))
        }
    }

    // MARK: provenance

    @Test func historyShowsEverySourceAndVintageAndWhichIsCurrent() throws {
        try withCLI(from: EvaluateCommandTests.seeded) { cli in
            #expect(try cli.run(["ingest", "--state-dir", "s", "--log-dir", "log", SourcesVintagesUnitsTests.fixture("wdi-urbanization-2023.csv")]).status == 0)
            let history = try cli.run(["history", "--state-dir", "s", "urbanization_rate", "CN"])
            #expect(history.status == 0, "\(history.stderr)")
            let lines = history.stdout.split(separator: "\n").map(String.init)
            #expect(lines.first == "urbanization_rate CN — Urbanization rate of permanent residents, China (%); * = the value evaluation uses")
            let period2021 = try #require(lines.firstIndex(of: "2021"))
            #expect(lines[period2021 + 1].hasPrefix("  *  64.72  National Bureau of Statistics of China  vintage 20"))
            #expect(lines[period2021 + 1].hasSuffix("  urbanization.csv row 3  — the highest-ranked source (nbs > wdi)"))
            #expect(lines[period2021 + 2] == "    62.512  World Bank WDI  vintage 2023-12-18  wdi-urbanization-2023.csv row 7  — current for World Bank WDI; ranked below National Bureau of Statistics of China")
            let period2015 = try #require(lines.firstIndex(of: "2015"))
            #expect(lines[period2015 + 1] == "  *  57.33  World Bank WDI  vintage 2023-12-18  wdi-urbanization-2023.csv row 7  — the only source")

            let json = try cli.run(["history", "--state-dir", "s", "urbanization_rate", "China", "--period", "2022", "--json"])
            let items = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
            #expect(items.map { $0["source"] as? String } == ["nbs", "wdi"])
            #expect(items.map { $0["evaluated"] as? Bool } == [true, false])
            #expect(items.map { $0["value"] as? Double } == [65.22, 63.56])
            #expect(items.last?["vintage"] as? String == "2023-12-18")
            #expect(items.last?["file"] as? String == "wdi-urbanization-2023.csv")

            let unknown = try cli.run(["history", "--state-dir", "s", "urbanisation_rate", "CN"])
            #expect(unknown.status == 64)
            #expect(unknown.stderr.hasPrefix("planwatch: there is no indicator 'urbanisation_rate'; did you mean 'urbanization_rate"))
            let empty = try CLIRunner()
            defer { empty.cleanUp() }
            let none = try empty.run(["history", "--state-dir", "s", "urbanization_rate", "CN"])
            #expect(none.status == 1)
            #expect(none.stderr == "planwatch: no database yet at \(empty.directory.path)/s/planwatch.sqlite; run `planwatch ingest` or start the service\n")
        }
    }

    @Test func statusAndTheMessageNameTheSourceAndTheViewShowsPeriodsAsWritten() throws {
        try withCLI(from: EvaluateCommandTests.seeded) { cli in
            #expect(try cli.run(["evaluate", "--state-dir", "s", "--log-dir", "log", "--as-of", "2025-06-30", "--record"]).status == 0)
            let status = try cli.run(["status", "--state-dir", "s", "--plan", "central-region-2021"])
            #expect(status.stdout.contains("Source of the 2024 figure: Provincial bureaus of statistics."))
            let database = cli.directory.appending(path: "s/planwatch.sqlite").path
            #expect(try cli.sqlite(database, "SELECT DISTINCT period FROM observation_view WHERE indicator = 'urbanization_rate' AND region = 'CN-AH' ORDER BY 1") == ["2020", "2021", "2022", "2023", "2024"])
            #expect(try cli.sqlite(database, "SELECT DISTINCT layout FROM ingested_file") == ["canonical"])
        }
    }

    // MARK: migration

    @Test func aDatabaseOfThePreviousReleaseIsMigratedWithNothingLost() throws {
        try withCLI { cli in
            try FileManager.default.createDirectory(at: cli.directory.appending(path: "s"), withIntermediateDirectories: true)
            let database = cli.directory.appending(path: "s/planwatch.sqlite").path
            try FileManager.default.copyItem(atPath: CLIRunner.fixtures.appending(path: "release-v2/planwatch.sqlite").path, toPath: database)
            let observations = try cli.sqlite(database, """
                SELECT i.code || '|' || r.code || '|' || o.period || '|' || o.value || '|' || coalesce(s.text, 'unattributed') || '|' || f.received_at
                FROM observation o JOIN indicator i ON i.id = o.indicator_id JOIN region r ON r.id = o.region_id
                LEFT JOIN source s ON s.id = o.source_id JOIN ingested_file f ON f.id = o.file_id ORDER BY 1
                """)
            #expect(observations.count == 37)
            let revisions = try cli.sqlite(database, "SELECT * FROM observation_revision ORDER BY id")
            let evaluations = try cli.sqlite(database, "SELECT * FROM evaluation ORDER BY id")
            let alerts = try cli.sqlite(database, "SELECT * FROM alert ORDER BY id")
            func alertsFor(_ target: String) -> Int {
                alerts.filter { $0.contains("|\(target)|") }.count
            }
            // A read command does not migrate: it says what to do.
            let status = try cli.run(["status", "--state-dir", "s"])
            #expect(status.status == 1)
            #expect(status.stderr == "planwatch: database \(database): was written by an older planwatch and is not upgraded yet; restart the service (or run `planwatch evaluate`) to upgrade it\n")
            // A writing command migrates in place.
            #expect(try cli.run(["evaluate", "--state-dir", "s", "--log-dir", "log", "--as-of", "2025-06-30", "--record"]).status == 0)
            #expect(try cli.sqlite(database, "SELECT identifier FROM grdb_migrations ORDER BY identifier").last == "v7-stale-flag")
            // The previous release stored anhui-gdp-5tn as the state `stale`: it takes its state now, flagged, with no
            // alert for the change of representation (the other targets' alerts are about their states).
            #expect(try cli.sqlite(database, "SELECT state, stale FROM target_state WHERE target = 'anhui-gdp-5tn'") == ["insufficient_data|1"])
            #expect(try cli.sqlite(database, "SELECT count(*) FROM alert WHERE target = 'anhui-gdp-5tn'") == ["\(alertsFor("anhui-gdp-5tn"))"])
            let migrated = try cli.sqlite(database, """
                SELECT i.code || '|' || r.code || '|' || o.period || '|' || o.value || '|' || s.text || '|' || v.text
                FROM observation o JOIN indicator i ON i.id = o.indicator_id JOIN region r ON r.id = o.region_id
                JOIN source s ON s.id = o.source_id JOIN vintage v ON v.id = o.vintage_id ORDER BY 1
                """)
            #expect(migrated == observations, "every value, its source as stored, its file's arrival as its vintage")
            #expect(try cli.sqlite(database, "SELECT * FROM observation_revision ORDER BY id") == revisions)
            #expect(Array(try cli.sqlite(database, "SELECT * FROM evaluation ORDER BY id").prefix(evaluations.count)) == evaluations)
            #expect(Array(try cli.sqlite(database, "SELECT * FROM alert ORDER BY id").prefix(alerts.count)).count == alerts.count)
            // The revised value is in the history with the vintage of the file it came from.
            #expect(try cli.sqlite(database, "SELECT h.value, s.text FROM observation_history h JOIN source s ON s.id = h.source_id") == ["61.51|Anhui Provincial Bureau of Statistics"])
            #expect(try cli.sqlite(database, "SELECT period, value, source, current FROM observation_view WHERE indicator = 'urbanization_rate' AND region = 'CN-AH' AND period = '2023' ORDER BY current") == [
                "2023|61.51|Anhui Provincial Bureau of Statistics|0", "2023|61.61|Anhui Statistical Yearbook 2025|1",
            ])
        }
    }
}
