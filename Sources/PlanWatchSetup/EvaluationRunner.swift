import Foundation
import PlanWatchCore
import PlanWatchStore

/// Evaluates the configured targets on the stored observations and records the results.
public struct EvaluationRunner: Sendable {
    public let configuration: Configuration
    public let store: Store

    public init(configuration: Configuration, store: Store) {
        self.configuration = configuration
        self.store = store
    }

    /// How long each phase of the last `evaluate` took, in seconds: reading observations, evaluating, recording.
    public final class Timings: @unchecked Sendable {
        public var read = 0.0
        public var evaluate = 0.0
        public var record = 0.0

        public init() {}
    }

    /// Evaluates every target (or one plan's) as of `asOf`, stores the evaluations, target states and alerts
    /// (unless `record` is false: a what-if), and returns them in plan and target order.
    /// With `knownAt`, each value is the one of the latest vintage published by that day (real-time evaluation).
    public func evaluate(
        asOf: CalendarDate, knownAt: CalendarDate? = nil, plan: String? = nil, record: Bool = true,
        at now: Date = Date(),
        timings: Timings? = nil
    ) throws(StoreError) -> [Evaluation] {
        let planSet = configuration.planSet
        let targets = planSet.targets.filter { plan == nil || $0.plan.id == plan }
        var clock = Date()
        func lap() -> Double {
            let previous = clock
            clock = Date()
            return clock.timeIntervalSince(previous)
        }
        let observations = try store.observations(
            indicators: EvaluationRunner.indicators(for: targets, in: planSet.catalog), asOf: asOf,
            ranking: SourceRanking(catalog: planSet.catalog), knownAt: knownAt)
        timings?.read = lap()
        let evaluator = Evaluator(
            catalog: planSet.catalog, observations: observations, policy: EvaluationPolicy(configuration.settings),
            asOf: asOf)
        let evaluations = targets.map { evaluator.evaluate($0.target, in: $0.plan) }
        timings?.evaluate = lap()
        guard record else { return evaluations }
        var byKey: [String: Target] = [:]
        for item in targets { byKey[item.plan.id + "/" + item.target.id] = item.target }
        let fallback = configuration.settings.repeatInterval
        let time = rfc3339(now)
        try store.record(evaluations, at: now) { evaluation, memory in
            let interval = byKey[evaluation.plan + "/" + evaluation.target]?.repeatInterval ?? fallback
            let decision = AlertDecision.decide(
                evaluation, memory: memory, repeatInterval: interval, now: now.timeIntervalSince1970)
            let alerts = decision.alerts.map { raised in
                Alert.target(
                    raised.kind, evaluation: evaluation, previous: raised.previousState,
                    id: UUID().uuidString.lowercased(),
                    time: time)
            }
            return (alerts, decision.memory)
        }
        timings?.record = lap()
        return evaluations
    }

    /// Every target (or one plan's) judged as of `asOf` on no data at all: each `insufficient_data`, saying what
    /// it lacks. What a what-if shows before anything was ingested, without creating a database.
    public static func evaluateWithoutData(
        _ configuration: Configuration, asOf: CalendarDate, plan: String? = nil
    ) -> [Evaluation] {
        let planSet = configuration.planSet
        let evaluator = Evaluator(
            catalog: planSet.catalog, observations: ObservationSet(), policy: EvaluationPolicy(configuration.settings),
            asOf: asOf)
        return planSet.targets.filter { plan == nil || $0.plan.id == plan }.map {
            evaluator.evaluate($0.target, in: $0.plan)
        }
    }

    /// Every indicator the targets read: their own, their references', what derived ones are computed from, and the
    /// weights of the groups involved.
    package static func indicators(for targets: [(plan: Plan, target: Target)], in catalog: Catalog) -> Set<String> {
        var needed = Set<String>()
        for (_, target) in targets {
            needed.insert(target.indicator)
            if case .level(_, let reference, _, _, _) = target.kind {
                switch reference {
                case .constant: break
                case .region(_, let indicator): needed.insert(indicator ?? target.indicator)
                case .aggregate(_, _, let weight, let indicator):
                    needed.insert(indicator ?? target.indicator)
                    if let weight { needed.insert(weight) }
                }
            }
        }
        for id in needed {
            if let derivation = catalog.indicators[id]?.derivation { needed.formUnion(derivation.inputs) }
        }
        for id in needed {
            if let weight = catalog.indicators[id]?.weight { needed.insert(weight) }
        }
        for region in catalog.regions.values {
            if let weight = region.group?.weight { needed.insert(weight) }
        }
        return needed
    }

    /// Today's date in UTC.
    public static func today(_ now: Date = Date()) -> CalendarDate {
        CalendarDate(daysSinceEpoch: Int((now.timeIntervalSince1970 / 86_400).rounded(.down)))
    }
}
