/// A file layout: turns each data record into what it holds — observations, missing values, problems, skipped
/// series or deletions (wide layouts hold several observations per record).
public protocol TableLayout: Sendable {
    /// The layout's name in reports: `canonical`, `wide`, `wdi`, `nbs`, `sdmx-csv v1`, `sdmx-csv v2`.
    var name: String { get }
    /// Appends what `record` holds to `results` (a buffer the caller reuses, so no row allocates an array).
    mutating func read(_ record: CSVRecord, into results: inout [RowResult])
    /// At the end of the file: what records held that the layout kept back until then (an NBS export names its
    /// source in a footer line after the data), with their record and line numbers.
    mutating func finish() -> [HeldRecord]
}

/// A record's results a layout held back until the end of the file.
public struct HeldRecord: Sendable {
    public var number: Int
    public var line: Int
    public var results: [RowResult]
}

extension TableLayout {
    public mutating func finish() -> [HeldRecord] { [] }

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
    private var suggestions = SuggestionMemo()

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

    /// `catalog.indicatorSuggestions(for:)`, searched once per distinct name.
    public mutating func indicatorSuggestions(for name: String) -> [String] {
        suggestions.indicators(for: name, in: catalog)
    }

    /// `catalog.regionSuggestions(for:)`, searched once per distinct name.
    public mutating func regionSuggestions(for name: String) -> [String] {
        suggestions.regions(for: name, in: catalog)
    }

    /// How many suggestion searches ran, for tests.
    var suggestionSearches: Int { suggestions.searches }
}

/// The suggestions for unknown names, remembered: a search compares the name with every known one (tens of
/// microseconds), and a file may repeat one unknown name on every row. Each table forgets everything when it holds
/// `limit` names, so memory stays bounded however many distinct names a file has.
struct SuggestionMemo: Sendable {
    static let defaultLimit = 10_000
    private let limit: Int
    private var indicators: [String: [String]] = [:]
    private var regions: [String: [String]] = [:]
    /// How many searches ran (not answered from memory), for tests.
    private(set) var searches = 0

    init(limit: Int = SuggestionMemo.defaultLimit) {
        self.limit = limit
    }

    mutating func indicators(for name: String, in catalog: Catalog) -> [String] {
        Self.remembered(name, in: &indicators, limit: limit, searches: &searches) { catalog.indicatorSuggestions(for: $0) }
    }

    mutating func regions(for name: String, in catalog: Catalog) -> [String] {
        Self.remembered(name, in: &regions, limit: limit, searches: &searches) { catalog.regionSuggestions(for: $0) }
    }

    private static func remembered(
        _ name: String, in table: inout [String: [String]], limit: Int, searches: inout Int, search: (String) -> [String]
    ) -> [String] {
        if let found = table[name] { return found }
        searches += 1
        let found = search(name)
        if table.count >= limit { table.removeAll(keepingCapacity: true) }
        table[name] = found
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
