import Foundation
import PlanWatchCore

/// How `planwatch history` shows a series that is computed, not stored: a group's value from its members (with
/// their weights), or a derived index from the chain of published changes. Pure: the catalogue and the stored
/// observations in, lines out, computed by the same `SeriesResolver` evaluation uses.
struct ComputedHistory {
    let catalog: Catalog
    let resolver: SeriesResolver
    let indicator: Indicator
    let region: Region

    init(catalog: Catalog, observations: ObservationSet, indicator: Indicator, region: Region) {
        self.catalog = catalog
        self.resolver = SeriesResolver(catalog: catalog, observations: observations)
        self.indicator = indicator
        self.region = region
    }

    /// Whether the series is computed: a derived index, or a group with a rule for combining this indicator.
    static func isComputed(_ indicator: Indicator, _ region: Region, catalog: Catalog) -> Bool {
        indicator.derivation != nil || (region.group != nil && catalog.aggregation(of: indicator, in: region) != nil)
    }

    /// The explanation, or nil when the series has neither a value nor a gap in `period` (or at all).
    func text(period: Period?) -> String? {
        let header = terminalSafe(
            "\(indicator.id) \(region.code) — \(indicator.name), \(region.name) (\(indicator.unit))")
        if let derivation = indicator.derivation {
            return derived(derivation, header: header, period: period)
        }
        guard let group = region.group, let rule = catalog.aggregation(of: indicator, in: region) else { return nil }
        return grouped(group, rule: rule, header: header, period: period)
    }

    private func derived(_ derivation: Derivation, header: String, period: Period?) -> String? {
        let series = resolver.series(indicator.id, region.code)
        let periods = Set(series.values.keys).union(series.gaps.keys).filter { period == nil || $0 == period }.sorted()
        guard !periods.isEmpty else { return nil }
        let changes = resolver.series(derivation.chain, region.code).values
        let cumulative = derivation.cumulative.map { resolver.series($0, region.code).values } ?? [:]
        var lines = [
            "\(header): computed, not stored — an index, \(derivation.base) = 100, each year the year before × (1 + "
                + "\(derivation.chain)/100)"
                + (derivation.cumulative.map { "; where \($0) is published, 100 × (1 + \($0)/100) instead" } ?? ""),
        ]
        for year in periods {
            let value = series.values[year].map(formatJSONNumber) ?? "—"
            let how: String
            if year == derivation.base {
                how = "the base"
            } else if let since = cumulative[year], let name = derivation.cumulative {
                how = "= 100 × (1 + \(formatJSONNumber(since))/100): \(name) \(year)\(sourceNote(name, year)); "
                    + "the chain restarts from this figure"
            } else if let change = changes[year], let before = series.values[Period(year: year.year - 1)] {
                how = "= \(formatJSONNumber(before)) × (1 + \(formatJSONNumber(change))/100): "
                    + "\(derivation.chain) \(year)" + sourceNote(derivation.chain, year)
            } else {
                how = "not computed: " + missing(series.gaps[year] ?? [])
            }
            lines.append("\(year)  \(value)  \(how)")
        }
        return lines.joined(separator: "\n")
    }

    private func grouped(
        _ group: RegionGroup, rule: (aggregation: Aggregation, weight: String?), header: String, period: Period?
    ) -> String? {
        let series = resolver.series(indicator.id, region.code)
        let periods = Set(series.values.keys).union(series.gaps.keys).filter { period == nil || $0 == period }.sorted()
        guard !periods.isEmpty else { return nil }
        let how: String
        switch rule.aggregation {
        case .sum: how = "the sum of its members' values"
        case .mean: how = "the mean of its members' values"
        case .weightedMean: how = "the mean of its members' values weighted by \(rule.weight ?? "weight") (Σ w·v / Σ w)"
        }
        var lines = ["\(header): computed, not stored — \(how)"]
        let members = group.members.map { member in
            let weights = rule.weight.map { resolver.series($0, member).values }
            return (member, resolver.series(indicator.id, member).values, weights)
        }
        let width = group.members.map(\.count).max() ?? 0
        for year in periods {
            if let value = series.values[year] {
                lines.append("\(year)  \(formatJSONNumber(value))")
            } else {
                lines.append("\(year)  —  not computed: " + missing(series.gaps[year] ?? []))
            }
            for (member, values, weights) in members {
                let padded = member + String(repeating: " ", count: width - member.count)
                var line = "  \(padded)  \(values[year].map(formatJSONNumber) ?? "—")"
                if rule.aggregation == .weightedMean, let weight = rule.weight {
                    line += "  \(weight) \(weights?[year].map(formatJSONNumber) ?? "—")"
                }
                lines.append(line)
            }
        }
        return lines.map(terminalSafe).joined(separator: "\n")
    }

    private func sourceNote(_ indicator: String, _ period: Period) -> String {
        resolver.source(indicator, region.code, period).map { " (" + catalog.sourceName($0) + ")" } ?? ""
    }

    private func missing(_ gaps: [MissingValue]) -> String {
        gaps.isEmpty ? "no value" : "missing " + gaps.map { "\($0.indicator) \($0.region)" }.joined(separator: ", ")
    }
}
