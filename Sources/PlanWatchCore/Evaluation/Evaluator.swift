/// Evaluates targets at an as-of date by the exact rules of SPEC §5. Pure: the observations, the catalogue,
/// the thresholds and the date are all given.
public struct Evaluator: Sendable {
    public let catalog: Catalog
    public let resolver: SeriesResolver
    public let policy: EvaluationPolicy
    public let asOf: CalendarDate

    public init(catalog: Catalog, observations: ObservationSet, policy: EvaluationPolicy, asOf: CalendarDate) {
        self.catalog = catalog
        self.resolver = SeriesResolver(catalog: catalog, observations: observations)
        self.policy = policy
        self.asOf = asOf
    }

    /// Evaluates every target of every plan.
    public func evaluate(_ planSet: PlanSet) -> [Evaluation] {
        planSet.targets.map { evaluate($0.target, in: $0.plan) }
    }

    /// Evaluates one target.
    public func evaluate(_ target: Target, in plan: Plan) -> Evaluation {
        var result = Evaluation(
            plan: plan.id, target: target.id, title: target.title, kind: target.kind.name, indicator: target.indicator,
            region: target.region, severity: target.severity, state: .insufficientData, movingAway: false,
            asOf: asOf.description, deadline: target.kind.deadline.description, message: "")
        let series = resolver.series(target.indicator, target.region)
        switch target.kind {
        case .level(let compare, let reference, let baseline, let deadline, let pace):
            switch reference {
            case .constant(let value):
                let problem = LevelProblem(
                    values: series.values, sign: compare.sign, strict: compare.isStrict, pace: pace, baseline: baseline,
                    deadline: deadline, implicitZeroBaseline: false, target: { _ in value })
                evaluateLevel(problem, into: &result, compare: compare.rawValue, gaps: series.gaps)
            case .region, .aggregate:
                let other = referenceSeries(reference, target: target)
                var gap: [Period: Double] = [:]
                for (period, value) in series.values { if let r = other.values[period] { gap[period] = value - r } }
                let problem = LevelProblem(
                    values: gap, sign: compare.sign, strict: compare.isStrict, pace: .linear, baseline: baseline,
                    deadline: deadline, implicitZeroBaseline: false, target: { _ in 0 })
                evaluateLevel(
                    problem, into: &result, compare: compare.rawValue, gaps: series.gaps.merging(other.gaps) { $0 + $1 },
                    reference: (own: series.values, other: other.values, name: referenceName(reference)))
            }
        case .cumulativeChange(let percent, let baseline, let deadline):
            let problem = LevelProblem(
                values: series.values, sign: percent < 0 ? -1 : 1, strict: false, pace: .compound, baseline: baseline,
                deadline: deadline, implicitZeroBaseline: false, target: { base in base.map { $0 * (1 + percent / 100) } })
            evaluateLevel(problem, into: &result, compare: percent < 0 ? "<=" : ">=", gaps: series.gaps)
        case .milestone(let baseline, let deadline):
            let problem = LevelProblem(
                values: series.values, sign: 1, strict: false, pace: .linear, baseline: baseline, deadline: deadline,
                implicitZeroBaseline: true, target: { _ in 100 })
            evaluateLevel(problem, into: &result, compare: ">=", gaps: series.gaps)
        case .growth(let minRate, let from, let to):
            evaluateGrowth(series, minRate: minRate, from: from, to: to, into: &result)
        case .annualChange(let change, let minChange, let from, let to, let mode):
            evaluateAnnualChange(series, change: change, minChange: minChange, from: from, to: to, mode: mode, into: &result)
        }
        return result
    }

    private func referenceSeries(_ reference: Reference, target: Target) -> ResolvedSeries {
        switch reference {
        case .constant: ResolvedSeries()
        case .region(let region, let indicator): resolver.series(indicator ?? target.indicator, region)
        case .aggregate(let regions, let aggregation, let weight, let indicator):
            resolver.aggregate(indicator ?? target.indicator, regions: regions, aggregation: aggregation, weight: weight)
        }
    }

    private func referenceName(_ reference: Reference) -> String {
        switch reference {
        case .constant(let value): formatForPeople(value)
        case .region(let region, let indicator): indicator.map { "\(region) (\($0))" } ?? region
        case .aggregate(let regions, let aggregation, _, _): "the \(aggregation.rawValue.replacingUnderscores) of \(regions.joined(separator: ", "))"
        }
    }

    /// Whether data for `latest` is overdue at the as-of date: the period after it has ended, its publication lag
    /// and the grace period have passed (SPEC §5).
    func staleSince(_ latest: Period, indicator: String) -> CalendarDate? {
        let lag = catalog.indicators[indicator]?.publicationLag ?? CalendarDuration()
        let due = latest.next.lastDay.adding(lag).adding(policy.staleGrace)
        return asOf > due ? due : nil
    }

    /// The state for a pace ratio by the thresholds.
    func state(forRatio ratio: Double) -> TargetState {
        isAtLeast(ratio, policy.onTrack) ? .onTrack : isAtLeast(ratio, policy.atRisk) ? .atRisk : .offTrack
    }

    /// The member values missing in the latest period that lacks a group value, if that is after `latest`.
    func missingMembers(_ gaps: [Period: [MissingValue]], after latest: Period?, within window: ClosedRange<Period>) -> MissingValues? {
        guard let period = gaps.keys.filter({ window.contains($0) && (latest == nil || $0 > latest!) }).max() else { return nil }
        return MissingValues(period: period.description, values: gaps[period]!)
    }
}

/// Whether `a ≥ b` as SPEC §5 means it: on the figures as published, which are decimals. In binary floating point
/// 64.02 − 63.02 = 0.9999999999999929 and 150 / 125 − 1 = 0.19999999999999996, so a figure exactly on a threshold
/// (+1.00 pp against 1, +20% against 20%, a ratio of 0.95) would fail it; a rounding error of up to one part in 10⁹
/// of the numbers involved (`magnitude`: the operands a difference was taken from) is therefore ignored.
func isAtLeast(_ a: Double, _ b: Double, magnitude: Double = 0) -> Bool {
    a - b >= -roundingTolerance(a, b, magnitude)
}

/// Whether `a > b` beyond rounding error (see `isAtLeast`): a figure exactly on the line is not above it.
func isAbove(_ a: Double, _ b: Double, magnitude: Double = 0) -> Bool {
    a - b > roundingTolerance(a, b, magnitude)
}

private func roundingTolerance(_ a: Double, _ b: Double, _ magnitude: Double) -> Double {
    1e-9 * max(1, abs(a), abs(b), abs(magnitude))
}

extension String {
    var replacingUnderscores: String { String(map { $0 == "_" ? " " : $0 }) }
}
