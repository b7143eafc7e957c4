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

/// The corpus of broken (and tricky but valid) files: each `NAME.csv` in `Fixtures/broken` has its exact report
/// in `NAME.expected`. None may crash or hang, every rejection names its row (and column where there is one), and
/// a rejected file stores nothing and is left as it was.
@Suite("Broken files")
struct BrokenFileTests {
    static let folder = LayoutTests.fixtures.appending(path: "broken")

    static var corpus: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".csv") }.sorted()
    }

    @Test func theCorpusHasEveryCase() {
        #expect(BrokenFileTests.corpus == [
            "binary-garbage.csv", "conflicting-duplicates.csv", "duplicate-header.csv", "empty.csv", "header-only.csv",
            "invalid-encoding.csv", "nbs-unknown-indicator.csv", "no-final-newline.csv", "not-a-number.csv", "ragged-rows.csv",
            "sdmx-no-region.csv", "text-after-quote.csv", "thousands-and-percent.csv", "truncated-quote.csv", "unknown-layout.csv",
            "unknown-names.csv", "utf16.csv", "wdi-truncated.csv", "wrong-frequency.csv",
        ])
    }

    @Test(arguments: BrokenFileTests.corpus)
    func reportsExactly(_ name: String) throws {
        let fixture = try LayoutTests.Fixture()
        let path = BrokenFileTests.folder.appending(path: name).path
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let report = try fixture.ingester.ingest(path: path, name: name)
        let expected = try String(contentsOf: BrokenFileTests.folder.appending(path: name.replacingOccurrences(of: ".csv", with: ".expected")), encoding: .utf8)
        #expect(report.text + "\n" == expected)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        if report.outcome == .rejected {
            #expect(try fixture.stored() == [])
            #expect(report.problems.allSatisfy { $0.row >= 1 }, "every problem names its row")
        }
    }

    @Test func thousandsSeparatorsAndPercentSignsAreReadAsNumbers() throws {
        let fixture = try LayoutTests.Fixture()
        _ = try fixture.ingester.ingest(path: BrokenFileTests.folder.appending(path: "thousands-and-percent.csv").path)
        #expect(try fixture.stored() == ["gdp CN-AH 2023 47100.5", "urbanization_rate CN-AH 2024 62.57"])
    }

    @Test func aTenMegabyteFieldIsReportedShortly() throws {
        let fixture = try LayoutTests.Fixture()
        let huge = String(repeating: "9", count: 10 << 20)
        let path = try LayoutTests.write("indicator,region,period,value\nurbanization_rate,CN-AH,2024,\(huge)\n")
        let report = try fixture.ingester.ingest(path: path, name: "huge.csv")
        #expect(report.text == """
            huge.csv: rejected: 1 problem, nothing stored [canonical]
              row 2, column 4 'value': '999999999999999999999999999999999999999999999999999999999999… (10485760 bytes)' is too large to store (it overflows to infinity); check the cell
            """)
    }

    @Test func aTenMegabyteQuotedNoteIsStored() throws {
        let fixture = try LayoutTests.Fixture()
        let note = String(repeating: "x,\"\"\n", count: 2 << 20)
        let path = try LayoutTests.write("indicator,region,period,value,note\nurbanization_rate,CN-AH,2024,62.57,\"\(note)\"\n")
        let report = try fixture.ingester.ingest(path: path, name: "long-note.csv")
        #expect(report.outcome == .ingested)
        #expect(report.counts.inserted == 1)
    }
}

/// Inputs the fuzzer once found crashing or hanging (scripts/fuzz keeps them here): each must now be read to a
/// report.
@Suite("Fuzz regressions")
struct FuzzRegressionTests {
    static let folder = LayoutTests.fixtures.appending(path: "fuzz-regressions")

    static var inputs: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
    }

    @Test(arguments: FuzzRegressionTests.inputs)
    func isReadToAReport(_ name: String) throws {
        let fixture = try LayoutTests.Fixture()
        let report = try fixture.ingester.ingest(path: FuzzRegressionTests.folder.appending(path: name).path, name: name)
        #expect(report.outcome == .ingested || report.outcome == .rejected)
        #expect(report.outcome == .ingested || report.problemCount > 0, "a rejection says why")
    }
}
