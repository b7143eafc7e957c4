/// A target's state at an as-of date (SPEC §5): always the verdict on the latest data there is. Whether that data
/// is overdue is the evaluation's `stale` flag, beside the state.
public enum TargetState: String, Sendable, Codable, CaseIterable {
    case achieved, met
    case onTrack = "on_track"
    case atRisk = "at_risk"
    case offTrack = "off_track"
    case missed
    case insufficientData = "insufficient_data"
    /// Only read back from what a release before the `stale` flag stored (target states, evaluations, alert
    /// lines); never judged. Such a target takes its real state at its next evaluation, silently.
    case stale

    /// The states an evaluation judges (every case but the legacy `stale`).
    public static let judged: [TargetState] = [
        .achieved, .met, .onTrack, .atRisk, .offTrack, .missed, .insufficientData,
    ]

    /// How good the state is, for "worse" and "better" alerts: higher is better; nil for states that say
    /// nothing about progress (`insufficient_data`, the legacy `stale`).
    public var rank: Int? {
        switch self {
        case .achieved: 6
        case .met: 5
        case .onTrack: 4
        case .atRisk: 3
        case .offTrack: 2
        case .missed: 1
        case .insufficientData, .stale: nil
        }
    }
}

/// One period's change for an `annual_change` target.
public struct PeriodChange: Sendable, Equatable, Codable {
    public var period: String
    public var change: Double
    public var passed: Bool
}

/// The result of evaluating one target: its state and the numbers behind it. Field names are those of SPEC §5's
/// JSON output; unknown numbers are nil (JSON `null`).
public struct Evaluation: Sendable, Equatable, Codable {
    public var plan: String
    public var target: String
    public var title: String?
    public var kind: String
    public var indicator: String
    public var region: String
    public var severity: Severity
    public var state: TargetState
    public var movingAway: Bool
    public var asOf: String
    public var deadline: String
    public var baselinePeriod: String?
    public var baselineValue: Double?
    public var latestPeriod: String?
    public var latestValue: Double?
    /// Who published the latest value (the catalogue's name of its source), when it is a stored value.
    public var latestSource: String?
    public var targetValue: Double?
    public var requiredPace: Double?
    public var actualPace: Double?
    public var paceRatio: Double?
    /// The target's own projected level at the deadline (for a reference target too: its own series' line).
    public var projectedValue: Double?
    /// A reference target's reference projected to the deadline, over the same periods as `projectedValue`.
    public var projectedReference: Double?
    /// The projected distance from the target at the deadline (projected value − target; for a reference, the
    /// line through the gaps at the deadline), signed so that ≥ 0 means met for higher-is-better targets.
    public var projectedGap: Double?
    /// The time (year + fraction) at which the projection reaches the target, when it moves the good way.
    public var projectedPeriod: Double?
    /// Progress as a mid-term review states it (level-like targets; nil for `growth` and `annual_change`): the
    /// share of the time from the baseline to the deadline that has passed, `(t − b) / (D − b)`; the share of the
    /// distance covered, `(v(t) − v(b)) / (T − v(b))`; the pace still needed from `t` to reach `T` at `D`.
    public var timeElapsed: Double?
    public var distanceCovered: Double?
    public var remainingPace: Double?
    /// When the next figure is overdue: which period's and the day it was due by. `stale` says whether it is.
    public var overdue: Overdue?
    /// For `annual_change`: each period's change and whether it passed.
    public var changes: [PeriodChange]?
    /// For groups and aggregate references: which member values are missing, in the latest period that lacks
    /// a group value.
    public var missing: MissingValues?
    public var message: String

    enum CodingKeys: String, CodingKey {
        case plan, target, title, kind, indicator, region, severity, state
        case movingAway = "moving_away"
        case asOf = "as_of"
        case deadline
        case baselinePeriod = "baseline_period"
        case baselineValue = "baseline_value"
        case latestPeriod = "latest_period"
        case latestValue = "latest_value"
        case latestSource = "latest_source"
        case targetValue = "target_value"
        case requiredPace = "required_pace"
        case actualPace = "actual_pace"
        case paceRatio = "pace_ratio"
        case projectedValue = "projected_value"
        case projectedReference = "projected_reference"
        case projectedGap = "projected_gap"
        case projectedPeriod = "projected_period"
        case timeElapsed = "time_elapsed"
        case distanceCovered = "distance_covered"
        case remainingPace = "remaining_pace"
        case overdue
        case changes, missing, message
    }

    /// Keys written but not read back: `stale` follows from `overdue`.
    private enum DerivedKeys: String, CodingKey {
        case stale
    }

    /// Whether the next figure is overdue (SPEC §5): a flag beside the state, never instead of it.
    public var stale: Bool { overdue != nil }

    /// Encodes every field, unknown numbers as `null` (Codable would drop them).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(plan, forKey: .plan)
        try container.encode(target, forKey: .target)
        try container.encode(title, forKey: .title)
        try container.encode(kind, forKey: .kind)
        try container.encode(indicator, forKey: .indicator)
        try container.encode(region, forKey: .region)
        try container.encode(severity, forKey: .severity)
        try container.encode(state, forKey: .state)
        try container.encode(movingAway, forKey: .movingAway)
        try container.encode(asOf, forKey: .asOf)
        try container.encode(deadline, forKey: .deadline)
        try container.encode(baselinePeriod, forKey: .baselinePeriod)
        try container.encode(baselineValue, forKey: .baselineValue)
        try container.encode(latestPeriod, forKey: .latestPeriod)
        try container.encode(latestValue, forKey: .latestValue)
        try container.encode(latestSource, forKey: .latestSource)
        try container.encode(targetValue, forKey: .targetValue)
        try container.encode(requiredPace, forKey: .requiredPace)
        try container.encode(actualPace, forKey: .actualPace)
        try container.encode(paceRatio, forKey: .paceRatio)
        try container.encode(projectedValue, forKey: .projectedValue)
        try container.encode(projectedReference, forKey: .projectedReference)
        try container.encode(projectedGap, forKey: .projectedGap)
        try container.encode(projectedPeriod, forKey: .projectedPeriod)
        try container.encode(timeElapsed, forKey: .timeElapsed)
        try container.encode(distanceCovered, forKey: .distanceCovered)
        try container.encode(remainingPace, forKey: .remainingPace)
        try container.encode(overdue, forKey: .overdue)
        var derived = encoder.container(keyedBy: DerivedKeys.self)
        try derived.encode(stale, forKey: .stale)
        try container.encode(changes, forKey: .changes)
        try container.encode(missing, forKey: .missing)
        try container.encode(message, forKey: .message)
    }
}

/// The figure a stale target waits for: its period, and the day it was due by (the end of that period, the
/// indicator's publication lag and the grace setting).
public struct Overdue: Sendable, Equatable, Codable {
    public var period: String
    public var since: String

    public init(period: String, since: String) {
        self.period = period
        self.since = since
    }
}

/// The member values a group lacks in one period.
public struct MissingValues: Sendable, Equatable, Codable {
    public var period: String
    public var values: [MissingValue]

    /// `no urbanization_rate for CN-JX, CN-HA and no population for CN-SX in 2024`
    public var sentence: String {
        var order: [String] = []
        var regions: [String: [String]] = [:]
        for value in values {
            if regions[value.indicator] == nil { order.append(value.indicator) }
            regions[value.indicator, default: []].append(value.region)
        }
        return order.map { "no \($0) for \(regions[$0]!.joined(separator: ", "))" }.joined(separator: " and ") + " in \(period)"
    }
}

/// The settings evaluation depends on.
public struct EvaluationPolicy: Sendable, Equatable {
    public var onTrack: Double
    public var atRisk: Double
    public var staleGrace: CalendarDuration

    public init(onTrack: Double = 0.95, atRisk: Double = 0.60, staleGrace: CalendarDuration = CalendarDuration(days: 30)) {
        self.onTrack = onTrack
        self.atRisk = atRisk
        self.staleGrace = staleGrace
    }

    public init(_ settings: Settings) {
        self.init(onTrack: settings.onTrackRatio, atRisk: settings.atRiskRatio, staleGrace: settings.staleGrace)
    }
}

extension Evaluation {
    /// The numbers as the status table and the report show them: `50,625 (2024)`, `121%`, `↑`; `—` when unknown. A
    /// relative target's projection is both levels, `2.42 against 2.81 (2025)`; the trend arrow follows the
    /// target's own series from the baseline to the latest figure (never its gap to a reference).
    public var shown: (latest: String, target: String, pace: String, projected: String, trend: String) {
        let latest = latestValue.map { "\(formatForPeople($0)) (\(latestPeriod ?? "?"))" } ?? "—"
        let target = targetValue.map(formatForPeople) ?? "—"
        let pace = paceRatio.map(percentForPeople) ?? "—"
        var projected = "—"
        if let projectedValue {
            let against = projectedReference.map { " against \(formatForPeople($0))" } ?? ""
            projected = "\(formatForPeople(projectedValue))\(against) (\(deadline))"
        }
        var trend = ""
        if let latestValue, let baselineValue, latestPeriod != baselinePeriod {
            trend = latestValue > baselineValue ? "↑" : latestValue < baselineValue ? "↓" : "→"
        }
        return (latest, target, pace, projected, trend)
    }

    /// `data overdue since 2025-11-30`, or nil when the data is fresh.
    public var overdueText: String? {
        overdue.map { "data overdue since \($0.since)" }
    }

    /// One line over many evaluations: `35 targets: 3 on track, 2 at risk, 12 off track, 5 achieved, 13 without
    /// data; 16 with data overdue`.
    public static func summary(_ evaluations: [Evaluation]) -> String {
        var counts: [TargetState: Int] = [:]
        for evaluation in evaluations { counts[evaluation.state, default: 0] += 1 }
        let order: [(TargetState, String)] = [
            (.onTrack, "on track"), (.atRisk, "at risk"), (.offTrack, "off track"), (.met, "met"),
            (.achieved, "achieved"),
            (.missed, "missed"), (.insufficientData, "without data"), (.stale, "stale (not judged since an upgrade)"),
        ]
        let states = order.compactMap { state, label in counts[state].map { "\($0) \(label)" } }
        let overdue = evaluations.filter(\.stale).count
        return counted(evaluations.count, "target") + (states.isEmpty ? "" : ": " + states.joined(separator: ", "))
            + (overdue > 0 ? "; \(overdue) with data overdue" : "")
    }
}
