/// The stored observations an evaluation may use, by indicator and region, already limited to the periods that
/// ended by the as-of date. Values supplied directly for a group's code are here too.
public struct ObservationSet: Sendable {
    public struct Key: Hashable, Sendable {
        public var indicator: String
        public var region: String

        public init(_ indicator: String, _ region: String) {
            self.indicator = indicator
            self.region = region
        }
    }

    private var series: [Key: [Period: Double]] = [:]
    /// Which source each value is from, as an index into `sourceNames`: one index for a series from one source
    /// (most are), else one per value.
    private var sourceOf: [Key: SeriesSources] = [:]

    enum SeriesSources: Sendable {
        case one(Int32)
        case each([Period: Int32])
    }
    /// The sources' stored keys (a catalogue id or a publisher's text), indexed by `sourceOf`.
    public var sourceNames: [String] = []

    public init() {}

    /// Adds an observation unless its period ends after `asOf` (SPEC §5: `--as-of` ignores later periods).
    public mutating func add(indicator: String, region: String, period: Period, value: Double, asOf: CalendarDate) {
        guard period.lastDay <= asOf else { return }
        series[Key(indicator, region), default: [:]][period] = value
    }

    /// Adds a whole series at once (the store reads series in key order), keeping only periods that ended by
    /// `asOf`.
    public mutating func add(indicator: String, region: String, values: [Period: Double], asOf: CalendarDate) {
        let kept = values.filter { $0.key.lastDay <= asOf }
        guard !kept.isEmpty else { return }
        series[Key(indicator, region), default: [:]].merge(kept) { $1 }
    }

    /// A whole series with the source of each value (indexes into `sourceNames`).
    public mutating func add(indicator: String, region: String, values: [Period: Double], sources: [Period: Int32], asOf: CalendarDate) {
        add(indicator: indicator, region: region, values: values, asOf: asOf)
        let kept = sources.filter { $0.key.lastDay <= asOf }
        guard !kept.isEmpty else { return }
        var merged = kept
        if case .each(let earlier) = sourceOf[Key(indicator, region)] { merged = earlier.merging(kept) { $1 } }
        sourceOf[Key(indicator, region)] = .each(merged)
    }

    /// A whole series whose values all come from one source (an index into `sourceNames`).
    public mutating func add(indicator: String, region: String, values: [Period: Double], source: Int32, asOf: CalendarDate) {
        add(indicator: indicator, region: region, values: values, asOf: asOf)
        let key = Key(indicator, region)
        if sourceOf[key] == nil {
            sourceOf[key] = .one(source)
        } else {
            var each: [Period: Int32] = [:]
            if case .each(let earlier) = sourceOf[key] { each = earlier }
            if case .one(let earlier) = sourceOf[key] { for period in series[key]?.keys ?? [:].keys { each[period] = earlier } }
            for period in values.keys where period.lastDay <= asOf { each[period] = source }
            sourceOf[key] = .each(each)
        }
    }

    /// A whole series with the source (its stored key) of each value.
    public mutating func add(indicator: String, region: String, values: [Period: Double], sources: [Period: String], asOf: CalendarDate) {
        var indexes: [Period: Int32] = [:]
        for (period, name) in sources {
            if let index = sourceNames.firstIndex(of: name) {
                indexes[period] = Int32(index)
            } else {
                sourceNames.append(name)
                indexes[period] = Int32(sourceNames.count - 1)
            }
        }
        add(indicator: indicator, region: region, values: values, sources: indexes, asOf: asOf)
    }

    /// The source of a stored value, when known.
    public func source(_ indicator: String, _ region: String, _ period: Period) -> String? {
        let index: Int32
        switch sourceOf[Key(indicator, region)] {
        case .one(let only)?: index = only
        case .each(let byPeriod)?:
            guard let found = byPeriod[period] else { return nil }
            index = found
        case nil: return nil
        }
        return Int(index) < sourceNames.count ? sourceNames[Int(index)] : nil
    }

    /// The values stored directly for an indicator and region.
    public func values(_ indicator: String, _ region: String) -> [Period: Double] {
        series[Key(indicator, region)] ?? [:]
    }
}

extension Period {
    /// The last day of the period.
    public var lastDay: CalendarDate { CalendarDate(daysSinceEpoch: endExclusive.daysSinceEpoch - 1) }
}

/// A series as an evaluation sees it: values by period, and for periods a group could not be computed for, why.
public struct ResolvedSeries: Sendable, Equatable {
    public var values: [Period: Double]
    /// For group values that are missing: which member lacks which indicator, by period.
    public var gaps: [Period: [MissingValue]]

    public init(values: [Period: Double] = [:], gaps: [Period: [MissingValue]] = [:]) {
        self.values = values
        self.gaps = gaps
    }
}

/// A value a group needs but lacks: one member's figure for one indicator.
public struct MissingValue: Hashable, Sendable, Codable {
    public var indicator: String
    public var region: String

    public init(indicator: String, region: String) {
        self.indicator = indicator
        self.region = region
    }
}

/// Computes series for regions and groups: a group's value for a period is its members' values combined (`sum`,
/// `mean`, or `weighted_mean` Σw·v/Σw), present only when every member and weight has a value for that period;
/// a value supplied directly for the group's code is used as it is.
public struct SeriesResolver: Sendable {
    public let catalog: Catalog
    public let observations: ObservationSet

    public init(catalog: Catalog, observations: ObservationSet) {
        self.catalog = catalog
        self.observations = observations
    }

    /// The series of `indicator` for `region` (a region or a group).
    public func series(_ indicator: String, _ region: String) -> ResolvedSeries {
        series(indicator, region, depth: 0)
    }

    private func series(_ indicator: String, _ region: String, depth: Int) -> ResolvedSeries {
        let direct = observations.values(indicator, region)
        if depth < 16, let derivation = catalog.indicators[indicator]?.derivation {
            var derived = index(derivation, region: region, depth: depth + 1)
            for (period, value) in direct {
                derived.values[period] = value
                derived.gaps[period] = nil
            }
            return derived
        }
        guard depth < 16, let group = catalog.regions[region]?.group, let definition = catalog.indicators[indicator],
            let rule = catalog.aggregation(of: definition, in: catalog.regions[region]!)
        else { return ResolvedSeries(values: direct) }
        var computed = combine(indicator, members: group.members, aggregation: rule.aggregation, weight: rule.weight, depth: depth + 1)
        for (period, value) in direct {
            computed.values[period] = value
            computed.gaps[period] = nil
        }
        return computed
    }

    /// The source of a region's value: the stored one's, or for a derived index the source of the published
    /// change (or cumulative change) that year's value was computed from.
    public func source(_ indicator: String, _ region: String, _ period: Period) -> String? {
        if let stored = observations.source(indicator, region, period) { return stored }
        guard let derivation = catalog.indicators[indicator]?.derivation else { return nil }
        if let cumulative = derivation.cumulative, observations.values(cumulative, region)[period] != nil {
            return observations.source(cumulative, region, period)
        }
        return observations.source(derivation.chain, region, period)
    }

    /// The index of a `derive:` indicator (see `Derivation`) for the years from its base to the last year with a
    /// published change; none at all when no change after the base is published. A year whose change is missing, and every year after it up to the next published
    /// cumulative figure, has no value; the missing change is recorded as the gap of its own year.
    private func index(_ derivation: Derivation, region: String, depth: Int) -> ResolvedSeries {
        let changes = series(derivation.chain, region, depth: depth)
        let cumulative = derivation.cumulative.map { series($0, region, depth: depth) } ?? ResolvedSeries()
        let base = derivation.base.year
        let years = (changes.values.keys.map(\.year) + cumulative.values.keys.map(\.year)).filter { $0 > base }
        // Without a single published change there is no index, not even its base.
        guard let last = years.max() else { return ResolvedSeries() }
        var result = ResolvedSeries(values: [derivation.base: 100])
        var previous: Double? = 100
        for year in (base + 1)...last {
            let period = Period(year: year)
            var value: Double?
            if let since = cumulative.values[period] {
                value = 100 * (1 + since / 100)
            } else if let change = changes.values[period] {
                value = previous.map { $0 * (1 + change / 100) }
            } else {
                result.gaps[period] = changes.gaps[period] ?? [MissingValue(indicator: derivation.chain, region: region)]
            }
            result.values[period] = value
            previous = value
        }
        return result
    }

    /// An ad-hoc aggregate of regions (a target's `reference: {regions: …, aggregate: …}`).
    public func aggregate(_ indicator: String, regions: [String], aggregation: Aggregation, weight: String?) -> ResolvedSeries {
        combine(indicator, members: regions, aggregation: aggregation, weight: weight, depth: 0)
    }

    private func combine(_ indicator: String, members: [String], aggregation: Aggregation, weight: String?, depth: Int) -> ResolvedSeries {
        let values = members.map { series(indicator, $0, depth: depth) }
        let weights = aggregation == .weightedMean ? members.map { series(weight ?? "", $0, depth: depth) } : []
        var periods = Set<Period>()
        for series in values { periods.formUnion(series.values.keys) }
        var result = ResolvedSeries()
        for period in periods {
            var missing: [MissingValue] = []
            for (index, member) in members.enumerated() {
                if values[index].values[period] == nil { missing.append(MissingValue(indicator: indicator, region: member)) }
                if aggregation == .weightedMean, weights[index].values[period] == nil {
                    missing.append(MissingValue(indicator: weight ?? "weight", region: member))
                }
            }
            if !missing.isEmpty {
                result.gaps[period] = missing
                continue
            }
            let numbers = values.map { $0.values[period]! }
            switch aggregation {
            case .sum:
                result.values[period] = numbers.reduce(0, +)
            case .mean:
                result.values[period] = numbers.reduce(0, +) / Double(numbers.count)
            case .weightedMean:
                let w = weights.map { $0.values[period]! }
                let total = w.reduce(0, +)
                if total == 0 {
                    result.gaps[period] = members.map { MissingValue(indicator: weight ?? "weight", region: $0) }
                } else {
                    result.values[period] = zip(numbers, w).map(*).reduce(0, +) / total
                }
            }
        }
        return result
    }
}
