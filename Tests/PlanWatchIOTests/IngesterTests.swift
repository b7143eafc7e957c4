import Foundation
import PlanWatchCore
import PlanWatchStore
import Testing

@testable import PlanWatchSetup
@testable import PlanWatchHTTP
@testable import PlanWatchIngest
@testable import PlanWatchFetch
@testable import PlanWatchOutputs
@testable import PlanWatchDaemon

@Suite("Ingester")
struct IngesterTests {
    struct Fixture {
        let folder: URL
        let ingester: Ingester

        init(policy: BadRowPolicy = .reject) throws {
            folder = FileManager.default.temporaryDirectory.appending(path: "planwatch-ingest-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            var configuration = try Configuration.loadEmbedded()
            configuration.settings.stateDirectory = folder.path
            configuration.settings.onBadRows = policy
            let store = try StateDirectory.openStore(configuration)
            ingester = try Ingester(configuration: configuration, store: store, now: { Date(timeIntervalSince1970: 1_700_000_000) })
        }

        func file(_ name: String, _ bytes: [UInt8]) throws -> String {
            let path = folder.appending(path: name).path
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            return path
        }

        func file(_ name: String, _ text: String) throws -> String { try file(name, Array(text.utf8)) }
    }

    @Test func skipPolicyStoresTheGoodRowsAndReportsTheRest() throws {
        let fixture = try Fixture(policy: .skip)
        let path = try fixture.file("mixed.csv", "indicator,region,period,value\ngdp,CN-AH,2023,47100\ngdp,Atlantis,2023,1\ngdp,CN-JX,2022,32074.7\n")
        let report = try fixture.ingester.ingest(path: path, name: "mixed.csv")
        #expect(report.outcome == .ingested)
        #expect(report.counts == IngestCounts(rows: 3, inserted: 2, badRows: 1))
        #expect(report.problems.map(\.description) == ["row 3, column 2 'region': unknown region 'Atlantis'"])
        #expect(report.text == """
            mixed.csv: ingested 2 of 3 rows (2 new, 0 revised, 0 unchanged, 0 missing values, 1 bad row skipped) [canonical]
              2 values name no source: stored as 'unattributed', which ranks below every named source; add a source column (or source: in the mapping)
              row 3, column 2 'region': unknown region 'Atlantis'
            """)
    }

    /// Files that are not CSV data at all, each with the exact problem reported.
    @Test(arguments: [
        ("empty.csv", [UInt8](), "row 1: the file is empty; the first row must be the header indicator,region,period,value"),
        ("header.csv", Array("indicator,region,period,value\n".utf8), "row 2: the file has a header but no data rows; nothing to store"),
        ("utf16.csv", [0xFF, 0xFE, 0x69, 0x00], "row 1: the file is UTF-16 encoded; save it as CSV UTF-8"),
        ("binary.csv", [0x50, 0x4B, 0x03, 0x04, 0x00, 0x00], "row 1: the file contains NUL bytes, so it is not a CSV text file (is it a spreadsheet or an archive? export it as CSV)"),
        ("open-quote.csv", Array("indicator,region,period,value,note\ngdp,CN-AH,2023,47100,\"never closed\n".utf8), "row 2, column 5: a quoted field starting on line 2 is never closed; add the closing quote (\")"),
        ("no-header.csv", Array("gdp,CN-AH,2023,47100\n".utf8), "row 1: the header 'gdp,CN-AH,2023,47100' matches no known layout: canonical (indicator,region,period,value), wide (indicator,region,2019,2020,…), World Bank WDI bulk CSV, NBS data portal export (数据库：…, 指标：…, 地区,2024年,…) or SDMX-CSV (…,TIME_PERIOD,OBS_VALUE)"),
    ] as [(String, [UInt8], String)])
    func filesThatAreNotCSVDataAreRejectedWithAReason(name: String, bytes: [UInt8], problem: String) throws {
        let fixture = try Fixture()
        let path = try fixture.file(name, bytes)
        let report = try fixture.ingester.ingest(path: path, name: name)
        #expect(report.outcome == .rejected)
        #expect(report.problems.last?.description == problem)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data(bytes), "the file is left intact")
    }

    @Test func aQuotedFieldWithCommasQuotesAndLineBreaksIsStoredAsWritten() throws {
        let fixture = try Fixture()
        let path = try fixture.file("quoted.csv", "\u{FEFF}indicator,region,period,value,source,note\r\n\"gdp\",\"CN-AH\",2023,\"47,100\",\"Anhui Bureau, \"\"communiqué\"\"\",\"line one\r\nline two\"\r\n")
        let report = try fixture.ingester.ingest(path: path, name: "quoted.csv")
        #expect(report.outcome == .ingested)
        #expect(report.counts.inserted == 1)
        #expect(report.series == [.init(indicator: "gdp", region: "CN-AH", rows: 1, first: Period(year: 2023), last: Period(year: 2023))])
    }

    @Test func theEmbeddedDefaultLoadsTheSeedPlans() throws {
        let configuration = try Configuration.loadEmbedded()
        #expect(configuration.isEmbedded)
        #expect(configuration.planSet.plans.map(\.id) == [
            "anhui-development", "anhui-henan-adjacent-2025", "central-region-2021", "cn-14th-fyp",
            "hunan-jiangxi-zone-2021",
        ])
        // The binary carries every published-figures file of seeds/data, byte for byte.
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let folder = repository.appending(path: "seeds/data")
        let onDisk = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".csv") }.sorted()
        #expect(onDisk.count == 79)
        #expect(EmbeddedSeeds.files.keys.filter { $0.hasPrefix("data/") }.sorted() == onDisk.map { "data/" + $0 })
        for name in onDisk {
            #expect(EmbeddedSeeds.files["data/" + name] == [UInt8](try Data(contentsOf: folder.appending(path: name))), "\(name)")
        }
    }
}
