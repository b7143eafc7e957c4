/// What a target's alert memory holds between evaluations (stored in `target_state`).
public struct AlertMemory: Sendable, Equatable {
    /// The last state a target alert announced (never `stale`: target alerts freeze while data is stale).
    public var announced: TargetState?
    /// The state at the previous evaluation.
    public var previous: TargetState?
    /// When the last alert for this target was raised, in seconds since 1970 (from the caller's clock).
    public var lastAlertAt: Double?

    public init(announced: TargetState? = nil, previous: TargetState? = nil, lastAlertAt: Double? = nil) {
        self.announced = announced
        self.previous = previous
        self.lastAlertAt = lastAlertAt
    }
}

/// Decides a target's alert from its new evaluation, like an alerting rule's firing and resolved transitions: an
/// alert when the state changes, not on every evaluation (SPEC §6). Pure: a value in, a decision out.
public enum AlertDecision {
    /// The alert kind to raise, if any, and the memory to keep.
    public static func decide(
        _ evaluation: Evaluation, memory: AlertMemory, repeatInterval: CalendarDuration?, now: Double
    ) -> (kind: AlertKind?, previousState: TargetState?, memory: AlertMemory) {
        var next = memory
        next.previous = evaluation.state
        let state = evaluation.state
        if state == .stale {
            guard memory.previous != .stale else { return (nil, nil, next) }
            next.lastAlertAt = now
            return (.stale, memory.previous, next)
        }
        guard let announced = memory.announced else {
            next.announced = state
            next.lastAlertAt = now
            // Stale from the start: the state it leaves is known, so this is a change from it, not a first.
            if let previous = memory.previous { return (.changed, previous, next) }
            return (.firstEvaluation, nil, next)
        }
        if announced == state {
            if state == .offTrack, let repeatInterval, let last = memory.lastAlertAt,
                now - last >= Double(repeatInterval.approximateSeconds)
            {
                next.lastAlertAt = now
                return (.repeated, state, next)
            }
            return (nil, nil, next)
        }
        next.announced = state
        next.lastAlertAt = now
        let kind: AlertKind
        switch (state, announced.rank, state.rank) {
        case (.achieved, _, _): kind = .achieved
        case (.missed, _, _): kind = .missed
        case (_, let before?, let after?): kind = after < before ? .worse : .better
        default: kind = .changed
        }
        return (kind, announced, next)
    }

    /// The alert's severity: `info` for a state that judges nothing (`insufficient_data`, so a fresh install's
    /// first evaluations are not warnings); else the target's own, raised one step for `missed` and `off_track`.
    public static func severity(for state: TargetState?, target: Severity) -> Severity {
        if state == .insufficientData { return .info }
        guard state == .missed || state == .offTrack else { return target }
        return target == .info ? .warning : .critical
    }
}
