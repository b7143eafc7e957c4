/// A file layout: turns each data record into what it holds — observations, missing values, problems, skipped
/// series or deletions (wide layouts hold several observations per record).
public protocol TableLayout: Sendable {
    /// The layout's name in reports: `canonical`, `wide`, `wdi`, `nbs`, `sdmx-csv v1`, `sdmx-csv v2`.
    var name: String { get }
    /// Appends what `record` holds to `results` (a buffer the caller reuses, so no row allocates an array).
    mutating func read(_ record: CSVRecord, into results: inout [RowResult])
}

extension TableLayout {
    /// What `record` holds, as a new array.
    public mutating func read(_ record: CSVRecord) -> [RowResult] {
        var results: [RowResult] = []
        read(record, into: &results)
        return results
    }
}

extension CanonicalLayout: TableLayout {
    public var name: String { "canonical" }

    public mutating func read(_ record: CSVRecord, into results: inout [RowResult]) { results.append(readRow(record)) }
}

/// Resolves the indicator and region names of a file against the catalogue, remembering each answer, since a file
/// repeats the same few names on every row.
public struct NameResolver: Sendable {
    public let catalog: Catalog
    private var indicators: [String: Indicator?] = [:]
    private var regions: [String: String?] = [:]

    public init(catalog: Catalog) {
        self.catalog = catalog
    }

    public mutating func indicator(_ name: String) -> Indicator? {
        if let cached = indicators[name] { return cached }
        let found = catalog.indicator(named: name)
        indicators[name] = found
        return found
    }

    /// The region's code.
    public mutating func region(_ name: String) -> String? {
        if let cached = regions[name] { return cached }
        let found = catalog.region(named: name)?.code
        regions[name] = found
        return found
    }
}

/// A header cell naming a period column: `2024`, `2024年`, `2024-Q3`, `2024 [YR2024]` (World Bank DataBank).
func periodColumn(_ header: String) -> Period? {
    var text = header.trimmingSpaces
    if let bracket = text.firstIndex(of: "[") { text = String(text[..<bracket]).trimmingSpaces }
    return Period(parsing: text)
}

extension CSVRecord {
    /// Field `index` as text, invalid UTF-8 replaced, spaces trimmed.
    func text(_ index: Int) -> String {
        (string(index) ?? String(decoding: field(index), as: UTF8.self)).trimmingSpaces
    }
}
