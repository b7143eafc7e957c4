/// The indicators and regions planwatch knows, and how CSV names resolve to them (ids, names, aliases, codes).
public struct Catalog: Sendable {
    public private(set) var indicators: [String: Indicator] = [:]
    /// Regions and groups, by code.
    public private(set) var regions: [String: Region] = [:]
    /// Catalogued sources, in the order that ranks them.
    public private(set) var sources: [DataSource] = []
    private var indicatorNames: [String: String] = [:]
    private var regionNames: [String: String] = [:]
    private var sourceNames: [String: String] = [:]

    public init() {}

    /// Adds a source; returns the id of an existing source that already uses one of its names, if any.
    @discardableResult
    public mutating func add(_ source: DataSource) -> (name: String, owner: String)? {
        sources.append(source)
        return Catalog.register(source.allNames, for: source.id, in: &sourceNames)
    }

    /// The catalogued source a file's text names (by id, name or alias, ignoring case and spacing).
    public func source(named name: some StringProtocol) -> DataSource? {
        guard let id = sourceNames[Catalog.normalize(name)] else { return nil }
        return sources.first { $0.id == id }
    }

    /// How a source is stored: the catalogue id when the text names a catalogued source, else the text itself.
    public func sourceKey(_ text: String) -> String {
        source(named: text)?.id ?? text
    }

    /// A stored source key as people read it: the catalogued name, else the key.
    public func sourceName(_ key: String) -> String {
        sources.first { $0.id == key }?.name ?? key
    }

    /// Adds an indicator; returns the id of an existing indicator that already uses one of its names, if any.
    @discardableResult
    public mutating func add(_ indicator: Indicator) -> (name: String, owner: String)? {
        indicators[indicator.id] = indicator
        return Catalog.register(indicator.allNames, for: indicator.id, in: &indicatorNames)
    }

    /// Adds a region or group; returns the code of an existing region that already uses one of its names, if any.
    @discardableResult
    public mutating func add(_ region: Region) -> (name: String, owner: String)? {
        regions[region.code] = region
        return Catalog.register(region.allNames, for: region.code, in: &regionNames)
    }

    private static func register(_ names: [String], for owner: String, in table: inout [String: String])
        -> (name: String, owner: String)?
    {
        var clash: (name: String, owner: String)?
        for name in names {
            let key = Catalog.normalize(name)
            if let existing = table[key], existing != owner {
                clash = clash ?? (name, existing)
                continue
            }
            table[key] = owner
        }
        return clash
    }

    /// Adds `name` as another name of indicator `id`; returns the indicator that already uses it, if another.
    @discardableResult
    public mutating func addAlias(_ name: String, indicator id: String) -> String? {
        Catalog.register([name], for: id, in: &indicatorNames)?.owner
    }

    /// Adds `name` as another name of region `code`; returns the region that already uses it, if another.
    @discardableResult
    public mutating func addAlias(_ name: String, region code: String) -> String? {
        Catalog.register([name], for: code, in: &regionNames)?.owner
    }

    /// The indicator a CSV cell names, by id, name or alias, ignoring case, spacing and full-width punctuation.
    public func indicator(named name: some StringProtocol) -> Indicator? {
        indicatorNames[Catalog.normalize(name)].flatMap { indicators[$0] }
    }

    /// The region a CSV cell names, by code, name, GB/T 2260 code or alias.
    public func region(named name: some StringProtocol) -> Region? {
        regionNames[Catalog.normalize(name)].flatMap { regions[$0] }
    }

    /// Up to three known indicators whose names are closest to `name`, as `id (name)`.
    public func indicatorSuggestions(for name: String) -> [String] {
        Catalog.closest(to: name, in: indicatorNames).map { id in
            indicators[id].map { "\($0.id) (\($0.name))" } ?? id
        }
    }

    /// Up to three known regions whose names are closest to `name`, as `code (name)`.
    public func regionSuggestions(for name: String) -> [String] {
        Catalog.closest(to: name, in: regionNames).map { code in
            regions[code].map { "\($0.code) (\($0.name))" } ?? code
        }
    }

    /// Up to three of `names` closest to `name` (plan and target ids, subcommands), closest first.
    public static func closest(to name: String, among names: some Sequence<String>) -> [String] {
        var table: [String: String] = [:]
        for candidate in names { table[normalize(candidate)] = candidate }
        return closest(to: name, in: table)
    }

    private static func closest(to name: String, in table: [String: String]) -> [String] {
        let typed = normalize(name)
        let key = Array(typed.unicodeScalars)
        guard !key.isEmpty else { return [] }
        let limit = max(2, key.count / 3)
        // A name that holds the typed text whole (unemployment → unemployment_rate, 城镇化率 → an alias) is closer
        // than any misspelling; from three letters, or two characters of a CJK name, so "a" matches nothing.
        let bySubstring = key.count >= 3 || (key.count >= 2 && !typed.unicodeScalars.allSatisfy(\.isASCII))
        var best: [String: Int] = [:]
        for (candidate, owner) in table {
            if bySubstring, candidate != typed, candidate.contains(typed) {
                best[owner] = 0
                continue
            }
            let scalars = Array(candidate.unicodeScalars)
            guard abs(scalars.count - key.count) <= limit else { continue }
            let distance = editDistance(key, scalars)
            // Below the key's own length: a short name is never "close" to one it shares nothing with (CM vs 安徽).
            if distance <= limit, distance < key.count, distance < best[owner] ?? Int.max { best[owner] = distance }
        }
        return best.sorted { ($0.value, $0.key) < ($1.value, $1.key) }.prefix(3).map(\.key)
    }

    /// Edit distance over Unicode scalars (so Chinese names compare character by character) in which swapping two
    /// neighbours counts as one edit, as typists make it: "gpd" is one edit from "gdp", "list" two from "test".
    static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var beforePrevious = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], beforePrevious[j - 2] + 1)
                }
            }
            (beforePrevious, previous, current) = (previous, current, beforePrevious)
        }
        return previous[b.count]
    }

    /// The lookup key of a name: lower case, inner whitespace collapsed, full-width ASCII folded to ASCII.
    public static func normalize(_ name: some StringProtocol) -> String {
        var result = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in name.unicodeScalars {
            var scalar = scalar
            if (0xFF01...0xFF5E).contains(scalar.value), let folded = Unicode.Scalar(scalar.value - 0xFEE0) {
                scalar = folded
            }
            if scalar.properties.isWhitespace || scalar.value == 0x3000 {
                pendingSpace = !result.isEmpty
                continue
            }
            if pendingSpace {
                result.append(" ")
                pendingSpace = false
            }
            result.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
        }
        return String(result)
    }
}
