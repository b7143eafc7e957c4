/// A comparison a level target makes.
public enum Comparison: String, Sendable, Codable, CaseIterable {
    case greaterOrEqual = ">="
    case greater = ">"
    case lessOrEqual = "<="
    case less = "<"

    /// +1 when higher is better, −1 otherwise (SPEC §5's `s`).
    public var sign: Double {
        switch self {
        case .greaterOrEqual, .greater: 1
        case .lessOrEqual, .less: -1
        }
    }

    public var isStrict: Bool { self == .greater || self == .less }
}

/// How the required pace toward a level is measured.
public enum Pace: String, Sendable, Codable, CaseIterable {
    case linear, compound
}

/// What a level target is compared with: a constant or another series.
public enum Reference: Hashable, Sendable {
    case constant(Double)
    /// Another region's (or group's) series, on `indicator` or else the target's own.
    case region(String, indicator: String?)
    /// An ad-hoc aggregate of regions.
    case aggregate(regions: [String], aggregation: Aggregation, weight: String?, indicator: String?)
}

/// How an `annual_change` target is judged.
public enum ChangeMode: Hashable, Sendable {
    case everyPeriod
    case average
    case consecutive(count: Int)
}

/// Whether a change is in the indicator's units (percentage points) or in percent of the previous value.
public enum ChangeKind: String, Sendable, Codable, CaseIterable {
    case absolute, relative
}

/// The kind of a target and its kind-specific parameters (SPEC §4).
public enum TargetKind: Hashable, Sendable {
    case level(compare: Comparison, reference: Reference, baseline: Period, deadline: Period, pace: Pace)
    case annualChange(change: ChangeKind, minChange: Double, from: Period, to: Period, mode: ChangeMode)
    case growth(minRate: Double, from: Period, to: Period)
    case cumulativeChange(percent: Double, baseline: Period, deadline: Period)
    case milestone(baseline: Period, deadline: Period)

    /// The name used in plan files and output.
    public var name: String {
        switch self {
        case .level: "level"
        case .annualChange: "annual_change"
        case .growth: "growth"
        case .cumulativeChange: "cumulative_change"
        case .milestone: "milestone"
        }
    }

    /// The last period the target is judged on.
    public var deadline: Period {
        switch self {
        case .level(_, _, _, let deadline, _), .cumulativeChange(_, _, let deadline), .milestone(_, let deadline):
            deadline
        case .annualChange(_, _, _, let to, _), .growth(_, _, let to): to
        }
    }
}

/// One measurable commitment of a plan (SPEC §2, §4).
public struct Target: Hashable, Sendable {
    public var id: String
    public var title: String?
    public var kind: TargetKind
    public var indicator: String
    public var region: String
    public var severity: Severity
    public var notes: String?
    /// What is not published that the target needs (`missing_data:`), said when it cannot be judged.
    public var missingData: String?
    public var repeatInterval: CalendarDuration?
    /// Where the target is defined, for messages.
    public var file: String
    public var line: Int?

    public init(
        id: String, title: String? = nil, kind: TargetKind, indicator: String, region: String,
        severity: Severity = .warning, notes: String? = nil, repeatInterval: CalendarDuration? = nil,
        file: String = "", line: Int? = nil
    ) {
        self.id = id
        self.title = title
        self.kind = kind
        self.indicator = indicator
        self.region = region
        self.severity = severity
        self.notes = notes
        self.repeatInterval = repeatInterval
        self.file = file
        self.line = line
    }
}
