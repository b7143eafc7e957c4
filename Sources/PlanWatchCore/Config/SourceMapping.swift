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

    public init(sdmxRegion: String? = nil, sdmxIndicator: [String] = [], encoding: String? = nil) {
        self.sdmxRegion = sdmxRegion
        self.sdmxIndicator = sdmxIndicator
        self.encoding = encoding
    }
}
