import Yams

/// The catalogue and mapping a file of one source is read with (`PlanSet.reading(for:)`).
public struct SourceReading: Sendable {
    public var catalog: Catalog
    public var mapping: SourceMapping

    public init(catalog: Catalog, mapping: SourceMapping) {
        self.catalog = catalog
        self.mapping = mapping
    }
}

/// Everything the plans directory defines: the catalogue of indicators and regions, and the plans with their
/// targets, validated together.
public struct PlanSet: Sendable {
    public var catalog: Catalog
    public var plans: [Plan]
    /// How downloaded files map onto the catalogue (SDMX dimensions, encoding); the mapped names are aliases in
    /// the catalogue already.
    public var mapping: SourceMapping
    /// How each fetching source's files are read, by source id: the catalogue with its own mapping's names as
    /// aliases too, the mapping overlaid with its own, and the source as their source.
    public var readings: [String: SourceReading]

    public init(catalog: Catalog, plans: [Plan], mapping: SourceMapping = SourceMapping(), readings: [String: SourceReading] = [:]) {
        self.catalog = catalog
        self.plans = plans
        self.mapping = mapping
        self.readings = readings
    }

    /// How a file from `source` is read: its reading when it fetches, else the catalogue and mapping with the
    /// source as the files' source.
    public func reading(for source: String) -> SourceReading {
        if let reading = readings[source] { return reading }
        var mapping = self.mapping
        mapping.fileSource = source
        return SourceReading(catalog: catalog, mapping: mapping)
    }

    /// Every target with its plan, in plan and file order.
    public var targets: [(plan: Plan, target: Target)] {
        plans.flatMap { plan in plan.targets.map { (plan, $0) } }
    }

    /// Loads and validates plan and catalogue files; throws `ConfigErrors` listing every problem in every file.
    /// `settings`, when given, is the settings file, read for its `mapping:` section only.
    public static func load(_ files: [ConfigFile], settings: ConfigFile? = nil) throws(ConfigErrors) -> PlanSet {
        var loader = PlanSetLoader()
        for file in files.sorted(by: { $0.path < $1.path }) { loader.read(file) }
        if let settings { loader.read(settings, mappingOnly: true) }
        return try loader.finish()
    }
}
