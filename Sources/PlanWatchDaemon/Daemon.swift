import Foundation
import Logging
import PlanWatchCore
import PlanWatchStore
import PlanWatchSetup
import PlanWatchIngest
import PlanWatchOutputs

/// `planwatch run`: the long-running service (SPEC §6, §7, §9) as an embeddable object. Its work loop runs on a
/// thread of its own — ingesting, fsyncing and evaluating are blocking work that must not sit on the cooperative
/// pool — and sleeps on its `WorkQueue` until a file arrives, a signal is turned into an event, or the next
/// scheduled evaluation or rescan is due.
public final class Daemon: @unchecked Sendable {
    public let queue = WorkQueue()
    public let notifier: SystemdNotifier
    let options: RuntimeOptions
    let logger: Logger
    let now: @Sendable () -> Date
    var configuration: Configuration
    /// Opened whole before the daemon starts, swapped whole on a reload.
    var resources: DaemonResources
    var store: Store { resources.store }
    var ingester: Ingester { resources.ingester }
    var inbox: Inbox { resources.inbox }
    var alertLog: AlertLog { resources.alertLog }
    var summary = "starting"
    lazy var reports = ReportWorker(logger: logger)
    var sender: AlertmanagerSender?
    /// Names in the inbox that are not read, each said once.
    var ignoredNames = Set<String>()
    /// Logging pending alerts is retried on a back-off of its own after it fails (a full disk, a log it cannot
    /// write), so they are logged, and reach Alertmanager, within seconds of the log taking writes again rather
    /// than at the next file or scheduled evaluation.
    var publishBackoff = RetryBackoff(first: 1, longest: 60)
    /// When the work loop tries logging again; nil while nothing is held back.
    var publishRetry: Date?
    /// The last failure, said once however often the retry meets it again.
    var publishFailure: String?
    /// When files that changed data are judged: once the inbox has been quiet for `schedule.settle`, at the latest
    /// `schedule.settle_max` after the first change (SPEC §6), so alerts describe settled states.
    var settling: SettleTimer
    /// The last evaluations and when they ran, for the metrics file written after an ingest too.
    var lastEvaluations: [Evaluation] = []
    var lastEvaluatedAt: Date?

    /// Takes the locks and opens the database, the inbox and the alert log (`DaemonResources`); throws what keeps
    /// the daemon from starting, which `exitStatus(startingAfter:)` turns into the process's exit status.
    public init(
        configuration: Configuration, options: RuntimeOptions, logger: Logger,
        notifier: SystemdNotifier = SystemdNotifier(), now: @escaping @Sendable () -> Date = { Date() }
    ) throws {
        self.configuration = configuration
        self.options = options
        self.logger = logger
        self.notifier = notifier
        self.now = now
        heartbeat = Heartbeat(notifier: notifier, interval: SystemdNotifier.watchdogInterval().map { $0 / 2 })
        settling = SettleTimer(configuration.settings)
        resources = try DaemonResources.open(configuration, now: now)
    }

    /// The exit status for an error that kept the daemon from starting: `needsAttention` for what a restart
    /// cannot fix (a newer, read-only, corrupt or full database), 1 for the rest (another daemon holds the lock).
    public static func exitStatus(startingAfter error: any Error) -> Int32 {
        guard let error = error as? StoreError else { return 1 }
        return error.code == .busy || error.code == .other ? 1 : needsAttention
    }

    /// Exit status for start failures a restart cannot fix (EX_CONFIG): a bad configuration, a database from a
    /// newer planwatch, a read-only, corrupt or full database, a database deleted under the running daemon. The
    /// unit lists it in `RestartPreventExitStatus=`, so systemd does not restart in a loop.
    public static let needsAttention: Int32 = 78

    /// Opens everything, announces readiness, and works until `.stop`; returns the process exit status.
    public func run() -> Int32 {
        // A write past RLIMIT_FSIZE must fail with EFBIG (and be reported), not kill the daemon.
        signal(SIGXFSZ, SIG_IGN)
        let watcher = InboxWatcher(directory: inbox.directories.inbox, queue: queue)
        do {
            try watcher.start()
        } catch {
            logger.critical("cannot start: \(error)")
            return 1
        }
        startAlertmanager()
        defer {
            watcher.stop()
            reports.stop()
            sender?.stop()
            checkpoint()
        }
        recoverMoves()
        for member in InboxArchive.sweep(inbox: inbox.directories.inbox) {
            logger.notice("moved \(terminalSafe(member)) into the inbox: unpacked before a restart")
        }
        recoverAlerts()
        evaluate()
        notifier.notify("READY=1", "STATUS=\(summary)")
        logger.notice("watching \(inbox.directories.inbox); alerts go to \(alertLog.path)")
        queue.post(.rescan)
        let settings = { self.configuration.settings }
        var nextEvaluation = now().addingTimeInterval(Double(settings().evaluateInterval.approximateSeconds))
        var nextRescan = now().addingTimeInterval(Double(settings().rescanInterval.approximateSeconds))
        while true {
            let settled = settling.deadline.map { Date(timeIntervalSince1970: $0) }
            let deadline = [nextEvaluation, nextRescan, heartbeat.next, publishRetry, settled].compactMap { $0 }.min()
            let event = queue.next(until: deadline)
            let time = now()
            heartbeat.beat()
            if let problem = databaseGone() {
                logger.critical("\(problem)")
                notifier.notify("STATUS=stopped: the database was removed or replaced", "STOPPING=1")
                return Daemon.needsAttention
            }
            switch event {
            case .stop:
                logger.notice("stopping")
                return 0
            case .file(let name):
                if Inbox.accepts(name) {
                    process(name)
                } else if let reason = Inbox.ignoredReason(name), ignoredNames.insert(name).inserted {
                    logger.warning("ignored \(terminalSafe(name)) in the inbox: \(reason)")
                }
            case .rescan:
                rescan()
            case .reload:
                reload()
            case .reopenLog:
                alertLog.reopen()
                logger.info("reopened the alert log \(alertLog.path)")
            case nil:
                if time >= nextRescan {
                    rescan()
                    nextRescan = now().addingTimeInterval(Double(settings().rescanInterval.approximateSeconds))
                }
                if time >= nextEvaluation {
                    // While files wait to be judged the settled evaluation is at most settle_max away, and
                    // judging now would announce a half-loaded state.
                    if !settling.isPending { evaluate() }
                    checkpoint()
                    nextEvaluation = now().addingTimeInterval(Double(settings().evaluateInterval.approximateSeconds))
                }
            }
            if queue.isStopping { continue }
            // Checked after every event too: a drain that never leaves the queue empty is judged at settle_max.
            if settling.evaluateNow(at: now().timeIntervalSince1970) {
                evaluate()
                notifier.notify("STATUS=\(summary)")
            }
            if let retry = publishRetry, now() >= retry {
                publish()
                if publishRetry == nil { writeMetrics() }
            }
        }
    }

    /// Sends `WATCHDOG=1` at half of `WATCHDOG_USEC`, from the work loop and from inside long ingests.
    let heartbeat: Heartbeat

    /// Why the database can no longer be used, when its path no longer names the file opened.
    func databaseGone() -> String? {
        guard let identity = resources.databaseIdentity else { return nil }
        let path = configuration.settings.databasePath
        var info = stat()
        let named = stat(path, &info) == 0
        if named, UInt64(info.st_dev) == identity.device, UInt64(info.st_ino) == identity.inode { return nil }
        return
            "the database \(path) was \(named ? "replaced" : "deleted") while planwatch was running; stopping so that nothing is written where nobody can read it. Restore it from a backup (planwatch backup makes one) or move the new file aside, then start planwatch again"
    }

    /// Folds the write-ahead log into the database file, so a copy of `planwatch.sqlite` alone is complete.
    func checkpoint() {
        do { _ = try store.checkpoint() } catch { logger.warning("cannot checkpoint the database: \(error)") }
    }

    /// The Alertmanager sender's thread, when `alerts.alertmanager.url` is set (now or after a reload).
    func startAlertmanager() {
        guard configuration.settings.alertmanagerURL != nil else { return }
        if let sender {
            sender.update(configuration.settings)
        } else {
            let sender = AlertmanagerSender(settings: configuration.settings, logger: logger)
            sender.start()
            self.sender = sender
            logger.info("delivering alerts to Alertmanager at \(configuration.settings.alertmanagerURL!)")
        }
    }

}

/// Sends `WATCHDOG=1` when due, from whichever thread is busy: the work loop, or a long ingest's reading thread,
/// so the watchdog never starves during one large file.
final class Heartbeat: @unchecked Sendable {
    let notifier: SystemdNotifier
    let interval: TimeInterval?
    let lock = NSLock()
    var due: Date?

    init(notifier: SystemdNotifier, interval: TimeInterval?) {
        self.notifier = notifier
        self.interval = interval
        due = interval.map { Date().addingTimeInterval($0) }
    }

    /// When the next ping is due (nil without a watchdog).
    var next: Date? {
        lock.lock()
        defer { lock.unlock() }
        return due
    }

    func beat() {
        guard let interval else { return }
        lock.lock()
        let now = Date()
        guard let due, now >= due else {
            lock.unlock()
            return
        }
        self.due = now.addingTimeInterval(interval)
        lock.unlock()
        notifier.notify("WATCHDOG=1")
    }
}
