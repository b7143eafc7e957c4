import Testing

@testable import PlanWatchCore

@Suite struct CanonicalLayoutTests {
    static let fullHeader = CSVRecord(["indicator", "region", "period", "value", "unit", "source", "note"], number: 1, line: 1)
    static let notANumber =
        "is not a number; write digits such as 1234.5 (thousands separators and a trailing % are fine), or leave the cell empty for a missing value"

    static func layout(_ header: CSVRecord = fullHeader) throws -> CanonicalLayout {
        try CanonicalLayout(header: header, catalog: TestCatalog.catalog)
    }

    static func headerProblems(_ names: [String]) -> [IngestProblem]? {
        do {
            _ = try CanonicalLayout(header: CSVRecord(names, number: 1, line: 1), catalog: TestCatalog.catalog)
            return nil
        } catch {
            return error.problems
        }
    }

    /// Reads one row (record 2, line 2 unless given) against the full seven-column header.
    static func read(_ fields: [String], number: Int = 2, line: Int = 2) throws -> RowResult {
        var layout = try layout()
        return layout.readRow(CSVRecord(fields, number: number, line: line))
    }

    static func problems(_ result: RowResult) -> [IngestProblem]? {
        if case .problems(let problems) = result { return problems }
        return nil
    }

    static func observation(_ result: RowResult) -> ObservationRow? {
        if case .observation(let row) = result { return row }
        return nil
    }

    // MARK: header

    @Test func recognisesTheHeaderInAnyOrderAndCase() {
        #expect(CanonicalLayout.matches(CSVRecord(["Value", "PERIOD", " Region ", "indicator", "note"])))
        #expect(!CanonicalLayout.matches(CSVRecord(["indicator", "region", "2019", "2020"])))
        #expect(!CanonicalLayout.matches(CSVRecord(["DATAFLOW", "REF_AREA", "TIME_PERIOD", "OBS_VALUE"])))
    }

    @Test func readsRowsWhoseColumnsComeInAnyOrderAndCase() throws {
        var layout = try Self.layout(CSVRecord(["Value", "PERIOD", "Region", "INDICATOR"]))
        let result = layout.readRow(CSVRecord(["12.5", "2024", "CN", "gdp"], number: 2, line: 2))
        #expect(Self.observation(result) == ObservationRow(
            indicator: "gdp", region: "CN", period: Period(year: 2024), value: 12.5, row: 2, column: "value", columnNumber: 1))
    }

    @Test func namesTheValueColumnAsTheHeaderHasIt() throws {
        #expect(try Self.layout(CSVRecord(["Indicator", "Region", "Period", "Note", " VALUE "])).valueHeader == ("value", 5))
    }

    @Test func rejectsAHeaderMissingOneColumn() {
        #expect(Self.headerProblems(["indicator", "region", "period", "unit"]) == [
            IngestProblem(
                row: 1, line: 1,
                message: "the header lacks the column 'value'; the first row must name indicator, region, period and value"),
        ])
    }

    @Test func rejectsAHeaderMissingSeveralColumns() {
        #expect(Self.headerProblems(["indicator", "region"]) == [
            IngestProblem(
                row: 1, line: 1,
                message: "the header lacks the columns 'period', 'value'; the first row must name indicator, region, period and value"),
        ])
    }

    @Test func rejectsADuplicateColumn() {
        #expect(Self.headerProblems(["indicator", "region", "period", "value", "Region"]) == [
            IngestProblem(
                row: 1, line: 1, column: "Region", columnNumber: 5, value: "Region",
                message: "column 'Region' appears twice (columns 2 and 5); keep one"),
        ])
    }

    @Test func rejectsAnUnknownColumnSuggestingTheClosest() {
        #expect(Self.headerProblems(["indicator", "region", "period", "Valeu"]) == [
            IngestProblem(
                row: 1, line: 1, column: "Valeu", columnNumber: 4, value: "Valeu",
                message: "unknown column 'Valeu'; the columns are indicator, region, period, value, unit, source, note, vintage",
                suggestions: ["value"]),
            IngestProblem(
                row: 1, line: 1,
                message: "the header lacks the column 'value'; the first row must name indicator, region, period and value"),
        ])
    }

    @Test func rejectsAnUnknownColumnWithoutASuggestionWhenNothingIsClose() {
        #expect(Self.headerProblems(["indicator", "region", "period", "value", "remarks"]) == [
            IngestProblem(
                row: 1, line: 1, column: "remarks", columnNumber: 5, value: "remarks",
                message: "unknown column 'remarks'; the columns are indicator, region, period, value, unit, source, note, vintage"),
        ])
    }

    // MARK: rows

    @Test func readsAFullRowIntoAnObservation() throws {
        let result = try Self.read(
            ["GDP", " anhui ", "2023", "47,100", "cny 100M", "Anhui Provincial Bureau of Statistics", "up 5.8%"], number: 7, line: 9)
        #expect(Self.observation(result) == ObservationRow(
            indicator: "gdp", region: "CN-AH", period: Period(year: 2023), value: 47_100,
            source: "Anhui Provincial Bureau of Statistics", note: "up 5.8%", row: 7, column: "value", columnNumber: 4))
    }

    @Test func readsAMonthlyRowByAlias() throws {
        let result = try Self.read(["Retail sales of consumer goods", "全国", "2024-7", "3.2", "", "", ""])
        #expect(Self.observation(result) == ObservationRow(
            indicator: "retail_sales", region: "CN", period: Period(year: 2024, frequency: .monthly, index: 7), value: 3.2,
            row: 2, column: "value", columnNumber: 4))
    }

    @Test func resolvesTheSameNamesOnLaterRows() throws {
        var layout = try Self.layout()
        for number in 2...4 {
            let result = layout.readRow(CSVRecord(["城镇化率", "安徽", "\(2020 + number)", "6\(number)%", "%", "", ""], number: number, line: number))
            #expect(Self.observation(result) == ObservationRow(
                indicator: "urbanization_rate", region: "CN-AH", period: Period(year: 2020 + number), value: Double(60 + number),
                row: number, column: "value", columnNumber: 4))
        }
    }

    @Test(arguments: ["", "..", "-", "  "])
    func readsAMissingValueAsMissing(value: String) throws {
        let result = try Self.read(["gdp", "CN", "2023", value, "CNY 100m", "", ""])
        guard case .missing = result else {
            Issue.record("expected .missing, got \(result)")
            return
        }
    }

    @Test func rejectsARowWithTooFewFields() throws {
        #expect(Self.problems(try Self.read(["gdp", "CN", "2023"], number: 5, line: 6)) == [
            IngestProblem(
                row: 5, line: 6,
                message: "the row has 3 fields but the header has 7; check for an unquoted comma or a missing field"),
        ])
    }

    @Test func rejectsARowWithOneFieldNamingItInTheSingular() throws {
        #expect(Self.problems(try Self.read(["gdp CN 2023 1"])) == [
            IngestProblem(
                row: 2, line: 2,
                message: "the row has 1 field but the header has 7; check for an unquoted comma or a missing field"),
        ])
    }

    @Test func rejectsARowWithTooManyFields() throws {
        #expect(Self.problems(try Self.read(["gdp", "CN", "2023", "1", "CNY 100m", "", "", "extra"])) == [
            IngestProblem(
                row: 2, line: 2,
                message: "the row has 8 fields but the header has 7; check for an unquoted comma or a missing field"),
        ])
    }

    @Test func rejectsAnUnknownIndicatorSuggestingTheClosest() throws {
        #expect(Self.problems(try Self.read(["urbanisation_rate", "CN", "2023", "66.2", "%", "", ""])) == [
            IngestProblem(
                row: 2, line: 2, column: "indicator", columnNumber: 1, value: "urbanisation_rate",
                message: "unknown indicator 'urbanisation_rate'",
                suggestions: ["urbanization_rate (Urbanization rate of permanent residents)"], unknown: .indicator),
        ])
    }

    @Test func rejectsAnUnknownRegionSuggestingTheClosest() throws {
        #expect(Self.problems(try Self.read(["gdp", "Anhwei", "2023", "47100", "", "", ""])) == [
            IngestProblem(
                row: 2, line: 2, column: "region", columnNumber: 2, value: "Anhwei", message: "unknown region 'Anhwei'",
                suggestions: ["CN-AH (Anhui)"], unknown: .region),
        ])
    }

    @Test func rejectsAnUnknownRegionWithoutSuggestionsWhenNothingIsClose() throws {
        #expect(Self.problems(try Self.read(["gdp", "Xinjiang", "2023", "47100", "", "", ""])) == [
            IngestProblem(row: 2, line: 2, column: "region", columnNumber: 2, value: "Xinjiang", message: "unknown region 'Xinjiang'", unknown: .region),
        ])
    }

    @Test func rejectsEmptyIndicatorAndRegionCells() throws {
        #expect(Self.problems(try Self.read(["", "", "2023", "1", "", "", ""])) == [
            IngestProblem(row: 2, line: 2, column: "indicator", columnNumber: 1, value: "", message: "the indicator is empty"),
            IngestProblem(row: 2, line: 2, column: "region", columnNumber: 2, value: "", message: "the region is empty"),
        ])
    }

    @Test func rejectsABadPeriod() throws {
        #expect(Self.problems(try Self.read(["gdp", "CN", "2023-13", "1", "", "", ""])) == [
            IngestProblem(
                row: 2, line: 2, column: "period", columnNumber: 3, value: "2023-13",
                message: "'2023-13' is not a period; write 2024, 2024-Q3 or 2024-07"),
        ])
    }

    @Test func rejectsAPeriodOfTheWrongFrequency() throws {
        #expect(Self.problems(try Self.read(["gdp", "CN", "2023-Q3", "1", "", "", ""])) == [
            IngestProblem(
                row: 2, line: 2, column: "period", columnNumber: 3, value: "2023-Q3",
                message: "'2023-Q3' is a quarterly period but indicator 'gdp' is annual"),
        ])
        #expect(Self.problems(try Self.read(["retail_sales", "CN", "2024", "1", "", "", ""])) == [
            IngestProblem(
                row: 2, line: 2, column: "period", columnNumber: 3, value: "2024",
                message: "'2024' is an annual period but indicator 'retail_sales' is monthly"),
        ])
    }

    @Test func rejectsANonNumericValue() throws {
        #expect(Self.problems(try Self.read(["gdp", "CN", "2023", " n/a ", "", "", ""])) == [
            IngestProblem(
                row: 2, line: 2, column: "value", columnNumber: 4, value: " n/a ", message: "' n/a ' \(Self.notANumber)"),
        ])
    }

    @Test func rejectsValuesThatUnderflowOrOverflow() throws {
        #expect(Self.problems(try Self.read(["gdp", "CN", "2023", "1e-400", "", "", ""])) == [
            IngestProblem(
                row: 2, line: 2, column: "value", columnNumber: 4, value: "1e-400",
                message: "'1e-400' is too small to store (it underflows to 0); check the cell"),
        ])
        #expect(Self.problems(try Self.read(["gdp", "CN", "2023", "-1e999", "", "", ""])) == [
            IngestProblem(
                row: 2, line: 2, column: "value", columnNumber: 4, value: "-1e999",
                message: "'-1e999' is too large to store (it overflows to infinity); check the cell"),
        ])
    }

    @Test func passesAUnitThatDiffersFromTheIndicatorsOnForTheCheckWhenStored() throws {
        // The layout does not judge units: the row carries the unit its file states, and UnitChecker (when the row
        // is stored) converts a known scale or refuses it.
        let row = try #require(Self.observation(try Self.read(["gdp", "CN", "2023", "1", "%", "", ""])))
        #expect(row.unit == "%")
        #expect(row.value == 1)
        let same = try #require(Self.observation(try Self.read(["gdp", "CN", "2023", "1", "CNY 100m", "", ""])))
        #expect(same.unit == nil)
    }

    @Test func readsAVintageColumn() throws {
        let layout = try CanonicalLayout(
            header: CSVRecord(["indicator", "region", "period", "value", "vintage"], number: 1, line: 1), catalog: TestCatalog.catalog)
        var reading = layout
        let row = try #require(Self.observation(reading.readRow(CSVRecord(["gdp", "CN", "2023", "1", "2024-02-29"], number: 2, line: 2))))
        #expect(row.vintage == "2024-02-29")
        let eurostat = try #require(Self.observation(reading.readRow(CSVRecord(["gdp", "CN", "2023", "1", "29/02/24 23:00:00"], number: 3, line: 3))))
        #expect(eurostat.vintage == "2024-02-29T23:00:00.000Z")
        #expect(Self.problems(reading.readRow(CSVRecord(["gdp", "CN", "2023", "1", "soon"], number: 4, line: 4))) == [
            IngestProblem(
                row: 4, line: 4, column: "vintage", columnNumber: 5, value: "soon",
                message: "'soon' is not a vintage; write the date the value was published, e.g. 2024-09-30 (or an RFC 3339 time)"),
        ])
        let none = try #require(Self.observation(reading.readRow(CSVRecord(["gdp", "CN", "2023", "1", ""], number: 5, line: 5))))
        #expect(none.vintage == nil)
    }

    @Test func reportsEveryProblemOfARowInColumnOrder() throws {
        #expect(Self.problems(try Self.read(["gdpp", "Anhwei", "2023年7月", "1,23", "kg", "", ""], number: 3, line: 4)) == [
            IngestProblem(
                row: 3, line: 4, column: "indicator", columnNumber: 1, value: "gdpp", message: "unknown indicator 'gdpp'",
                suggestions: ["gdp (Gross domestic product)"], unknown: .indicator),
            IngestProblem(
                row: 3, line: 4, column: "region", columnNumber: 2, value: "Anhwei", message: "unknown region 'Anhwei'",
                suggestions: ["CN-AH (Anhui)"], unknown: .region),
            IngestProblem(
                row: 3, line: 4, column: "period", columnNumber: 3, value: "2023年7月",
                message: "'2023年7月' is not a period; write 2024, 2024-Q3 or 2024-07"),
            IngestProblem(
                row: 3, line: 4, column: "value", columnNumber: 4, value: "1,23",
                message: "'1,23' is not a number: a ',' may only separate thousands (1,234.5); use '.' for decimals"),
        ])
    }

    @Test func reportsProblemsRatherThanMissingWhenTheValueIsEmpty() throws {
        #expect(Self.problems(try Self.read(["gdp", "Nowhere", "2023", "", "", "", ""])) == [
            IngestProblem(row: 2, line: 2, column: "region", columnNumber: 2, value: "Nowhere", message: "unknown region 'Nowhere'", unknown: .region),
        ])
    }

    @Test func rejectsACellThatIsNotUTF8() throws {
        var layout = try Self.layout(CSVRecord(["indicator", "region", "period", "value"]))
        var records: [CSVRecord] = []
        var reader = CSVReader()
        try [UInt8](Array("gdp,".utf8) + [0xFF] + Array(",2023,1\n".utf8)).withUnsafeBytes { chunk in
            try reader.feed(chunk) { records.append($0) }
        }
        #expect(records.count == 1)
        let record = try #require(records.first)
        #expect(Self.problems(layout.readRow(record)) == [
            IngestProblem(
                row: 1, line: 1, column: "region", columnNumber: 2, value: "\u{FFFD}",
                message: "is not valid UTF-8; save the file as UTF-8"),
        ])
    }

    // MARK: suggestions

    @Test func suggestsOncePerDistinctUnknownName() throws {
        var layout = try Self.layout()
        let expected = { (number: Int) in
            [
                IngestProblem(
                    row: number, line: number, column: "indicator", columnNumber: 1, value: "gdpp",
                    message: "unknown indicator 'gdpp'", suggestions: ["gdp (Gross domestic product)"], unknown: .indicator),
                IngestProblem(
                    row: number, line: number, column: "region", columnNumber: 2, value: "Anhwei",
                    message: "unknown region 'Anhwei'", suggestions: ["CN-AH (Anhui)"], unknown: .region),
            ]
        }
        for number in 2...5 {
            let result = layout.readRow(CSVRecord(["gdpp", "Anhwei", "2023", "1", "", "", ""], number: number, line: number))
            #expect(Self.problems(result) == expected(number))
        }
        #expect(layout.suggestionSearches == 2)
        let other = layout.readRow(CSVRecord(["gdp", "Hunan", "2023", "1", "", "", ""], number: 6, line: 6))
        #expect(Self.problems(other) == [
            IngestProblem(
                row: 6, line: 6, column: "region", columnNumber: 2, value: "Hunan", message: "unknown region 'Hunan'",
                suggestions: ["CN-HA (Henan)"], unknown: .region),
        ])
        #expect(layout.suggestionSearches == 3)
    }

    // MARK: descriptions

    @Test func describesAProblemWithRowLineColumnAndSuggestions() {
        let problem = IngestProblem(
            row: 3, line: 4, column: "region", columnNumber: 2, value: "Anhwei", message: "unknown region 'Anhwei'",
            suggestions: ["CN-AH (Anhui)", "CN-HA (Henan)"], unknown: .region)
        #expect(problem.description == "row 3 (line 4), column 2 'region': unknown region 'Anhwei'; did you mean 'CN-AH (Anhui)' or 'CN-HA (Henan)'?")
        #expect(IngestProblem(row: 2, line: 2, message: "short").description == "row 2: short")
    }

    @Test func describesAProblemWithoutTheControlCharactersOfTheFile() {
        let problem = IngestProblem(
            row: 2, line: 2, column: "re\u{1B}gion", columnNumber: 2, value: "\u{1B}[31mred\u{07}",
            message: "unknown region '\u{1B}[31mred\u{07}'", suggestions: ["CN\u{9B}1m (An\u{0}hui)"], unknown: .region)
        #expect(problem.description == #"row 2, column 2 're\x1bgion': unknown region '\x1b[31mred\x07'; did you mean 'CN\x9b1m (An\x00hui)'?"#)
    }

    @Test func describesAnUnknownRegionReadFromACellWithEscapes() throws {
        let problems = try #require(Self.problems(try Self.read(["gdp", "\u{1B}[31mred\u{07}", "2023", "1", "", "", ""])))
        #expect(problems.map(\.description) == [#"row 2, column 2 'region': unknown region '\x1b[31mred\x07'"#])
        #expect(problems.first?.value == "\u{1B}[31mred\u{07}")
    }
}
