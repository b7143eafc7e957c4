/// The layouts with one column per period — wide (`indicator,region,2019,2020,…`), World Bank WDI bulk CSV and
/// the NBS data portal export — read the same way once the header is mapped: a row names its indicator and region
/// (or the file does), and each period cell is one observation, missing when empty, `..` or `-`.
public struct PeriodColumnsLayout: TableLayout {
    public enum Kind: Sendable {
        /// `indicator,region,2019,…`: unknown names are problems with suggestions.
        case wide
        /// World Bank WDI: rows for series and countries the catalogue does not track (aggregates such as
        /// "Arab World", other indicators) are skipped and counted.
        case wdi
        /// NBS export: one indicator for the file, from its `指标：` line; footer lines end the data.
        case nbs(indicator: Indicator)
    }

    public let name: String
    private let kind: Kind
    private var resolver: NameResolver
    private let headers: [String]
    private let indicatorColumns: [Int]
    private let regionColumns: [Int]
    private let periods: [(column: Int, period: Period)]
    private let sourceColumn: Int?
    private let unitColumn: Int?
    private var ended = false
    /// What the file says of all its values: the publisher (WDI: World Bank WDI; NBS: its `数据来源：` line, else
    /// the NBS data portal), the vintage (WDI `Last Updated Date`), the unit (NBS: the `指标：` line's
    /// parenthesis), a note (NBS `注：`).
    private var fileSource: String?
    private let fileVintage: String?
    private let fileUnit: String?
    private var fileNote: String?
    private let mapping: SourceMapping
    /// NBS rows wait for the footer, which names their source.
    private var held: [HeldRecord] = []

    /// Maps the header; throws the problems that make the file unreadable (no period column, missing columns).
    public init(
        kind: Kind, header: CSVRecord, catalog: Catalog, mapping: SourceMapping = SourceMapping(), vintage: String? = nil,
        unit: String? = nil
    ) throws(IngestFailure) {
        self.kind = kind
        self.mapping = mapping
        fileVintage = vintage
        fileUnit = unit
        // A fetched file's source (`fetch:`) is its values' source in place of what the layout infers.
        switch kind {
        case .wdi: fileSource = mapping.fileSource ?? "World Bank WDI"
        case .nbs: fileSource = mapping.fileSource ?? "NBS data portal"
        case .wide: fileSource = mapping.fileSource
        }
        resolver = NameResolver(catalog: catalog)
        headers = (0..<header.count).map { header.text($0) }
        var problems: [IngestProblem] = []
        var periods: [(column: Int, period: Period)] = []
        var indicatorColumns: [Int] = []
        var regionColumns: [Int] = []
        var source: Int?
        var unitColumn: Int?
        for (index, raw) in headers.enumerated() {
            let key = Catalog.normalize(raw)
            if let period = periodColumn(raw) {
                periods.append((index, period))
                continue
            }
            switch (kind, key) {
            case (.wide, "indicator"), (.wdi, "indicator code"), (.wdi, "indicator name"): indicatorColumns.append(index)
            case (.wide, "region"), (.wdi, "country code"), (.wdi, "country name"), (.nbs, "地区"): regionColumns.append(index)
            case (.wide, "source"): source = index
            case (.wide, "unit"): unitColumn = index
            case (.wide, "note"), (_, ""): break
            default:
                let expected: String
                switch kind {
                case .wide: expected = "a wide file has indicator, region, optional unit, source and note, then one column per period (2019, 2020年, 2024-Q1)"
                case .wdi: expected = "a World Bank WDI file has Country Name, Country Code, Indicator Name, Indicator Code, then one column per year"
                case .nbs: expected = "an NBS export has 地区, then one column per period (2024年, 2023年, …)"
                }
                problems.append(IngestProblem(
                    row: header.number, line: header.line, column: raw, columnNumber: index + 1, value: raw,
                    message: "unknown column '\(raw)'; \(expected)"))
            }
        }
        if indicatorColumns.isEmpty, case .nbs = kind {
        } else if indicatorColumns.isEmpty || regionColumns.isEmpty {
            let names: String
            switch kind {
            case .wide: names = "'indicator' and 'region'"
            case .wdi: names = "'Country Code' (or 'Country Name') and 'Indicator Code' (or 'Indicator Name')"
            case .nbs: names = "'地区'"
            }
            problems.append(IngestProblem(row: header.number, line: header.line, message: "the header lacks the column \(names)"))
        }
        if regionColumns.isEmpty, case .nbs = kind {
            problems.append(IngestProblem(row: header.number, line: header.line, message: "the header lacks the column '地区'"))
        }
        if periods.isEmpty {
            problems.append(IngestProblem(row: header.number, line: header.line, message: "the header has no period columns (2019, 2020年, 2024-Q1)"))
        }
        let frequencies = Set(periods.map(\.period.frequency))
        if frequencies.count > 1 {
            problems.append(IngestProblem(row: header.number, line: header.line, message: "the period columns mix frequencies (\(frequencies.map(\.rawValue).sorted().joined(separator: ", "))); one file holds one frequency"))
        }
        var seen: [Period: Int] = [:]
        for (column, period) in periods {
            if let first = seen[period] {
                problems.append(IngestProblem(
                    row: header.number, line: header.line, column: headers[column], columnNumber: column + 1, value: headers[column],
                    message: "period \(period) has two columns (\(first + 1) and \(column + 1)); keep one"))
            }
            seen[period] = column
        }
        guard problems.isEmpty else { throw IngestFailure(problems: problems) }
        self.indicatorColumns = indicatorColumns
        self.regionColumns = regionColumns
        self.periods = periods
        sourceColumn = source
        self.unitColumn = unitColumn
        switch kind {
        case .wide: name = "wide"
        case .wdi: name = "wdi"
        case .nbs: name = "nbs"
        }
    }

    public mutating func read(_ record: CSVRecord, into results: inout [RowResult]) {
        let found = rows(record)
        if case .nbs = kind {
            if !found.isEmpty { held.append(HeldRecord(number: record.number, line: record.line, results: found)) }
            return
        }
        results.append(contentsOf: found)
    }

    /// The NBS rows, with the footer's source and note.
    public mutating func finish() -> [HeldRecord] {
        defer { held = [] }
        guard fileSource != nil || fileNote != nil else { return held }
        return held.map { record in
            var record = record
            record.results = record.results.map { result in
                guard case .observation(var row) = result else { return result }
                row.source = row.source ?? fileSource
                row.note = row.note ?? fileNote
                return .observation(row)
            }
            return record
        }
    }

    /// How many suggestion searches ran, for tests.
    var suggestionSearches: Int { resolver.suggestionSearches }

    /// An NBS footer line: `数据来源：国家统计局` names the source; `注：…` is a note kept with every value.
    private mutating func footer(_ record: CSVRecord) {
        guard case .nbs = kind else { return }
        let line = (0..<record.count).map { record.text($0) }.filter { !$0.isEmpty }.joined(separator: ",")
        if let source = LayoutDetector.value(of: line, after: ["数据来源"]), !source.isEmpty {
            fileSource = mapping.fileSource ?? source
        } else if let note = LayoutDetector.value(of: line, after: ["注"]), !note.isEmpty {
            fileNote = fileNote.map { $0 + " " + note } ?? note
        }
    }

    private mutating func rows(_ record: CSVRecord) -> [RowResult] {
        if ended {
            footer(record)
            return []
        }
        let first = record.text(0)
        if case .nbs = kind, first.hasPrefix("注") || first.hasPrefix("数据来源") {
            ended = true  // the footer: notes and the source line end the table
            footer(record)
            return []
        }
        guard record.count == headers.count || (record.count < headers.count && headers[record.count...].allSatisfy(\.isEmpty)) else {
            return [.problems([IngestProblem(
                row: record.number, line: record.line,
                message: "the row has \(record.count) field\(record.count == 1 ? "" : "s") but the header has \(headers.count); check for an unquoted comma or a missing field")])]
        }
        var problems: [IngestProblem] = []
        let indicator: Indicator?
        switch kind {
        case .nbs(let fixed):
            indicator = fixed
        case .wide:
            let name = record.text(indicatorColumns[0])
            indicator = resolver.indicator(name)
            if indicator == nil {
                problems.append(IngestProblem(
                    row: record.number, line: record.line, column: headers[indicatorColumns[0]], columnNumber: indicatorColumns[0] + 1,
                    value: name, message: name.isEmpty ? "the indicator is empty" : "unknown indicator '\(name)'",
                    suggestions: resolver.indicatorSuggestions(for: name), unknown: name.isEmpty ? nil : .indicator))
            }
        case .wdi:
            var found: Indicator?
            for column in indicatorColumns where found == nil { found = resolver.indicator(record.text(column)) }
            indicator = found
            if indicator == nil { return [.skipped("indicator '\(record.text(indicatorColumns.last!))'")] }
        }
        var region: String?
        for column in regionColumns where region == nil { region = resolver.region(record.text(column)) }
        if region == nil {
            let name = record.text(regionColumns.last!)
            if case .wdi = kind { return [.skipped("region '\(name)'")] }
            problems.append(IngestProblem(
                row: record.number, line: record.line, column: headers[regionColumns.last!], columnNumber: regionColumns.last! + 1,
                value: name, message: name.isEmpty ? "the region is empty" : "unknown region '\(name)'",
                suggestions: resolver.regionSuggestions(for: name), unknown: name.isEmpty ? nil : .region))
        }
        if let indicator, let frequency = periods.first?.period.frequency, frequency != indicator.frequency {
            problems.append(IngestProblem(
                row: record.number, line: record.line, column: headers[periods[0].column], columnNumber: periods[0].column + 1,
                value: headers[periods[0].column],
                message: "the period columns are \(frequency.rawValue) but indicator '\(indicator.id)' is \(indicator.frequency.rawValue)"))
        }
        var results: [RowResult] = []
        var source = sourceColumn.map { record.text($0) }.flatMap { $0.isEmpty ? nil : $0 }
        var unit = unitColumn.map { record.text($0) }.flatMap { $0.isEmpty ? nil : $0 } ?? fileUnit
        var scale: Double?
        var code: String?
        if case .wdi = kind {
            code = indicatorColumns.last.map { record.text($0) }
            // WDI states the unit in the indicator's name: `Urban population (% of total population)`.
            if let column = indicatorColumns.first(where: { Catalog.normalize(headers[$0]) == "indicator name" }) {
                unit = record.text(column)  // the checker reads the label's unit (`MeasureUnit.stated(inLabel:)`)
            }
            for column in indicatorColumns {
                if let entry = mapping.entry(record.text(column)) {
                    unit = entry.unit ?? unit
                    scale = entry.scale
                    source = entry.source ?? source
                    break
                }
            }
        } else if case .nbs = kind {
            code = fileUnit  // the 指标 line's label
        } else if case .wide = kind, let column = indicatorColumns.first, let entry = mapping.entry(record.text(column)) {
            unit = entry.unit ?? unit
            scale = entry.scale
            source = entry.source ?? source
        }
        // An NBS export's source is its footer's, known only at the end (`finish`).
        if case .nbs = kind {} else { source = source ?? fileSource }
        for (column, period) in periods where column < record.count {
            switch NumberParser.parse(record.field(column)) {
            case .missing:
                results.append(.missing)
            case .invalid(let why):
                let raw = record.text(column)
                problems.append(IngestProblem(
                    row: record.number, line: record.line, column: headers[column], columnNumber: column + 1, value: raw,
                    message: "'\(raw)' \(why)"))
            case .number(let value):
                if let indicator, let region {
                    results.append(.observation(ObservationRow(
                        indicator: indicator.id, region: region, period: period, value: value * (scale ?? 1), source: source,
                        note: fileNote, vintage: fileVintage, unit: unit, row: record.number, column: headers[column],
                        columnNumber: column + 1, code: code)))
                }
            }
        }
        return problems.isEmpty ? results : [.problems(problems)]
    }
}
