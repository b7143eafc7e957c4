/// What a target's alert memory holds between evaluations (stored in `target_state`).
public struct AlertMemory: Sendable, Equatable {
    /// The last state a target alert announced.
    public var announced: TargetState?
    /// The state at the previous evaluation (the legacy `stale` when a release before the flag stored it).
    public var previous: TargetState?
    /// When the last alert for this target was raised, in seconds since 1970 (from the caller's clock).
    public var lastAlertAt: Double?
    /// Whether the target's data was overdue at the previous evaluation (its `stale` flag).
    public var stale: Bool

    public init(
        announced: TargetState? = nil, previous: TargetState? = nil, lastAlertAt: Double? = nil, stale: Bool = false
    ) {
        self.announced = announced
        self.previous = previous
        self.lastAlertAt = lastAlertAt
        self.stale = stale
    }
}

/// Decides a target's alerts from its new evaluation, like an alerting rule's firing and resolved transitions: an
/// alert when the state changes, not on every evaluation, and a data alert when the `stale` flag turns on or off
/// (SPEC §6). The two are independent: a target whose data is overdue still announces its state changes. Pure: a
/// value in, a decision out.
public enum AlertDecision {
    /// The alerts to raise (each kind with the state it follows) and the memory to keep.
    public struct Decision: Sendable, Equatable {
        public var alerts: [Raised]
        public var memory: AlertMemory
    }

    public struct Raised: Sendable, Equatable {
        public var kind: AlertKind
        public var previousState: TargetState?
    }

    /// Day one (SPEC §6): a target never announced whose evaluation has no data at all (`insufficient_data` and no
    /// latest value) raises nothing and its memory stays as it was, never announced, so its first announcement
    /// comes with its first data: a daemon started on an empty database says nothing of its 35 targets, not 35
    /// `first_evaluation` alerts of `insufficient_data`. Once announced, a target that loses its data (a deletion)
    /// is announced as `changed` like any other change.
    public static func decide(
        _ evaluation: Evaluation, memory: AlertMemory, repeatInterval: CalendarDuration?, now: Double
    ) -> Decision {
        // The store reads `previous` from the state it last recorded, silent or not, so "never announced" is
        // `announced == nil` (the legacy `stale` state aside, which is handled as an upgrade below).
        let neverAnnounced = memory.announced == nil && memory.previous != .stale
        if neverAnnounced, evaluation.state == .insufficientData, evaluation.latestValue == nil {
            return Decision(alerts: [], memory: memory)
        }
        var next = memory
        next.previous = evaluation.state
        next.stale = evaluation.stale
        var alerts: [Raised] = []
        if let kind = stateAlert(
            evaluation.state, memory: memory, repeatInterval: repeatInterval, now: now, next: &next)
        {
            alerts.append(kind)
        }
        // The first announcement already says whether the data is overdue (its line carries `stale`).
        if evaluation.stale != memory.stale, !neverAnnounced {
            alerts.append(Raised(kind: evaluation.stale ? .stale : .fresh, previousState: memory.previous))
        }
        if !alerts.isEmpty { next.lastAlertAt = now }
        return Decision(alerts: alerts, memory: next)
    }

    private static func stateAlert(
        _ state: TargetState, memory: AlertMemory, repeatInterval: CalendarDuration?, now: Double,
        next: inout AlertMemory
    ) -> Raised? {
        // A target a release before the flag stored as `stale`: the state it takes now is a change of
        // representation, not of progress, and is taken silently.
        if memory.previous == .stale {
            next.announced = state
            return nil
        }
        guard let announced = memory.announced else {
            next.announced = state
            return Raised(kind: .firstEvaluation, previousState: nil)
        }
        if announced == state {
            if state == .offTrack, let repeatInterval, let last = memory.lastAlertAt,
                now - last >= Double(repeatInterval.approximateSeconds)
            {
                return Raised(kind: .repeated, previousState: state)
            }
            return nil
        }
        next.announced = state
        let kind: AlertKind
        switch (state, announced.rank, state.rank) {
        case (.achieved, _, _): kind = .achieved
        case (.missed, _, _): kind = .missed
        case (_, let before?, let after?): kind = after < before ? .worse : .better
        default: kind = .changed
        }
        return Raised(kind: kind, previousState: announced)
    }

    /// The alert's severity (SPEC §6). Good news is `info`: `achieved`, `met` and `on_track`, a better state, fresh
    /// data, and `insufficient_data` (which judges nothing, so a fresh install's first evaluations are not
    /// warnings). A bad state takes the target's own severity, raised one step for `missed` and `off_track`;
    /// overdue data is at least a warning.
    public static func severity(_ kind: AlertKind, state: TargetState?, target: Severity) -> Severity {
        switch kind {
        case .fresh, .better, .achieved: return .info
        case .stale: return max(.warning, target)
        default: break
        }
        switch state {
        case .achieved?, .met?, .onTrack?, .insufficientData?: return .info
        case .missed?, .offTrack?: return target == .info ? .warning : .critical
        default: return target
        }
    }
}
