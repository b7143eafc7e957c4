/// What an alert is about (SPEC §6).
public enum AlertKind: String, Sendable, Codable, CaseIterable {
    /// A target's first evaluation.
    case firstEvaluation = "first_evaluation"
    case worse, better, achieved, missed
    /// A change to or from a state that says nothing about progress (`insufficient_data`).
    case changed
    /// A target that stays `off_track` re-announced after its `repeat_interval`.
    case repeated = "repeat"
    /// A target's next figure became overdue (its `stale` flag turned on); its state alerts go on.
    case stale
    /// New data cleared a target's `stale` flag.
    case fresh
    case fileRejected = "file_rejected"
    case rowsRejected = "rows_rejected"
    case valueRevised = "value_revised"
    /// Two sources' values for one cell differ by more than the tolerance (`ingest.source_tolerance`).
    case sourceConflict = "source_conflict"
    case unknownReference = "unknown_reference"
    /// A source's fetch failed several times in a row (`planwatch fetch`).
    case fetchFailed = "fetch_failed"
}

/// One alert: a record that something needs attention. Field names are those of the alert log (SPEC §6).
public struct Alert: Sendable, Equatable, Codable {
    public var id: String
    /// RFC 3339 UTC.
    public var time: String
    public var severity: Severity
    public var kind: AlertKind
    public var plan: String?
    public var target: String?
    public var indicator: String?
    public var region: String?
    public var state: TargetState?
    /// For target alerts: whether the target's next figure is overdue (the evaluation's `stale` flag).
    public var stale: Bool?
    public var previousState: TargetState?
    public var asOf: String?
    public var latestPeriod: String?
    public var latestValue: Double?
    public var targetValue: Double?
    public var paceRatio: Double?
    public var projectedValue: Double?
    /// For data alerts: the file concerned.
    public var file: String?
    /// For `value_revised`: the period and both values.
    public var period: String?
    public var oldValue: Double?
    public var newValue: Double?
    public var message: String

    public init(
        id: String, time: String, severity: Severity, kind: AlertKind, plan: String? = nil, target: String? = nil,
        indicator: String? = nil, region: String? = nil, state: TargetState? = nil, stale: Bool? = nil,
        previousState: TargetState? = nil,
        asOf: String? = nil, latestPeriod: String? = nil, latestValue: Double? = nil, targetValue: Double? = nil,
        paceRatio: Double? = nil, projectedValue: Double? = nil, file: String? = nil, period: String? = nil,
        oldValue: Double? = nil, newValue: Double? = nil, message: String
    ) {
        self.id = id
        self.time = time
        self.severity = severity
        self.kind = kind
        self.plan = plan
        self.target = target
        self.indicator = indicator
        self.region = region
        self.state = state
        self.stale = stale
        self.previousState = previousState
        self.asOf = asOf
        self.latestPeriod = latestPeriod
        self.latestValue = latestValue
        self.targetValue = targetValue
        self.paceRatio = paceRatio
        self.projectedValue = projectedValue
        self.file = file
        self.period = period
        self.oldValue = oldValue
        self.newValue = newValue
        self.message = message
    }

    enum CodingKeys: String, CodingKey {
        case id, time, severity, kind, plan, target, indicator, region, state, stale
        case previousState = "previous_state"
        case asOf = "as_of"
        case latestPeriod = "latest_period"
        case latestValue = "latest_value"
        case targetValue = "target_value"
        case paceRatio = "pace_ratio"
        case projectedValue = "projected_value"
        case file, period
        case oldValue = "old_value"
        case newValue = "new_value"
        case message
    }

    /// Every SPEC §6 field is written, unknown ones as `null`; the data-alert fields only when set.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(time, forKey: .time)
        try container.encode(id, forKey: .id)
        try container.encode(severity, forKey: .severity)
        try container.encode(kind, forKey: .kind)
        try container.encode(plan, forKey: .plan)
        try container.encode(target, forKey: .target)
        try container.encode(indicator, forKey: .indicator)
        try container.encode(region, forKey: .region)
        try container.encode(state, forKey: .state)
        try container.encodeIfPresent(stale, forKey: .stale)
        try container.encode(previousState, forKey: .previousState)
        try container.encode(asOf, forKey: .asOf)
        try container.encode(latestPeriod, forKey: .latestPeriod)
        try container.encode(latestValue, forKey: .latestValue)
        try container.encode(targetValue, forKey: .targetValue)
        try container.encode(paceRatio, forKey: .paceRatio)
        try container.encode(projectedValue, forKey: .projectedValue)
        try container.encodeIfPresent(file, forKey: .file)
        try container.encodeIfPresent(period, forKey: .period)
        try container.encodeIfPresent(oldValue, forKey: .oldValue)
        try container.encodeIfPresent(newValue, forKey: .newValue)
        try container.encode(message, forKey: .message)
    }

    /// The syslog priority journald keeps: `<2>` critical, `<4>` warning, `<6>` info.
    public var syslogPriority: Int {
        switch severity {
        case .critical: 2
        case .warning: 4
        case .info: 6
        }
    }

    /// One readable line for stderr (the journal), with the syslog priority prefix.
    public var journalLine: String {
        let subject = target.map { "\(plan ?? "")/\($0)" } ?? file ?? "planwatch"
        // File names and cells reach messages: no control character of theirs may reach a terminal raw.
        return "<\(syslogPriority)>\(severity.rawValue) \(kind.rawValue) \(terminalSafe(subject)): \(terminalSafe(message))"
    }
}
