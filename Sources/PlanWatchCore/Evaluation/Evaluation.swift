/// A target's state at an as-of date (SPEC §5).
public enum TargetState: String, Sendable, Codable, CaseIterable {
    case achieved, met
    case onTrack = "on_track"
    case atRisk = "at_risk"
    case offTrack = "off_track"
    case missed
    case insufficientData = "insufficient_data"
    case stale

    /// How good the state is, for "worse" and "better" alerts: higher is better; nil for states that say
    /// nothing about progress (`insufficient_data`, `stale`).
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
    public var projectedValue: Double?
    /// The projected distance from the target at the deadline (projected value − target; for a reference, the
    /// projected gap), signed so that ≥ 0 means met for higher-is-better targets.
    public var projectedGap: Double?
    /// The time (year + fraction) at which the projection reaches the target, when it moves the good way.
    public var projectedPeriod: Double?
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
        case projectedGap = "projected_gap"
        case projectedPeriod = "projected_period"
        case changes, missing, message
    }

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
        try container.encode(projectedGap, forKey: .projectedGap)
        try container.encode(projectedPeriod, forKey: .projectedPeriod)
        try container.encode(changes, forKey: .changes)
        try container.encode(missing, forKey: .missing)
        try container.encode(message, forKey: .message)
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
    /// The numbers as the status table and the report show them: `50,625 (2024)`, `121%`, `↑`; `—` when unknown.
    public var shown: (latest: String, target: String, pace: String, projected: String, trend: String) {
        let latest = latestValue.map { "\(formatForPeople($0)) (\(latestPeriod ?? "?"))" } ?? "—"
        let target = targetValue.map(formatForPeople) ?? "—"
        let pace = paceRatio.map { "\(Int(($0 * 100).rounded()))%" } ?? "—"
        let projected = projectedValue.map { "\(formatForPeople($0)) (\(deadline))" } ?? "—"
        let trend: String
        switch actualPace {
        case .some(let pace) where pace > 0: trend = "↑"
        case .some(let pace) where pace < 0: trend = "↓"
        case .some: trend = "→"
        case .none: trend = ""
        }
        return (latest, target, pace, projected, trend)
    }
}
