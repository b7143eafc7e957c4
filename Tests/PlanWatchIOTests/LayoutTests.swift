import Foundation
import GRDB
import PlanWatchCore
import Testing

@testable import PlanWatchSetup
@testable import PlanWatchHTTP
@testable import PlanWatchIngest
@testable import PlanWatchFetch
@testable import PlanWatchOutputs
@testable import PlanWatchDaemon
@testable import PlanWatchStore

/// The published layouts, each as a fixture file written in the exact layout, ingested end to end.
@Suite("Layouts")
struct LayoutTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appending(path: "Fixtures")

    struct Fixture {
        let ingester: Ingester
        let store: Store

        init() throws {
            let folder = FileManager.default.temporaryDirectory.appending(path: "planwatch-layout-\(UUID().uuidString)")
            var configuration = try Configuration.loadFromDisk(LayoutTests.fixtures.appending(path: "config").path)
            configuration.settings.stateDirectory = folder.path
            store = try StateDirectory.openStore(configuration)
            ingester = try Ingester(configuration: configuration, store: store, now: { Date(timeIntervalSince1970: 1_750_000_000) })
        }

        func ingest(_ name: String) throws -> IngestReport {
            try ingester.ingest(path: LayoutTests.fixtures.appending(path: "layouts/\(name)").path, name: name)
        }

        /// Every stored observation as `indicator region period value [note]`.
        func stored() throws -> [String] {
            try store.writer.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT i.code, r.code, o.period, o.value, o.note FROM observation o
                    JOIN indicator i ON i.id = o.indicator_id JOIN region r ON r.id = o.region_id
                    ORDER BY i.code, r.code, o.period
                    """
                ).map { row in
                    let period = Period(key: row[2])!
                    let note: String? = row[4]
                    return "\(row[0] as String) \(row[1] as String) \(period) \(formatNumber(row[3]))" + (note.map { " [\($0)]" } ?? "")
                }
            }
        }
    }

    @Test func wideFilesWithYearColumns() throws {
        let fixture = try Fixture()
        let report = try fixture.ingest("wide.csv")
        #expect(report.text == "wide.csv: ingested 12 values from 3 rows (12 new, 0 revised, 0 unchanged, 3 missing values) [wide]\n  12 values name no source: stored as 'unattributed', which ranks below every named source; add a source column (or source: in the mapping)")
        #expect(try fixture.stored() == [
            "urbanization_rate CN 2020 63.89", "urbanization_rate CN 2021 64.72", "urbanization_rate CN 2022 65.22",
            "urbanization_rate CN 2023 66.16", "urbanization_rate CN 2024 67",
            "urbanization_rate CN-AH 2020 58.33", "urbanization_rate CN-AH 2021 59.39", "urbanization_rate CN-AH 2022 60.15",
            "urbanization_rate CN-AH 2023 61.51", "urbanization_rate CN-AH 2024 62.57",
            "urbanization_rate CN-SX 2023 64.97", "urbanization_rate CN-SX 2024 66.32",
        ])
    }

    @Test func wideFilesWithNianHeadersCRLFAndNoFinalNewline() throws {
        let fixture = try Fixture()
        let report = try fixture.ingest("wide-nian.csv")
        #expect(report.text == "wide-nian.csv: ingested 3 values from 2 rows (3 new, 0 revised, 0 unchanged, 3 missing values) [wide]\n  3 values name no source: stored as 'unattributed', which ranks below every named source; add a source column (or source: in the mapping)")
        #expect(try fixture.stored() == ["gdp CN-AH 2023 47100", "gdp CN-JX 2022 32074.7", "gdp CN-JX 2024 34202.5"])
    }

    @Test func worldBankBulkDownloadsKeepTrackedSeriesAndSkipTheRest() throws {
        let fixture = try Fixture()
        let report = try fixture.ingest("wdi.csv")
        #expect(report.text == """
            wdi.csv: ingested 6 values from 5 rows (6 new, 0 revised, 0 unchanged, 1 missing value, 4 untracked skipped) [wdi]
              not tracked, skipped: region 'ARB', indicator 'NY.GDP.MKTP.CD', region 'EMU', region 'DEU'
            """)
        #expect(try fixture.stored() == [
            "rd_intensity CN 2018 2.14", "rd_intensity CN 2019 2.24", "rd_intensity CN 2020 2.4", "rd_intensity CN 2021 2.44",
            "rd_intensity CN 2022 2.5552", "rd_intensity CN 2023 2.64",
        ])
    }

    /// The NBS rows, each with the export's footnote (`注：…`) kept as its note.
    static let nbsRows = [
        "urbanization_rate CN-AH 2020 58.33", "urbanization_rate CN-AH 2021 59.39", "urbanization_rate CN-AH 2022 60.15",
        "urbanization_rate CN-AH 2023 61.51", "urbanization_rate CN-AH 2024 62.57",
        "urbanization_rate CN-HA 2022 57.07", "urbanization_rate CN-HA 2023 58.08",
        "urbanization_rate CN-HB 2023 65.47", "urbanization_rate CN-HB 2024 66.35",
        "urbanization_rate CN-HN 2023 61.16", "urbanization_rate CN-HN 2024 62.07",
        "urbanization_rate CN-SX 2023 64.97", "urbanization_rate CN-SX 2024 66.32",
    ].map { $0 + " [2020年数据根据第七次全国人口普查结果修订。]" }

    @Test(arguments: [("nbs.csv", ""), ("nbs-gb18030.csv", ", gb18030")])
    func nbsPortalExportsInUTF8AndGB18030(name: String, tag: String) throws {
        let fixture = try Fixture()
        let report = try fixture.ingest(name)
        #expect(report.text == "\(name): ingested 13 values from 6 rows (13 new, 0 revised, 0 unchanged, 17 missing values) [nbs\(tag)]")
        #expect(try fixture.stored() == LayoutTests.nbsRows)
        // The footer's 数据来源：国家统计局 names the source (this catalogue has no sources: it is stored as written).
        #expect(try fixture.store.writer.read { db in try String.fetchAll(db, sql: "SELECT DISTINCT s.text FROM observation o JOIN source s ON s.id = o.source_id") } == ["国家统计局"])
        #expect(try fixture.store.writer.read { db in try String.fetchAll(db, sql: "SELECT layout FROM ingested_file") } == ["nbs"])
    }

    @Test func sdmxVersion1KeepsTheFlagAsANote() throws {
        let fixture = try Fixture()
        let report = try fixture.ingest("sdmx-v1.csv")
        #expect(report.text == """
            sdmx-v1.csv: ingested 3 values from 4 rows (3 new, 0 revised, 0 unchanged, 0 missing values, 1 untracked skipped) [sdmx-csv v1]
              not tracked, skipped: region 'DE'
            """)
        #expect(try fixture.stored() == [
            "life_expectancy CN-AH 2024 79.1", "urbanization_rate CN-AH 2023 61.51", "urbanization_rate CN-AH 2024 62.57 [OBS_FLAG p]",
        ])
    }

    @Test func sdmxVersion2WithSemicolonsQuartersMonthsAndDeletions() throws {
        let fixture = try Fixture()
        let earlier = try fixture.ingester.ingest(
            path: try LayoutTests.write("indicator,region,period,value,source\ngdp_growth_q,CN,2024-Q4,5.4,NBS GDP_Q\n"), name: "q4.csv")
        #expect(earlier.outcome == .ingested)
        let report = try fixture.ingest("sdmx-v2.csv")
        #expect(report.text == """
            sdmx-v2.csv: ingested 4 values from 6 rows (4 new, 0 revised, 0 unchanged, 0 missing values, 1 deleted, 1 untracked skipped) [sdmx-csv v2]
              not tracked, skipped: indicator 'PPI.N'
            """)
        #expect(try fixture.stored() == [
            "cpi_yoy CN 2025-06 -0.1", "cpi_yoy CN 2025-07 0", "gdp_growth_q CN 2025-Q1 5.4", "gdp_growth_q CN 2025-Q2 5.2 [OBS_FLAG e]",
        ])
        let history = try fixture.store.writer.read { db in
            try Row.fetchOne(db, sql: "SELECT old_value, new_value FROM observation_revision")
        }
        #expect(history?["old_value"] == 5.4)
        #expect(history?[1] as Double? == nil, "a deletion is a revision to nothing")
    }

    @Test func dryRunNamesTheLayoutAndWhatWouldBeStored() throws {
        let fixture = try Fixture()
        let report = try fixture.ingester.ingest(path: LayoutTests.fixtures.appending(path: "layouts/nbs-gb18030.csv").path, name: "nbs-gb18030.csv", dryRun: true)
        #expect(report.layout == "nbs")
        #expect(report.encoding == "gb18030")
        #expect(report.series.map { "\($0.indicator) \($0.region) \($0.rows) \($0.first)–\($0.last)" } == [
            "urbanization_rate CN-SX 2 2023–2024", "urbanization_rate CN-AH 5 2020–2024", "urbanization_rate CN-HA 2 2022–2023",
            "urbanization_rate CN-HB 2 2023–2024", "urbanization_rate CN-HN 2 2023–2024",
        ])
        #expect(try fixture.stored() == [])
    }

    static func write(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appending(path: "planwatch-\(UUID().uuidString).csv").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }
}
