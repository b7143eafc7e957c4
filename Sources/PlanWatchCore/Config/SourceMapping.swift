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
