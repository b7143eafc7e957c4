/// When the daemon judges the targets after files changed data (SPEC §6, "Alerts describe settled states"): once
/// the inbox has been quiet for `settle`, so files that arrive together (a backfill, a zip, a fetch run) are all
/// ingested before one evaluation, and at the latest `longest` after the first change not yet judged, so a drain
/// of thousands of files still shows its progress. Pure: times come in as seconds from the caller's clock.
public struct SettleTimer: Sendable, Equatable {
    /// How long the inbox must be quiet after the last file before the evaluation (`schedule.settle`).
    public var settle: Double
    /// The longest a change waits to be judged while files keep coming (`schedule.settle_max`).
    public var longest: Double
    /// When the first change of data not yet judged was stored; nil when every change is judged.
    public private(set) var pendingSince: Double?
    /// When the inbox last finished a file (any outcome: a rejected or duplicate file is still part of a batch).
    public private(set) var lastFile: Double?

    public init(settle: Double, longest: Double) {
        self.settle = settle
        self.longest = longest
    }

    /// The `schedule.settle` and `schedule.settle_max` of `settings`.
    public init(_ settings: Settings) {
        self.init(
            settle: Double(settings.settle.approximateSeconds),
            longest: Double(settings.settleMax.approximateSeconds))
    }

    /// Whether a change of data waits for its evaluation.
    public var isPending: Bool { pendingSince != nil }

    /// A file of the inbox was finished at `time`; `changedData` when it stored, revised or deleted a value.
    public mutating func finishedFile(at time: Double, changedData: Bool) {
        lastFile = max(lastFile ?? time, time)
        if changedData, pendingSince == nil { pendingSince = time }
    }

    /// When the evaluation is due: `settle` after the last file, but no later than `longest` after the first
    /// change waiting; nil when nothing waits.
    public var deadline: Double? {
        guard let pendingSince else { return nil }
        return min((lastFile ?? pendingSince) + settle, pendingSince + longest)
    }

    /// Whether to evaluate at `time`; when it says yes, the waiting changes count as judged.
    public mutating func evaluateNow(at time: Double) -> Bool {
        guard let deadline, time >= deadline else { return false }
        pendingSince = nil
        return true
    }

    /// Another evaluation judged every change stored so far (nothing waits any more).
    public mutating func evaluated() {
        pendingSince = nil
    }
}
