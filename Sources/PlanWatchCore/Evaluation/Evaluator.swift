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
                var compared: [Period: (own: Double, other: Double)] = [:]
                for (period, value) in series.values {
                    if let r = other.values[period] {
                        gap[period] = value - r
                        compared[period] = (value, r)
                    }
                }
                let problem = LevelProblem(
                    values: gap, sign: compare.sign, strict: compare.isStrict, pace: .linear, baseline: baseline,
                    deadline: deadline, implicitZeroBaseline: false, target: { _ in 0 }, compared: compared)
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
        // Stale is a flag beside the state: a target not yet decided whose next figure is overdue. The state
        // stands as judged on the latest data; the message says both, and which figure is overdue since when.
        if result.state != .achieved, result.state != .missed, let text = result.latestPeriod, text != result.deadline,
            let latest = Period(parsing: text), let due = staleSince(latest, indicator: target.indicator)
        {
            result.overdue = Overdue(period: latest.next.description, since: due.description)
            // A group or derived series: say which inputs the overdue period still lacks.
            if result.missing == nil, let lacking = series.gaps[latest.next], !lacking.isEmpty {
                result.missing = MissingValues(period: latest.next.description, values: lacking)
            }
            var overdue = "The \(latest.next) figure is overdue: it was due by \(due)"
            if let missing = result.missing, !missing.values.isEmpty, !result.message.contains(missing.sentence) {
                overdue += "; " + missing.sentence
            }
            result.message = sentence(result.message) + " " + overdue + "."
        }
        if let missing = target.missingData, result.state == .insufficientData || result.stale {
            result.message = sentence(result.message) + " Missing: " + sentence(missing)
        }
        // Every number knows where it came from: the message names the latest figure's publisher.
        if let text = result.latestPeriod, let period = Period(parsing: text),
            let source = resolver.source(target.indicator, target.region, period), source != DataSource.unattributed
        {
            let name = catalog.sourceName(source)
            result.latestSource = name
            result.message = sentence(result.message) + " Source of the \(text) figure: \(name)."
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
        case .region(let region, let indicator):
            (catalog.regions[region]?.name ?? region) + (indicator.map { " (\($0))" } ?? "")
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

    /// `2020–2025`, or `2025` when the range is one period.
    func rangeText(_ first: Period, _ last: Period) -> String {
        first == last ? first.description : "\(first)–\(last)"
    }

    /// `between 2020 and 2025`, or `in 2025` when the range is one period.
    func betweenText(_ first: Period, _ last: Period) -> String {
        first == last ? "in \(first)" : "between \(first) and \(last)"
    }

    /// The member values missing in the latest period that lacks a group value, if that is after `latest`.
    func missingMembers(_ gaps: [Period: [MissingValue]], after latest: Period?, within window: ClosedRange<Period>) -> MissingValues? {
        guard let period = gaps.keys.filter({ window.contains($0) && (latest == nil || $0 > latest!) }).max() else { return nil }
        return MissingValues(period: period.description, values: gaps[period]!)
    }
}

/// Whether `a ≥ b` as SPEC §5 means it: on the figures as published, which are decimals. Two numbers are equal
/// when they are within a relative 1e-9 of each other, |a − b| ≤ 1e-9 · max(|a|, |b|), so that 150 / 125 − 1 =
/// 0.19999999999999996 meets 20% and a ratio of 0.9499999999999993 meets 0.95, while 0.0009999999 stays below 0.001.
///
/// `operands`: when `a` is a difference of figures (or a mean of such differences), the largest of those figures.
/// A difference of two binary values carries their rounding error, up to about one unit in the last place of the
/// larger (64.02 − 63.02 = 0.9999999999999929; 12345678.92 − 12345678.91 = 0.009999999776482582), which is no part
/// of the published decimals; that much more is ignored. It never scales with the figures themselves, so
/// 10000.009995 − 10000 (a change of 0.009995) still falls short of 0.01.
func isAtLeast(_ a: Double, _ b: Double, operands: Double = 0) -> Bool {
    a - b >= -roundingTolerance(a, b, operands)
}

/// Whether `a > b` beyond rounding error (see `isAtLeast`): a figure equal to the line is not above it.
func isAbove(_ a: Double, _ b: Double, operands: Double = 0) -> Bool {
    a - b > roundingTolerance(a, b, operands)
}

private func roundingTolerance(_ a: Double, _ b: Double, _ operands: Double) -> Double {
    let relative = 1e-9 * max(abs(a), abs(b))
    return operands.isFinite ? max(relative, 4 * abs(operands).ulp) : relative
}

extension String {
    var replacingUnderscores: String { String(map { $0 == "_" ? " " : $0 }) }
}
