import Foundation
import Logging
import PlanWatchCore
import PlanWatchStore

/// `planwatch run`: the long-running service (SPEC §6, §7, §9) as an embeddable object. Its work loop runs on a
/// thread of its own — ingesting, fsyncing and evaluating are blocking work that must not sit on the cooperative
/// pool — and sleeps on its `WorkQueue` until a file arrives, a signal is turned into an event, or the next
/// scheduled evaluation or rescan is due.
public final class Daemon: @unchecked Sendable {
    public let queue = WorkQueue()
    public let notifier: SystemdNotifier
    private let options: RuntimeOptions
    private let logger: Logger
    private let now: @Sendable () -> Date
    private var configuration: Configuration
    private var store: Store!
    private var ingester: Ingester!
    private var inbox: Inbox!
    private var alertLog: AlertLog!
    private var summary = "starting"

    public init(
        configuration: Configuration, options: RuntimeOptions, logger: Logger,
        notifier: SystemdNotifier = SystemdNotifier(), now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.configuration = configuration
        self.options = options
        self.logger = logger
        self.notifier = notifier
        self.now = now
    }

    /// Opens everything, announces readiness, and works until `.stop`; returns the process exit status.
    public func run() -> Int32 {
        let watcher: InboxWatcher
        do {
            try open()
            watcher = InboxWatcher(directory: inbox.directories.inbox, queue: queue)
            try watcher.start()
        } catch {
            logger.critical("cannot start: \(error)")
            return 1
        }
        defer { watcher.stop() }
        recoverAlerts()
        evaluate()
        notifier.notify("READY=1", "STATUS=\(summary)")
        logger.notice("watching \(inbox.directories.inbox); alerts go to \(alertLog.path)")
        queue.post(.rescan)
        let settings = { self.configuration.settings }
        var nextEvaluation = now().addingTimeInterval(Double(settings().evaluateInterval.approximateSeconds))
        var nextRescan = now().addingTimeInterval(Double(settings().rescanInterval.approximateSeconds))
        let watchdog = SystemdNotifier.watchdogInterval().map { $0 / 2 }
        var nextPing = watchdog.map { now().addingTimeInterval($0) }
        while true {
            let deadline = [nextEvaluation, nextRescan, nextPing].compactMap { $0 }.min()
            let event = queue.next(until: deadline)
            let time = now()
            if let ping = nextPing, time >= ping, let watchdog {
                notifier.notify("WATCHDOG=1")
                nextPing = time.addingTimeInterval(watchdog)
            }
            switch event {
            case .stop:
                logger.notice("stopping")
                return 0
            case .file(let name):
                if Inbox.accepts(name) { process(name) }
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
                    evaluate()
                    nextEvaluation = now().addingTimeInterval(Double(settings().evaluateInterval.approximateSeconds))
                }
            }
            if queue.isStopping { continue }
        }
    }

    private func open() throws {
        store = try StateDirectory.openStore(configuration)
        ingester = try Ingester(configuration: configuration, store: store, now: now)
        inbox = Inbox(directories: StateDirectory(configuration.settings.stateDirectory), maxFileSize: configuration.settings.maxFileSize)
        try inbox.prepare()
        alertLog = AlertLog(path: configuration.settings.alertLogPath)
    }

    /// Logs alerts a previous run stored but did not log (a crash between the two).
    private func recoverAlerts() {
        publish()
    }

    private func rescan() {
        for name in inbox.waiting() {
            if queue.isStopping { return }
            process(name)
        }
    }

    /// Ingests one inbox entry, moves it where it belongs, logs its alerts, and evaluates when data changed.
    func process(_ name: String) {
        let path = inbox.directories.inbox + "/" + name
        do {
            switch inbox.examine(name) {
            case .gone:
                return
            case .refused(let reason):
                let report = IngestReport(
                    file: name, sha256: nil, size: nil, layout: nil, dryRun: false, outcome: .rejected,
                    counts: IngestCounts(), problems: [IngestProblem(row: 0, line: 0, message: reason)], problemCount: 1,
                    duplicateOf: nil, series: [])
                let moved = try inbox.moveToRejected(name, json: try Daemon.json(report), text: "\(name): refused: \(reason)")
                try store.insert(ingester.dataAlerts(report, revisions: []))
                logger.warning("refused \(name): \(reason); moved to \(moved)")
            case .file:
                let queue = self.queue
                let report = try ingester.ingest(path: path, name: name, interrupted: { queue.isStopping })
                switch report.outcome {
                case .interrupted:
                    logger.notice("interrupted while ingesting \(name); rolled back, it stays in the inbox")
                    return
                case .ingested, .duplicate:
                    let moved = try inbox.moveToProcessed(name, day: EvaluationRunner.today(now()))
                    logger.debug("\(report.text); moved to \(moved)")
                case .rejected:
                    let moved = try inbox.moveToRejected(name, json: try Daemon.json(report), text: report.text)
                    logger.warning("rejected \(name): \(report.problemCount) problems; moved to \(moved)")
                }
                publish()
                if report.outcome == .ingested, report.counts.inserted + report.counts.revised > 0 { evaluate() }
            }
        } catch {
            logger.error("cannot process \(path): \(error); it stays in the inbox and is tried again at the next rescan")
        }
        notifier.notify("STATUS=\(summary)")
    }

    /// Evaluates every target as of today and logs the alerts that raises.
    func evaluate() {
        do {
            let evaluations = try EvaluationRunner(configuration: configuration, store: store).evaluate(asOf: EvaluationRunner.today(now()), at: now())
            var counts: [TargetState: Int] = [:]
            for evaluation in evaluations { counts[evaluation.state, default: 0] += 1 }
            let states = TargetState.allCases.compactMap { state in counts[state].map { "\($0) \(state.rawValue)" } }
            summary = "\(evaluations.count) targets: \(states.joined(separator: ", ")); \(inbox.waiting().count) files waiting"
        } catch {
            logger.error("cannot evaluate: \(error)")
        }
        publish()
    }

    private func publish() {
        do {
            try alertLog.publish(store, at: now())
        } catch {
            logger.error("\(error)")
        }
    }

    /// Reloads settings and plans; keeps the running configuration when the new one is invalid.
    private func reload() {
        notifier.notify("RELOADING=1", SystemdNotifier.monotonicNow)
        defer { notifier.notify("READY=1", "STATUS=\(summary)") }
        let fresh: Configuration
        do {
            fresh = try Configuration.load(options)
        } catch {
            logger.error("reload failed; keeping the running configuration:\n\(error)")
            return
        }
        if fresh.settings.stateDirectory != configuration.settings.stateDirectory || fresh.settings.databasePath != configuration.settings.databasePath {
            logger.warning("the state directory or database changed in the settings; restart planwatch to use it")
        }
        do {
            ingester = try Ingester(configuration: fresh, store: store, now: now)
        } catch {
            logger.error("reload failed; keeping the running configuration: \(error)")
            return
        }
        configuration = fresh
        inbox = Inbox(directories: inbox.directories, maxFileSize: fresh.settings.maxFileSize)
        if fresh.settings.alertLogPath != alertLog.path { alertLog = AlertLog(path: fresh.settings.alertLogPath) } else { alertLog.reopen() }
        logger.notice("reloaded \(fresh.origin): \(fresh.planSet.plans.count) plans, \(fresh.planSet.targets.count) targets")
        evaluate()
    }

    static func json(_ report: IngestReport) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(report)
    }
}
