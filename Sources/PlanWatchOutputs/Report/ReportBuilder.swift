import Foundation
import PlanWatchCore
import PlanWatchReport
import PlanWatchStore
import PlanWatchSetup
import PlanWatchHTTP

/// Gathers what the report shows from the database: for each evaluated target, every stored value of its series
/// (all sources and vintages), the values computed for groups and derived indexes, the reference series and a
/// group's members. Reads only.
public struct ReportBuilder: Sendable {
    public let configuration: Configuration
    public let store: Store

    public init(configuration: Configuration, store: Store) {
        self.configuration = configuration
        self.store = store
    }

    /// Writes the report of `evaluations` with `writer`, unless the folder already holds the report of the same
    /// evaluations, data and language: that is checked before anything is read or rendered.
    @discardableResult
    public func write(
        evaluations: [Evaluation], asOf: CalendarDate, language: ReportLanguage, to writer: ReportWriter
    ) throws -> ReportWriter.Outcome {
        let digest = ReportWriter.digest(
            evaluations: evaluations, dataVersion: try store.dataVersion(), asOf: asOf, language: language)
        if writer.holds(digest) { return .unchanged }
        return try writer.write(try input(evaluations: evaluations, asOf: asOf, language: language), digest: digest)
    }

    /// The report input for `evaluations` (as `EvaluationRunner` returned them) judged as of `asOf`.
    public func input(
        evaluations: [Evaluation], asOf: CalendarDate, language: ReportLanguage
    ) throws(StoreError) -> ReportInput {
        let planSet = configuration.planSet
        let catalog = planSet.catalog
        let byKey = Dictionary(
            planSet.targets.map { ($0.plan.id + "/" + $0.target.id, $0) }, uniquingKeysWith: { first, _ in first })
        let targets = evaluations.compactMap { evaluation in
            byKey[evaluation.plan + "/" + evaluation.target].map { ($0, evaluation) }
        }
        let needed = EvaluationRunner.indicators(for: targets.map(\.0), in: catalog)
        let ranking = SourceRanking(catalog: catalog)
        let observations = try store.observations(indicators: needed, asOf: asOf, ranking: ranking)
        let resolver = SeriesResolver(catalog: catalog, observations: observations)
        let stored = try store.historyEntries(
            series: Set(targets.map { ObservationSet.Key($0.0.target.indicator, $0.0.target.region) }))
        var reports: [ReportTarget] = []
        for ((plan, target), evaluation) in targets {
            let series = resolver.series(target.indicator, target.region)
            var values: [ReportValue] = []
            var covered = Set<Period>()
            for entry in stored[ObservationSet.Key(target.indicator, target.region)] ?? []
            where entry.period.lastDay <= asOf {
                let usedSource = observations.source(target.indicator, target.region, entry.period)
                let status: ReportValue.Status
                if entry.current, entry.source == usedSource, series.values[entry.period] == entry.value,
                    !covered.contains(entry.period)
                {
                    status = .used
                    covered.insert(entry.period)
                } else {
                    status = entry.current ? .otherSource : .revised
                }
                values.append(ReportValue(
                        period: entry.period, value: entry.value, source: catalog.sourceName(entry.source),
                        vintage: entry.vintage,
                    file: entry.file, row: entry.row, status: status))
            }
            let zh = language == .zh
            let how =
                catalog.indicators[target.indicator]?.derivation.map {
                    zh ? "由\($0.chain)推算" : "computed from \($0.chain)"
                }
                ?? (catalog.regions[target.region]?.group != nil
                    ? (zh ? "由成员地区加权计算" : "computed from the members") : (zh ? "计算值" : "computed"))
            for (period, value) in series.values.sorted(by: { $0.key < $1.key }) where !covered.contains(period) {
                values.append(ReportValue(
                        period: period, value: value,
                        source: resolver.source(target.indicator, target.region, period).map {
                            catalog.sourceName($0) + ", " + how
                        } ?? how,
                    status: .computed))
            }
            var reference: [Period: Double]?
            var referenceName: String?
            var referenceSources: [String] = []
            if case .level(_, let kind, _, _, _) = target.kind {
                switch kind {
                case .constant: break
                case .region(let region, let indicator):
                    reference = resolver.series(indicator ?? target.indicator, region).values
                    referenceName = region
                    referenceSources = sourceNames(
                        indicator ?? target.indicator, region, reference ?? [:], resolver, catalog)
                case .aggregate(let regions, let aggregation, let weight, let indicator):
                    reference =
                        resolver.aggregate(
                            indicator ?? target.indicator, regions: regions, aggregation: aggregation, weight: weight
                        ).values
                    referenceName =
                        "\(aggregation.rawValue.replacingOccurrences(of: "_", with: " ")) of \(regions.joined(separator: ", "))"
                }
            }
            let members = catalog.regions[target.region]?.group?.members.map { member -> ReportMember in
                let values = resolver.series(target.indicator, member).values
                return ReportMember(
                        region: member, values: values,
                        sources: sourceNames(target.indicator, member, values, resolver, catalog))
            } ?? []
            reports.append(ReportTarget(
                plan: plan, target: target, evaluation: evaluation, values: values, reference: reference,
                referenceName: referenceName, referenceSources: referenceSources, members: members))
        }
        return ReportInput(
            catalog: catalog, plans: planSet.plans, targets: reports, asOf: asOf,
            dataChanged: try store.lastDataChange(),
            language: language)
    }

    /// The catalogue's names of the sources of a series' values, in the order of first use.
    private func sourceNames(
        _ indicator: String, _ region: String, _ values: [Period: Double], _ resolver: SeriesResolver,
        _ catalog: Catalog
    ) -> [String] {
        var names: [String] = []
        for period in values.keys.sorted() {
            guard let source = resolver.source(indicator, region, period) else { continue }
            let name = catalog.sourceName(source)
            if !names.contains(name) { names.append(name) }
        }
        return names
    }
}
