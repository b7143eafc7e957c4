import Foundation
import Logging
import PlanWatchCore
import PlanWatchReport
import PlanWatchStore
import PlanWatchSetup
import PlanWatchHTTP

/// Writes the daemon's report on a thread of its own, so the work loop hands over the evaluations and goes back to
/// the inbox: however many targets the report draws, the next file's alert does not wait for it. Requests
/// coalesce: while one report is being written, only the newest of the evaluations handed over since is kept.
/// The thread reads through its own read-only connection (WAL: it never blocks the work loop's writes).
public final class ReportWorker: @unchecked Sendable {
    private struct Request {
        var configuration: Configuration
        var evaluations: [Evaluation]
        var asOf: CalendarDate
        var group: gid_t?
    }

    private let condition = NSCondition()
    private var pending: Request?
    private var stopping = false
    private var busy = false
    private var thread: Thread?
    private let logger: Logger
    private var store: Store?
    private var storePath: String?

    public init(logger: Logger) {
        self.logger = logger
    }

    /// Hands over the evaluations of one run; returns at once.
    public func submit(configuration: Configuration, evaluations: [Evaluation], asOf: CalendarDate, group: gid_t?) {
        condition.lock()
        pending = Request(configuration: configuration, evaluations: evaluations, asOf: asOf, group: group)
        if thread == nil {
            let thread = Thread { [self] in work() }
            thread.name = "planwatch-report"
            self.thread = thread
            thread.start()
        }
        condition.signal()
        condition.unlock()
    }

    /// Waits until every report handed over is written (tests and a clean stop), at most `timeout` seconds.
    @discardableResult
    public func drain(timeout: TimeInterval = 30) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        condition.lock()
        defer { condition.unlock() }
        while pending != nil || busy {
            if !condition.wait(until: deadline) { return false }
        }
        return true
    }

    /// Finishes the report being written, drops any waiting, and ends the thread.
    public func stop() {
        condition.lock()
        stopping = true
        pending = nil
        condition.broadcast()
        while busy { condition.wait() }
        condition.unlock()
    }

    private func work() {
        while true {
            condition.lock()
            while pending == nil && !stopping { condition.wait() }
            if stopping {
                condition.unlock()
                return
            }
            let request = pending!
            pending = nil
            busy = true
            condition.unlock()
            write(request)
            condition.lock()
            busy = false
            condition.broadcast()
            condition.unlock()
        }
    }

    private func write(_ request: Request) {
        let settings = request.configuration.settings
        do {
            if store == nil || storePath != settings.databasePath {
                store = try Store.openReadOnly(path: settings.databasePath)
                storePath = settings.databasePath
            }
            let outcome = try ReportBuilder(configuration: request.configuration, store: store!).write(
                evaluations: request.evaluations, asOf: request.asOf,
                language: ReportLanguage(rawValue: settings.reportLanguage) ?? .en,
                to: ReportWriter(directory: settings.reportPath, group: request.group))
            if case .written(let pages) = outcome {
                logger.info("report written to \(settings.reportPath) (\(counted(pages, "page")))")
            }
        } catch {
            logger.warning("cannot write the report into \(settings.reportPath): \(error)")
            store = nil
        }
    }
}
