import Testing

@testable import PlanWatchCore

@Suite struct PeriodColumnsLayoutTests {
    static let header = CSVRecord(["indicator", "region", "2023", "2024"], number: 1, line: 1)

    static func problems(_ results: [RowResult]) -> [IngestProblem]? {
        guard results.count == 1, case .problems(let problems) = results[0] else { return nil }
        return problems
    }

    @Test func rejectsValuesThatUnderflowOrOverflow() throws {
        var layout = try PeriodColumnsLayout(kind: .wide, header: Self.header, catalog: TestCatalog.catalog)
        #expect(Self.problems(layout.read(CSVRecord(["gdp", "CN", "1e-400", "1e400"], number: 2, line: 2))) == [
            IngestProblem(
                row: 2, line: 2, column: "2023", columnNumber: 3, value: "1e-400",
                message: "'1e-400' is too small to store (it underflows to 0); check the cell"),
            IngestProblem(
                row: 2, line: 2, column: "2024", columnNumber: 4, value: "1e400",
                message: "'1e400' is too large to store (it overflows to infinity); check the cell"),
        ])
    }

    @Test func suggestsOncePerDistinctUnknownName() throws {
        var layout = try PeriodColumnsLayout(kind: .wide, header: Self.header, catalog: TestCatalog.catalog)
        for number in 2...4 {
            #expect(Self.problems(layout.read(CSVRecord(["gdpp", "Anhwei", "1", "2"], number: number, line: number))) == [
                IngestProblem(
                    row: number, line: number, column: "indicator", columnNumber: 1, value: "gdpp",
                    message: "unknown indicator 'gdpp'", suggestions: ["gdp (Gross domestic product)"], unknown: .indicator),
                IngestProblem(
                    row: number, line: number, column: "region", columnNumber: 2, value: "Anhwei",
                    message: "unknown region 'Anhwei'", suggestions: ["CN-AH (Anhui)"], unknown: .region),
            ])
        }
        #expect(layout.suggestionSearches == 2)
    }
}

@Suite struct SuggestionMemoTests {
    @Test func searchesOncePerNameAndKindAndGivesTheCatalogsAnswer() {
        let catalog = TestCatalog.catalog
        var memo = SuggestionMemo()
        for _ in 0..<3 {
            #expect(memo.regions(for: "Anhwei", in: catalog) == catalog.regionSuggestions(for: "Anhwei"))
            #expect(memo.indicators(for: "Anhwei", in: catalog) == catalog.indicatorSuggestions(for: "Anhwei"))
            #expect(memo.regions(for: "Xinjiang", in: catalog) == [])
        }
        #expect(memo.regions(for: "Anhwei", in: catalog) == ["CN-AH (Anhui)"])
        #expect(memo.searches == 3)
    }

    @Test func forgetsEverythingWhenFullAndKeepsAnswering() {
        let catalog = TestCatalog.catalog
        var memo = SuggestionMemo(limit: 2)
        _ = memo.regions(for: "a", in: catalog)
        _ = memo.regions(for: "b", in: catalog)
        _ = memo.regions(for: "a", in: catalog)
        #expect(memo.searches == 2)
        #expect(memo.regions(for: "Anhwei", in: catalog) == ["CN-AH (Anhui)"])
        #expect(memo.searches == 3)
        #expect(memo.regions(for: "Anhwei", in: catalog) == ["CN-AH (Anhui)"])
        _ = memo.regions(for: "a", in: catalog)
        #expect(memo.searches == 4)
        #expect(SuggestionMemo.defaultLimit == 10_000)
    }
}
