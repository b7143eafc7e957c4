import Foundation
import Testing

@Suite("planwatch ingest")
struct IngestCommandTests {
    /// The seed CSV files, and their rows as `indicator|region|period|value` the way the sqlite3 shell prints them.
    static func seedRows() throws -> (files: [String], rows: [String]) {
        let folder = CLIRunner.repository.appending(path: "Tests/PlanWatchCLITests/Fixtures/seed-data-small")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".csv") }.sorted()
        var rows: [String] = []
        for file in files {
            let text = try String(contentsOf: folder.appending(path: file), encoding: .utf8)
            for line in text.split(separator: "\n").dropFirst() {
                let fields = line.split(separator: ",", maxSplits: 4, omittingEmptySubsequences: false)
                let value = Double(fields[3])!
                rows.append("\(fields[0])|\(fields[1])|\(fields[2])|\(value)")
            }
        }
        return (files.map { folder.appending(path: $0).path }, rows.sorted())
    }

    static let storedRows = """
        SELECT i.code || '|' || r.code || '|' || (o.period / 1000) || '|' || o.value
        FROM observation o JOIN indicator i ON i.id = o.indicator_id JOIN region r ON r.id = o.region_id ORDER BY 1
        """

    @Test func storesEverySeedRowAndNothingTwice() throws {
        try withCLI { cli in
            let seeds = try IngestCommandTests.seedRows()
            let first = try cli.run(["ingest", "--state-dir", "state"] + seeds.files)
            #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
            let database = cli.directory.appending(path: "state/planwatch.sqlite").path
            #expect(try cli.sqlite(database, IngestCommandTests.storedRows) == seeds.rows)
            #expect(seeds.rows.count == 31)

            let second = try cli.run(["ingest", "--state-dir", "state"] + seeds.files)
            #expect(second.status == 0)
            let lines = second.stdout.split(separator: "\n")
            #expect(lines.count == seeds.files.count)
            for (line, file) in zip(lines, seeds.files) {
                #expect(line.hasPrefix("\(file): duplicate of \((file as NSString).lastPathComponent), ingested 20"))
                #expect(line.hasSuffix("(same SHA-256); nothing stored"))
            }
            #expect(try cli.sqlite(database, "SELECT count(*) FROM observation") == ["31"])
            #expect(try cli.sqlite(database, "SELECT outcome, count(*) FROM ingested_file GROUP BY outcome ORDER BY 1") == ["duplicate|4", "ingested|4"])
            #expect(try cli.sqlite(database, "SELECT count(*) FROM observation_revision") == ["0"])
        }
    }

    @Test func aChangedValueIsStoredAsOneRevision() throws {
        try withCLI { cli in
            // One source under two of its names: a revision of its own value, not a second source.
            let first = try cli.write("first.csv", "indicator,region,period,value,source\nurbanization_rate,CN-AH,2023,61.5,Anhui Provincial Bureau of Statistics\nurbanization_rate,CN-AH,2024,62.57,Anhui Provincial Bureau of Statistics\n")
            let second = try cli.write("second.csv", "Region,INDICATOR,Value,Period,source\n安徽省,城镇化率,61.51,2023,安徽省统计局\n340000,urbanization_rate,62.57,2024,安徽省统计局\n")
            #expect(try cli.run(["ingest", "--state-dir", "s", first]).status == 0)
            let result = try cli.run(["ingest", "--state-dir", "s", second])
            #expect(result.status == 0)
            #expect(result.stdout == "\(second): ingested 1 of 2 rows (0 new, 1 revised, 1 unchanged, 0 missing values) [canonical]\n")
            let database = cli.directory.appending(path: "s/planwatch.sqlite").path
            #expect(try cli.sqlite(database, "SELECT period, old_value, new_value, old_source, new_source, row FROM observation_revision") == ["2023000|61.5|61.51|provincial-bureaus|provincial-bureaus|2"])
            #expect(try cli.sqlite(database, "SELECT period, value, source, current, file FROM observation_view ORDER BY period, current") == [
                "2023|61.5|provincial-bureaus|0|first.csv", "2023|61.51|provincial-bureaus|1|second.csv", "2024|62.57|provincial-bureaus|1|first.csv",
            ])
        }
    }

    @Test func aFileWithABadRowStoresNothingAndNamesRowAndColumn() throws {
        try withCLI { cli in
            let path = try cli.write("bad.csv", "indicator,region,period,value\nurbanization_rate,CN-AH,2023,61.51\nurbanization_rate,Anhwei,2024,62.57\nurbanization_rate,CN-AH,2022,sixty\n")
            let result = try cli.run(["ingest", "--state-dir", "s", path])
            #expect(result.status == 1)
            #expect(result.stdout == """
                \(path): rejected: 2 problems, nothing stored [canonical]
                  row 3, column 2 'region': unknown region 'Anhwei'; did you mean 'CN-AH (Anhui)'?
                  row 4, column 4 'value': 'sixty' is not a number; write digits such as 1234.5 (thousands separators and a trailing % are fine), or leave the cell empty for a missing value

                """)
            let database = cli.directory.appending(path: "s/planwatch.sqlite").path
            #expect(try cli.sqlite(database, "SELECT count(*) FROM observation") == ["0"])
            #expect(try cli.sqlite(database, "SELECT name, outcome, rows, bad_rows FROM ingested_file") == ["bad.csv|rejected|3|2"])
            #expect(FileManager.default.contents(atPath: path) != nil, "the rejected file is left as it was")
        }
    }

    @Test func conflictingValuesForOneKeyInOneFileAreRejected() throws {
        try withCLI { cli in
            let path = try cli.write("twice.csv", "indicator,region,period,value\nurbanization_rate,CN-AH,2023,61.51\nurbanization_rate,CN-AH,2023,61.51\nurbanization_rate,安徽,2023,60\n")
            let result = try cli.run(["ingest", "--state-dir", "s", path])
            #expect(result.status == 1)
            #expect(result.stdout == """
                \(path): rejected: 1 problem, nothing stored [canonical]
                  row 4, column 4 'value': urbanization_rate CN-AH 2023 is 60 here but 61.51 on row 2; keep one of the two rows

                """)
        }
    }

    @Test func dryRunValidatesAndStoresNothing() throws {
        try withCLI { cli in
            let path = try cli.write("q.csv", "indicator,region,period,value\ngdp,CN-AH,2023,\"47,100\"\ngdp,CN-JX,2020,25691.5\ngdp,CN-JX,2022,32074.7\ngdp,CN-JX,2021,..\n")
            let result = try cli.run(["ingest", "--dry-run", "--state-dir", "s", path])
            #expect(result.status == 0)
            #expect(result.stdout == """
                \(path): valid (dry run, nothing stored); would store 3 of 4 rows (3 new, 0 revised, 0 unchanged, 1 missing value) [canonical]
                  3 values name no source: stored as 'unattributed', which ranks below every named source; add a source column (or source: in the mapping)
                  gdp CN-AH: 1 row, 2023
                  gdp CN-JX: 2 rows, 2020–2022

                """)
            let database = cli.directory.appending(path: "s/planwatch.sqlite").path
            #expect(try cli.sqlite(database, "SELECT count(*) FROM observation") == ["0"])
            #expect(try cli.sqlite(database, "SELECT count(*) FROM ingested_file") == ["0"])
        }
    }

    @Test func jsonReportsCarryEveryProblem() throws {
        try withCLI { cli in
            let path = try cli.write("j.csv", "indicator,region,period,value,colour\nurbanization_rate,CN-AH,2023,61.51,red\n")
            let result = try cli.run(["ingest", "--json", "--state-dir", "s", path])
            #expect(result.status == 1)
            let reports = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]]
            let report = try #require(reports?.first)
            #expect(report["outcome"] as? String == "rejected")
            #expect(report["problem_count"] as? Int == 1)
            let problem = try #require((report["problems"] as? [[String: Any]])?.first)
            #expect(problem["row"] as? Int == 1)
            #expect(problem["column"] as? String == "colour")
            #expect(problem["column_number"] as? Int == 5)
            #expect(problem["message"] as? String == "unknown column 'colour'; the columns are indicator, region, period, value, unit, source, note, vintage")
        }
    }

    @Test func theStateDirectoryOptionWinsOverTheEnvironment() throws {
        try withCLI { cli in
            let path = try cli.write("a.csv", "indicator,region,period,value\ngdp,CN-AH,2023,47100\n")
            #expect(try cli.run(["ingest", path], environment: ["PLANWATCH_STATE_DIR": "from-env"]).status == 0)
            #expect(FileManager.default.fileExists(atPath: cli.directory.appending(path: "from-env/planwatch.sqlite").path))
            let other = try cli.write("b.csv", "indicator,region,period,value\ngdp,CN-AH,2022,45000\n")
            #expect(try cli.run(["ingest", "--state-dir", "from-option", other], environment: ["PLANWATCH_STATE_DIR": "from-env"]).status == 0)
            #expect(FileManager.default.fileExists(atPath: cli.directory.appending(path: "from-option/planwatch.sqlite").path))
        }
    }
}
