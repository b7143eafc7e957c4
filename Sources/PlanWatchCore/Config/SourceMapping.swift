/// How downloaded files map onto the catalogue (the `mapping:` section of the settings or a plan file): source
/// codes and labels for indicators and regions (added as aliases), the SDMX dimensions holding the region and the
/// indicator, and a forced encoding.
public struct SourceMapping: Sendable, Equatable {
    /// The SDMX dimension holding the region (default: REF_AREA, GEO, …).
    public var sdmxRegion: String?
    /// The SDMX dimensions whose values, joined with `.`, name the indicator (default: INDICATOR, SERIES, …).
    public var sdmxIndicator: [String] = []
    /// `gb18030` or `utf-8` to skip detection; nil detects (UTF-8 unless the bytes are not valid UTF-8).
    public var encoding: String?
    /// What a mapped code's values are (the long form `CODE: {indicator, unit, scale, source}`), by the code's
    /// normalized text: the unit the source states them in, a factor to multiply them by first (1000 for values
    /// in thousands), and the publisher to record.
    public var entries: [String: Entry] = [:]
    /// The catalogued source a fetched file came from (its `fetch:` source): the source of its values in place of
    /// what the layout infers (WDI, an NBS footer, an SDMX agency) or `unattributed`; a row's own `source` column,
    /// and a mapping entry's `source:`, still win.
    public var fileSource: String?
    /// The `fetched` vintage rule: what the file states is ignored; every value carries the file's vintage.
    public var overridesVintage = false

    /// This mapping with `other`'s settings over it: its entries added (replacing the same codes), its SDMX
    /// dimensions and encoding where it names them.
    public func overlaid(with other: SourceMapping) -> SourceMapping {
        var result = self
        result.entries.merge(other.entries) { _, new in new }
        if let region = other.sdmxRegion { result.sdmxRegion = region }
        if !other.sdmxIndicator.isEmpty { result.sdmxIndicator = other.sdmxIndicator }
        if let encoding = other.encoding { result.encoding = encoding }
        if let source = other.fileSource { result.fileSource = source }
        result.overridesVintage = result.overridesVintage || other.overridesVintage
        return result
    }

    public struct Entry: Sendable, Equatable {
        public var unit: String?
        public var scale: Double?
        public var source: String?

        public init(unit: String? = nil, scale: Double? = nil, source: String? = nil) {
            self.unit = unit
            self.scale = scale
            self.source = source
        }
    }

    /// The entry for a code or label as a file writes it.
    public func entry(_ code: some StringProtocol) -> Entry? {
        entries.isEmpty ? nil : entries[Catalog.normalize(code)]
    }

    public init(sdmxRegion: String? = nil, sdmxIndicator: [String] = [], encoding: String? = nil) {
        self.sdmxRegion = sdmxRegion
        self.sdmxIndicator = sdmxIndicator
        self.encoding = encoding
    }
}
