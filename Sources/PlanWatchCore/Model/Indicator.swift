/// Which way an indicator's change is good.
public enum Direction: String, Sendable, Codable, CaseIterable {
    case increase, decrease
}

/// How the values of several regions combine into a group's value.
public enum Aggregation: String, Sendable, Codable, CaseIterable {
    case sum, mean
    case weightedMean = "weighted_mean"
}

/// A measured quantity, such as the urbanization rate (SPEC §2).
public struct Indicator: Hashable, Sendable {
    public var id: String
    public var name: String
    public var nameZh: String?
    public var unit: String
    public var direction: Direction
    public var frequency: Frequency
    public var publicationLag: CalendarDuration
    public var aggregate: Aggregation?
    /// The weight indicator's id, for `weighted_mean`.
    public var weight: String?
    public var aliases: [String]
    /// This indicator's ranking of sources (catalogue ids), best first; empty: the global order.
    public var sources: [String] = []
    /// How the values of periods that have no stored value are computed from other indicators, if they are.
    public var derivation: Derivation?

    public init(
        id: String, name: String, nameZh: String? = nil, unit: String, direction: Direction = .increase,
        frequency: Frequency = .annual, publicationLag: CalendarDuration, aggregate: Aggregation? = nil,
        weight: String? = nil, aliases: [String] = []
    ) {
        self.id = id
        self.name = name
        self.nameZh = nameZh
        self.unit = unit
        self.direction = direction
        self.frequency = frequency
        self.publicationLag = publicationLag
        self.aggregate = aggregate
        self.weight = weight
        self.aliases = aliases
    }

    /// Every name a CSV may use for this indicator.
    public var allNames: [String] { [id, name] + (nameZh.map { [$0] } ?? []) + aliases }
}

/// An index computed from published changes (`derive:` in the catalogue): the base year is 100; a year with a
/// published cumulative change since the base is `100 × (1 + cumulative/100)`; any other year is the year before
/// times `1 + change/100`, its published change on the previous year. Statistics offices publish energy and CO₂
/// intensity this way, as yearly percent changes, while plans set a cumulative change over five years.
public struct Derivation: Hashable, Sendable {
    /// The indicator holding each year's percent change on the previous year.
    public var chain: String
    /// The year the index is 100.
    public var base: Period
    /// The indicator holding published percent changes since the base year, preferred over chaining.
    public var cumulative: String?

    public init(chain: String, base: Period, cumulative: String? = nil) {
        self.chain = chain
        self.base = base
        self.cumulative = cumulative
    }

    /// The indicators the index is computed from.
    public var inputs: [String] { [chain] + (cumulative.map { [$0] } ?? []) }
}
