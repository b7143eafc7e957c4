import Yams

/// Everything the plans directory defines: the catalogue of indicators and regions, and the plans with their
/// targets, validated together.
public struct PlanSet: Sendable {
    public var catalog: Catalog
    public var plans: [Plan]

    public init(catalog: Catalog, plans: [Plan]) {
        self.catalog = catalog
        self.plans = plans
    }

    /// Every target with its plan, in plan and file order.
    public var targets: [(plan: Plan, target: Target)] {
        plans.flatMap { plan in plan.targets.map { (plan, $0) } }
    }

    /// Loads and validates plan and catalogue files; throws `ConfigErrors` listing every problem in every file.
    public static func load(_ files: [ConfigFile]) throws(ConfigErrors) -> PlanSet {
        var loader = PlanSetLoader()
        for file in files.sorted(by: { $0.path < $1.path }) { loader.read(file) }
        return try loader.finish()
    }
}
