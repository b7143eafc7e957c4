/// Who publishes values (SPEC §7a): `nbs`, `provincial-bureaus`, `wdi`. Catalogued sources have an id, a name and
/// aliases (the texts files use for them: `National Bureau of Statistics of China`, `World Bank WDI`); their order in
/// the `sources:` list ranks them, and an indicator's own `sources:` list ranks them for that indicator.
public struct DataSource: Hashable, Sendable {
    public var id: String
    public var name: String
    public var aliases: [String]
    /// Where `planwatch fetch` gets this source's file, if it fetches (`fetch:`).
    public var fetch: FetchSpec?

    public init(id: String, name: String, aliases: [String] = []) {
        self.id = id
        self.name = name
        self.aliases = aliases
    }

    public var allNames: [String] { [id, name] + aliases }
}

/// Which source's value an evaluation uses for a cell: the highest-ranked (lowest number). The indicator's own
/// `sources:` order first, then the global `sources:` order, then sources not catalogued (alphabetically, so the
/// choice is the same every time), and `unattributed` last.
public struct SourceRanking: Sendable {
    private let global: [String: Int]
    private let perIndicator: [String: [String: Int]]
    private let catalog: Catalog

    public init(catalog: Catalog) {
        self.catalog = catalog
        var global: [String: Int] = [:]
        for (index, source) in catalog.sources.enumerated() { global[source.id] = index }
        self.global = global
        var perIndicator: [String: [String: Int]] = [:]
        for indicator in catalog.indicators.values where !indicator.sources.isEmpty {
            var ranks: [String: Int] = [:]
            for (index, id) in indicator.sources.enumerated() { ranks[id] = index }
            perIndicator[indicator.id] = ranks
        }
        self.perIndicator = perIndicator
    }

    /// The rank of a stored source key (a catalogue id, or a publisher's text when not catalogued) for an
    /// indicator: lower is better. The text itself breaks ties among uncatalogued sources.
    public func rank(_ text: String, indicator: String) -> (Int, String) {
        // A publisher's name stored before the catalogue named it ranks as the catalogued source.
        rank(key: catalog.sourceKey(text), indicator: indicator)
    }

    /// The rank of a source already resolved to its key (`Catalog.sourceKey`), for the read path's many calls.
    public func rank(key source: String, indicator: String) -> (Int, String) {
        if source == DataSource.unattributed { return (3_000_000, "") }
        if let own = perIndicator[indicator]?[source] { return (own, "") }
        if let index = global[source] { return (1_000_000 + index, "") }
        return (2_000_000, source)
    }
}

extension DataSource {
    /// The source of values whose file names none (a canonical file without a `source` column, no mapping).
    public static let unattributed = "unattributed"
}

/// A source's `fetch:`: an http(s) address polled every `every` (conditional requests), or a path on a shared
/// folder copied when it changes; what arrives is dropped into the inbox (written aside, renamed).
public struct FetchSpec: Hashable, Sendable {
    public enum Location: Hashable, Sendable {
        case url(String)
        case path(String)

        /// The address or path, as people read it.
        public var address: String {
            switch self {
            case .url(let url): url
            case .path(let path): path
            }
        }
    }

    public var location: Location
    /// How often it is due; nil: every `planwatch fetch`.
    public var every: CalendarDuration?
    /// Extra request headers (`Accept`, an API key).
    public var headers: [String: String]
    /// How long one request may take (default 30 s).
    public var timeout: CalendarDuration?
    /// A PEM file of CA certificates trusted for an `https://` URL instead of the system's store.
    public var caFile: String?
    /// The vintage of the values a fetched file carries.
    public var vintage: VintageRule = .file
    /// Whether the source has a `mapping:` of its own (kept in `PlanSet.readings`).
    public var hasMapping = false

    /// `vintage:` of `fetch:`: what date a fetched file's values carry as their vintage.
    public enum VintageRule: String, Hashable, Sendable, CaseIterable {
        /// The vintage the file states (a `vintage` column, WDI's Last Updated Date, SDMX's LAST UPDATE), else the
        /// time it was fetched.
        case file
        /// For values whose file states none: the answer's `Last-Modified` (a shared file's modification time),
        /// else the time it was fetched.
        case lastModified = "last_modified"
        /// The time it was fetched, for every value, whatever the file states.
        case fetched
    }

    public init(location: Location, every: CalendarDuration? = nil, headers: [String: String] = [:], timeout: CalendarDuration? = nil) {
        self.location = location
        self.every = every
        self.headers = headers
        self.timeout = timeout
    }
}
