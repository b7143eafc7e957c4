/// The canonical long layout, `indicator,region,period,value[,unit,source,note]`: columns in any order, header
/// names case-insensitive, in English or in the Chinese an analyst types (`chineseHeaders`). Turns each record
/// into an observation resolved against the catalogue, or problems.
public struct CanonicalLayout: Sendable {
    public static let required = ["indicator", "region", "period", "value"]
    public static let optional = ["unit", "source", "note", "vintage"]
    /// The Chinese header names of the columns: 指标, 地区, 时间 (or 期间, 年份), 数值 (or 值), 单位, 来源, 备注, 发布日期.
    public static let chineseHeaders: [String: String] = [
        "指标": "indicator", "地区": "region", "时间": "period", "期间": "period", "年份": "period",
        "数值": "value", "值": "value", "单位": "unit", "来源": "source", "备注": "note", "发布日期": "vintage",
    ]

    /// A header cell's column name: normalized, a Chinese name turned into its English one.
    static func columnName(_ raw: some StringProtocol) -> String {
        let name = Catalog.normalize(raw)
        return chineseHeaders[name] ?? name
    }

    private let catalog: Catalog
    private let names: [String]
    private let indicatorColumn: Int
    private let regionColumn: Int
    private let periodColumn: Int
    private let valueColumn: Int
    private let unitColumn: Int?
    private let sourceColumn: Int?
    private let noteColumn: Int?
    private let vintageColumn: Int?
    /// Cells already resolved, since a file repeats the same few indicator and region names on every row.
    private var indicatorCache: [String: Indicator] = [:]
    private var regionCache: [String: String] = [:]
    private var suggestions = SuggestionMemo()

    /// Whether a header looks like the canonical layout (it has the four required columns).
    public static func matches(_ header: CSVRecord) -> Bool {
        let names = Set(header.strings.map { columnName($0) })
        return required.allSatisfy(names.contains)
    }

    /// Maps the header's columns; throws every problem with it (missing, unknown or repeated columns).
    public init(header: CSVRecord, catalog: Catalog) throws(IngestFailure) {
        self.catalog = catalog
        var names: [String] = []
        var columns: [String: Int] = [:]
        var problems: [IngestProblem] = []
        let known = CanonicalLayout.required + CanonicalLayout.optional
        for index in 0..<header.count {
            let raw = header.string(index) ?? String(decoding: header.field(index), as: UTF8.self)
            let name = CanonicalLayout.columnName(raw)
            // Messages name a column as its header says it (数值, not value).
            names.append(Catalog.normalize(raw))
            if !known.contains(name) {
                let closest = known.min {
                    Catalog.editDistance(Array($0.unicodeScalars), Array(name.unicodeScalars))
                        < Catalog.editDistance(Array($1.unicodeScalars), Array(name.unicodeScalars))
                }
                let near = closest.map { Catalog.editDistance(Array($0.unicodeScalars), Array(name.unicodeScalars)) <= 2 } ?? false
                problems.append(IngestProblem(
                    row: header.number, line: header.line, column: raw, columnNumber: index + 1, value: raw,
                    message: "unknown column '\(raw)'; the columns are \(known.joined(separator: ", "))",
                    suggestions: near ? [closest!] : []))
            } else if let first = columns[name] {
                problems.append(IngestProblem(
                    row: header.number, line: header.line, column: raw, columnNumber: index + 1, value: raw,
                    message: "column '\(raw)' appears twice (columns \(first + 1) and \(index + 1)); keep one"))
            } else {
                columns[name] = index
            }
        }
        let missing = CanonicalLayout.required.filter { columns[$0] == nil }
        if !missing.isEmpty {
            problems.append(IngestProblem(
                row: header.number, line: header.line,
                message: "the header lacks the column\(missing.count > 1 ? "s" : "") \(missing.map { "'\($0)'" }.joined(separator: ", ")); the first row must name indicator, region, period and value"))
        }
        guard problems.isEmpty, let indicator = columns["indicator"], let region = columns["region"],
            let period = columns["period"], let value = columns["value"]
        else { throw IngestFailure(problems: problems) }
        self.names = names
        indicatorColumn = indicator
        regionColumn = region
        periodColumn = period
        valueColumn = value
        unitColumn = columns["unit"]
        sourceColumn = columns["source"]
        noteColumn = columns["note"]
        vintageColumn = columns["vintage"]
    }

    /// How many suggestion searches ran, for tests.
    var suggestionSearches: Int { suggestions.searches }

    /// The value column's header name and 1-based number, for problems found after a row was read.
    public var valueHeader: (name: String, number: Int) { (names[valueColumn], valueColumn + 1) }

    /// Reads one data record: the fast path for an ordinary row, else the checked path that explains problems.
    public mutating func readRow(_ record: CSVRecord) -> RowResult {
        if let row = fastRow(record) { return .observation(row) }
        return checkedRow(record)
    }

    /// What the fast path needs of an indicator (copying a whole `Indicator` costs a retain per field, per row).
    private struct IndicatorEssentials: Sendable {
        var id: String
        var frequency: Frequency
        var unit: String
    }

    private var indicatorMemo = CellMemo<IndicatorEssentials>()
    private var regionMemo = CellMemo<String>()
    private var sourceMemo = CellMemo<String?>()
    private var noteMemo = CellMemo<String?>()
    private var unitMemo = CellMemo<String>()

    /// An ordinary row without a single String built for the names, period or value: each cell is compared with
    /// the last one seen in its column (files repeat the indicator, region and source row after row) and numbers
    /// and periods are read from the bytes. Nil as soon as anything is unusual; `checkedRow` then decides.
    private mutating func fastRow(_ record: CSVRecord) -> ObservationRow? {
        guard record.count == names.count else { return nil }
        let catalog = self.catalog
        guard let indicator = indicatorMemo.value(for: record.field(indicatorColumn), resolve: { name in
                catalog.indicator(named: name).map { IndicatorEssentials(id: $0.id, frequency: $0.frequency, unit: $0.unit) }
            }),
            let region = regionMemo.value(for: record.field(regionColumn), resolve: { catalog.region(named: $0)?.code }),
            let period = Period(bytes: record.field(periodColumn)), period.frequency == indicator.frequency,
            let value = NumberParser.parsePlain(record.field(valueColumn))
        else { return nil }
        if let unitColumn {
            let cell = record.field(unitColumn)
            if !cell.isEmpty {
                let unit = Catalog.normalize(indicator.unit)
                guard unitMemo.value(for: cell, resolve: { Catalog.normalize($0) == unit ? unit : nil }) == unit else { return nil }
            }
        }
        var source: String?
        if let sourceColumn {
            guard let found = sourceMemo.value(for: record.field(sourceColumn), resolve: { text in .some(text.isEmpty ? nil : text) }) else { return nil }
            source = found
        }
        var note: String?
        if let noteColumn {
            guard let found = noteMemo.value(for: record.field(noteColumn), resolve: { text in .some(text.isEmpty ? nil : text) }) else { return nil }
            note = found
        }
        if let vintageColumn, !record.field(vintageColumn).isEmpty { return nil }
        return ObservationRow(
            indicator: indicator.id, region: region, period: period, value: value, source: source, note: note,
            row: record.number, column: names[valueColumn], columnNumber: valueColumn + 1)
    }

    /// Reads one data record, checking every cell and explaining every problem.
    private mutating func checkedRow(_ record: CSVRecord) -> RowResult {
        guard record.count == names.count else {
            return .problems([IngestProblem(
                row: record.number, line: record.line,
                message: "the row has \(record.count) field\(record.count == 1 ? "" : "s") but the header has \(names.count); check for an unquoted comma or a missing field")])
        }
        var problems: [IngestProblem] = []
        func problem(
            _ column: Int, _ value: String?, _ message: String, _ suggestions: [String] = [],
            unknown: IngestProblem.UnknownReference? = nil
        ) {
            problems.append(IngestProblem(
                row: record.number, line: record.line, column: names[column], columnNumber: column + 1, value: value,
                message: message, suggestions: suggestions, unknown: unknown))
        }
        func text(_ column: Int) -> String? {
            guard let value = record.string(column) else {
                problem(column, String(decoding: record.field(column), as: UTF8.self), "is not valid UTF-8; save the file as UTF-8")
                return nil
            }
            return value
        }
        var indicator: Indicator?
        if let name = text(indicatorColumn) {
            indicator = indicatorCache[name]
            if indicator == nil, let found = catalog.indicator(named: name) {
                indicator = found
                indicatorCache[name] = found
            }
            if indicator == nil {
                problem(indicatorColumn, name, name.isEmpty ? "the indicator is empty" : "unknown indicator '\(name)'",
                        suggestions.indicators(for: name, in: catalog), unknown: name.isEmpty ? nil : .indicator)
            }
        }
        var region: String?
        if let name = text(regionColumn) {
            region = regionCache[name]
            if region == nil, let found = catalog.region(named: name) {
                region = found.code
                regionCache[name] = found.code
            }
            if region == nil {
                problem(regionColumn, name, name.isEmpty ? "the region is empty" : "unknown region '\(name)'",
                        suggestions.regions(for: name, in: catalog), unknown: name.isEmpty ? nil : .region)
            }
        }
        var period: Period?
        if let textValue = text(periodColumn) {
            period = Period(parsing: textValue)
            if period == nil {
                problem(periodColumn, textValue, "'\(textValue)' is not a period; write 2024, 2024-Q3 or 2024-07")
            } else if let indicator, let found = period, found.frequency != indicator.frequency {
                problem(periodColumn, textValue, "'\(textValue)' is \(found.frequency == .annual ? "an" : "a") \(found.frequency.rawValue) period but indicator '\(indicator.id)' is \(indicator.frequency.rawValue)")
                period = nil
            }
        }
        var value: Double?
        var missing = false
        switch NumberParser.parse(record.field(valueColumn)) {
        case .number(let number): value = number
        case .missing: missing = true
        case .invalid(let why):
            let raw = String(decoding: record.field(valueColumn), as: UTF8.self)
            problem(valueColumn, raw, "'\(raw)' \(why)")
        }
        // A unit other than the indicator's is checked (and a known scale converted) when the row is stored.
        var unit: String?
        if let unitColumn, let indicator, let stated = text(unitColumn)?.trimmingSpaces, !stated.isEmpty,
            Catalog.normalize(stated) != Catalog.normalize(indicator.unit)
        {
            unit = stated
        }
        var vintage: String?
        if let vintageColumn, let stated = text(vintageColumn)?.trimmingSpaces, !stated.isEmpty {
            vintage = Vintage.normalize(stated)
            if vintage == nil {
                problem(vintageColumn, stated, "'\(stated)' is not a vintage; write the date the value was published, e.g. 2024-09-30 (or an RFC 3339 time)")
            }
        }
        let source = sourceColumn.flatMap(text).map(\.trimmingSpaces).flatMap { $0.isEmpty ? nil : $0 }
        let note = noteColumn.flatMap(text).map(\.trimmingSpaces).flatMap { $0.isEmpty ? nil : $0 }
        if !problems.isEmpty { return .problems(problems) }
        if missing { return .missing }
        guard let indicator, let region, let period, let value else { return .missing }
        return .observation(ObservationRow(
            indicator: indicator.id, region: region, period: period, value: value, source: source, note: note,
            vintage: vintage, unit: unit, row: record.number, column: names[valueColumn], columnNumber: valueColumn + 1))
    }
}

/// Problems that stop a file from being read at all (a bad header, broken CSV), as opposed to bad rows.
public struct IngestFailure: Error, Sendable {
    public var problems: [IngestProblem]

    public init(problems: [IngestProblem]) {
        self.problems = problems
    }
}

/// The last few distinct cells seen in one column and what they resolved to (files repeat a handful of names and
/// sources, often interleaved), so most rows cost a byte comparison instead of a String and a lookup.
struct CellMemo<Value>: Sendable where Value: Sendable {
    private static var slots: Int { 4 }
    private var cells: [[UInt8]] = []
    private var values: [Value] = []
    private var next = 0

    /// The value for `cell`: a remembered one when the bytes match, else `resolve` on the trimmed text (remembered
    /// when not nil). Nil for invalid UTF-8 or when `resolve` gives nil.
    mutating func value(for cell: ArraySlice<UInt8>, resolve: (String) -> Value?) -> Value? {
        for index in cells.indices where cells[index].elementsEqual(cell) { return values[index] }
        guard let text = String(validating: cell, as: UTF8.self), let found = resolve(text.trimmingSpaces) else { return nil }
        if cells.count < Self.slots {
            cells.append(Array(cell))
            values.append(found)
        } else {
            cells[next] = Array(cell)
            values[next] = found
            next = (next + 1) % Self.slots
        }
        return found
    }
}
