import Foundation
import PlanWatchSetup
import PlanWatchIngest
import PlanWatchOutputs

/// What the daemon's work loop reacts to.
public enum DaemonEvent: Sendable, Equatable {
    /// A name in the inbox was written or renamed in.
    case file(String)
    /// Look at every file in the inbox (start, schedule, inotify overflow).
    case rescan
    /// Reload settings and plans (`SIGHUP`).
    case reload
    /// Reopen the alert log (`SIGUSR1`, after logrotate).
    case reopenLog
    /// Finish and exit.
    case stop
}

/// A blocking queue of events for the work loop's own thread, with a timed wait so the idle daemon sleeps until
/// the next event or the next scheduled tick, and not a moment before.
public final class WorkQueue: @unchecked Sendable {
    private let condition = NSCondition()
    private var events: [DaemonEvent] = []
    private var stopping = false

    public init() {}

    public func post(_ event: DaemonEvent) {
        condition.lock()
        if event == .stop { stopping = true }
        if event != .stop || !events.contains(.stop) { events.append(event) }
        condition.broadcast()
        condition.unlock()
    }

    /// Whether `.stop` was posted: long work checks this to roll back and return promptly.
    public var isStopping: Bool {
        condition.lock()
        defer { condition.unlock() }
        return stopping
    }

    /// The next event, `.stop` first once posted; nil when `deadline` passes first.
    public func next(until deadline: Date?) -> DaemonEvent? {
        condition.lock()
        defer { condition.unlock() }
        while events.isEmpty {
            if let deadline {
                if !condition.wait(until: deadline) && events.isEmpty { return nil }
            } else {
                condition.wait()
            }
        }
        if stopping { return .stop }
        return events.removeFirst()
    }
}
