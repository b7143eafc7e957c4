/// The administrative level of a region.
public enum RegionLevel: String, Sendable, Codable, CaseIterable {
    case country, province, city, county, zone, group
}

/// A place with a stable code: a country, province, city, county, zone, or a group of them (SPEC §2).
public struct Region: Hashable, Sendable {
    public var code: String
    public var name: String
    public var nameZh: String?
    public var gbCode: String?
    public var level: RegionLevel
    public var parent: String?
    public var aliases: [String]
    /// For a group: its members, and optionally how they combine (else the indicator's own aggregation).
    public var group: RegionGroup?

    public init(
        code: String, name: String, nameZh: String? = nil, gbCode: String? = nil, level: RegionLevel = .province,
        parent: String? = nil, aliases: [String] = [], group: RegionGroup? = nil
    ) {
        self.code = code
        self.name = name
        self.nameZh = nameZh
        self.gbCode = gbCode
        self.level = level
        self.parent = parent
        self.aliases = aliases
        self.group = group
    }

    /// Every name a CSV may use for this region.
    public var allNames: [String] {
        [code, name] + (nameZh.map { [$0] } ?? []) + (gbCode.map { [$0] } ?? []) + aliases
    }
}

/// The members of a region group and how their values combine.
public struct RegionGroup: Hashable, Sendable {
    public var members: [String]
    public var aggregate: Aggregation?
    /// The weight indicator's id, for `weighted_mean`.
    public var weight: String?

    public init(members: [String], aggregate: Aggregation? = nil, weight: String? = nil) {
        self.members = members
        self.aggregate = aggregate
        self.weight = weight
    }
}
