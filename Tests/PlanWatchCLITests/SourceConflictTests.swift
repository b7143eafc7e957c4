import Foundation
import Testing

/// `source_conflict` alerts when many files give one cell: one alert per cell and source whose value disagrees
/// with others, listing their values, so the number of alerts grows with the files, not with their pairs.
@Suite("source conflicts", .serialized)
struct SourceConflictTests {
    /// File `index` gives gdp for CN-AH in 2023 as `47000 + 1000 × index` from a source of its own.
    static func files(_ cli: CLIRunner, count: Int) throws -> [String] {
        try (1...count).map { index in
            try cli.write("file-\(index).csv", """
                indicator,region,period,value,source
                gdp,CN-AH,2023,\(47_000 + 1_000 * index),Publisher \(index)

                """)
        }
    }

    static func conflicts(_ cli: CLIRunner) -> [[String: Any]] {
        WhatIfAndMessagesTests.logLines(cli).filter { $0["kind"] as? String == "source_conflict" }
    }

    @Test func manyFilesGivingOneCellRaiseOneConflictPerFileWithTheOtherValuesListed() throws {
        try withCLI { cli in
            let files = try Self.files(cli, count: 30)
            let ingest = try cli.run(["ingest", "--state-dir", "s", "--log-dir", "log"] + files)
            #expect(ingest.status == 0, "\(ingest.stderr)")
            let conflicts = Self.conflicts(cli)
            // Every file after the first disagrees with all before it: 29 alerts, where one per pair was 435.
            #expect(conflicts.count == 29)
            #expect(conflicts.map { $0["file"] as? String } == (2...30).map { "file-\($0).csv" })
            #expect(conflicts.first?["message"] as? String == """
                gdp for CN-AH in 2023: Publisher 2 says 49,000 (file-2.csv), Publisher 1 says 48,000, 2.04% apart; \
                evaluation uses the higher-ranked source (see planwatch history gdp CN-AH).
                """)
            #expect(conflicts.first?["old_value"] as? Double == 48_000)
            #expect(conflicts.first?["new_value"] as? Double == 49_000)
            #expect(conflicts.last?["message"] as? String == """
                gdp for CN-AH in 2023: Publisher 30 says 77,000 (file-30.csv) and 29 other sources disagree: \
                Publisher 1 says 48,000 (37.66% apart), Publisher 2 says 49,000 (36.36% apart), \
                Publisher 3 says 50,000 (35.06% apart), Publisher 4 says 51,000 (33.77% apart), \
                Publisher 5 says 52,000 (32.47% apart), Publisher 6 says 53,000 (31.17% apart), \
                Publisher 7 says 54,000 (29.87% apart), Publisher 8 says 55,000 (28.57% apart), \
                Publisher 9 says 56,000 (27.27% apart), Publisher 10 says 57,000 (25.97% apart), and 19 more; \
                evaluation uses the highest-ranked source (see planwatch history gdp CN-AH).
                """)
            #expect(conflicts.last?["old_value"] == nil, "several other values: the message lists them")
            #expect(conflicts.last?["new_value"] as? Double == 77_000)
            // Each pair is still recorded once, for the database's readers.
            let database = cli.directory.appending(path: "s/planwatch.sqlite").path
            #expect(try cli.sqlite(database, "SELECT count(*) FROM source_conflict") == ["435"])
        }
    }

    @Test func aSourceRepeatingItsValueRaisesNothingNewButARevisedValueIsAlertedAgain() throws {
        try withCLI { cli in
            let files = try Self.files(cli, count: 3)
            #expect(try cli.run(["ingest", "--state-dir", "s", "--log-dir", "log"] + files).status == 0)
            #expect(Self.conflicts(cli).count == 2)
            // Publisher 1 again with its own value (and a cell nobody else gives), in another file: no new pair, no alert.
            let same = try cli.write("same.csv", """
                indicator,region,period,value,source
                gdp,CN-AH,2023,48000,Publisher 1
                gdp,CN-AH,2022,47100,Publisher 1

                """)
            #expect(try cli.run(["ingest", "--state-dir", "s", "--log-dir", "log", same]).status == 0)
            #expect(Self.conflicts(cli).count == 2)
            // Publisher 1 revises its value: it disagrees anew with both others, in one alert.
            let revised = try cli.write("revised.csv", """
                indicator,region,period,value,source
                gdp,CN-AH,2023,45000,Publisher 1

                """)
            #expect(try cli.run(["ingest", "--state-dir", "s", "--log-dir", "log", revised]).status == 0)
            #expect(Self.conflicts(cli).count == 3)
            #expect(Self.conflicts(cli).last?["message"] as? String == """
                gdp for CN-AH in 2023: Publisher 1 says 45,000 (revised.csv) and 2 other sources disagree: \
                Publisher 2 says 49,000 (8.16% apart), Publisher 3 says 50,000 (10% apart); \
                evaluation uses the highest-ranked source (see planwatch history gdp CN-AH).
                """)
        }
    }
}
