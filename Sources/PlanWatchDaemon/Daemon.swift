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
    private let options: RuntimeOptions
    private let logger: Logger
    private let now: @Sendable () -> Date
    private var configuration: Configuration
    /// Opened whole before the daemon starts, swapped whole on a reload.
    private var resources: DaemonResources
    private var store: Store { resources.store }
    private var ingester: Ingester { resources.ingester }
    private var inbox: Inbox { resources.inbox }
    private var alertLog: AlertLog { resources.alertLog }
    private var summary = "starting"
    private lazy var reports = ReportWorker(logger: logger)
    private var sender: AlertmanagerSender?
    /// Names in the inbox that are not read, each said once.
    private var ignoredNames = Set<String>()
    /// The last evaluations and when they ran, for the metrics file written after an ingest too.
    private var lastEvaluations: [Evaluation] = []
    private var lastEvaluatedAt: Date?

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
            let deadline = [nextEvaluation, nextRescan, heartbeat.next, publishRetry].compactMap { $0 }.min()
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
                    evaluate()
                    checkpoint()
                    nextEvaluation = now().addingTimeInterval(Double(settings().evaluateInterval.approximateSeconds))
                }
            }
            if queue.isStopping { continue }
            if let retry = publishRetry, now() >= retry {
                publish()
                if publishRetry == nil { writeMetrics() }
            }
        }
    }

    /// Sends `WATCHDOG=1` at half of `WATCHDOG_USEC`, from the work loop and from inside long ingests.
    private let heartbeat: Heartbeat

    /// Why the database can no longer be used, when its path no longer names the file opened.
    private func databaseGone() -> String? {
        guard let identity = resources.databaseIdentity else { return nil }
        let path = configuration.settings.databasePath
        var info = stat()
        let named = stat(path, &info) == 0
        if named, UInt64(info.st_dev) == identity.device, UInt64(info.st_ino) == identity.inode { return nil }
        return "the database \(path) was \(named ? "replaced" : "deleted") while planwatch was running; stopping so that nothing is written where nobody can read it. Restore it from a backup (planwatch backup makes one) or move the new file aside, then start planwatch again"
    }

    /// Folds the write-ahead log into the database file, so a copy of `planwatch.sqlite` alone is complete.
    private func checkpoint() {
        do { _ = try store.checkpoint() } catch { logger.warning("cannot checkpoint the database: \(error)") }
    }

    /// The Alertmanager sender's thread, when `alerts.alertmanager.url` is set (now or after a reload).
    private func startAlertmanager() {
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

    /// Finishes what a crash left between a file's transaction and its move: rows whose file has left the inbox
    /// are marked done; those still there are finished when the file is processed (its content is recognized).
    private func recoverMoves() {
        do {
            for pending in try store.pendingFiles() where !exists(pending.name) {
                try store.finishMove(pending.id, movedTo: nil)
            }
            for pending in try store.pendingRefusals() where !exists(pending.name) {
                try store.finishRefusal(pending.id, movedTo: nil)
            }
        } catch {
            logger.error("cannot finish the moves a crash left: \(error)")
        }
    }

    private func exists(_ name: String) -> Bool {
        var info = stat()
        return lstat(inbox.directories.inbox + "/" + name, &info) == 0
    }

    /// Logs alerts a previous run stored but did not log (a crash between the two).
    private func recoverAlerts() {
        publish()
    }

    private func rescan() {
        for bytes in inbox.invalidNames() {
            if queue.isStopping { return }
            refuseInvalidName(bytes)
        }
        for name in inbox.waiting() {
            if queue.isStopping { return }
            process(name)
        }
    }

    /// Ingests one inbox entry, moves it where it belongs, logs its alerts, and evaluates when data changed. Each
    /// step after the file's transaction is driven by what that transaction stored (SPEC §7): the rows, the file
    /// row marked `pending_move`, its alerts and reports commit together; the move comes next, then the mark. A
    /// crash in between is finished at the restart, never ingested, recorded or alerted twice.
    func process(_ name: String) {
        let path = inbox.directories.inbox + "/" + name
        do {
            switch inbox.examine(name) {
            case .gone:
                return
            case .refused(let reason, let device, let inode):
                try refuse(name, reason: reason, device: device, inode: inode)
            case .file(let file):
                defer { file.close() }
                if name.lowercased().hasSuffix(".zip") {
                    try unpack(name, file)
                    return
                }
                let queue = self.queue
                let heartbeat = self.heartbeat
                let report = try ingester.ingest(file: file, name: name, fromInbox: true, interrupted: {
                    heartbeat.beat()
                    return queue.isStopping
                })
                let safe = terminalSafe(name)
                CrashPoint.reach("ingested")
                switch report.outcome {
                case .valid, .invalid:
                    return  // dry-run verdicts: the daemon never dry-runs
                case .interrupted:
                    logger.notice("interrupted while ingesting \(safe); rolled back, it stays in the inbox")
                    return
                case .ingested, .duplicate:
                    let moved = try inbox.moveToProcessed(name, day: EvaluationRunner.today(now()), file: file)
                    CrashPoint.reach("moved")
                    if let id = report.recordID { try store.finishMove(id, movedTo: moved) }
                    if report.resumed {
                        logger.debug("\(safe): finished after a restart; moved to \(terminalSafe(moved))")
                    } else if report.outcome == .duplicate {
                        logger.warning("\(safe) stored nothing: its content is that of \(terminalSafe(report.duplicateOf ?? "an earlier file")); moved to \(terminalSafe(moved))")
                    } else if report.counts.inserted + report.counts.revised + report.counts.deleted > 0 {
                        let counts = report.counts
                        let source = report.source.map { " (fetched for source \(terminalSafe($0)))" } ?? ""
                        logger.notice("ingested \(safe)\(source): \(counted(counts.inserted + counts.revised, "value")), \(counts.revised) revised; moved to \(terminalSafe(moved))")
                    } else {
                        let counts = report.counts
                        let why = counts.rows == 0 ? "it has no data rows"
                            : counts.older > 0 && counts.unchanged == 0 ? "every value is of an older vintage than the one stored (kept in the history)"
                            : counts.skipped == counts.rows ? "none of its series is in the catalogue (not tracked: \(report.unmapped.prefix(3).joined(separator: ", "))\(report.unmapped.count > 3 ? ", …" : ""); map such codes under mapping: in the plans)"
                            : "every value equals the one stored (\(counted(counts.unchanged, "value")) unchanged)"
                        logger.warning("\(safe) stored nothing: \(why); moved to \(terminalSafe(moved))")
                    }
                case .rejected:
                    let stored = report.storedReport ?? (String(decoding: report.jsonData(), as: UTF8.self), report.text)
                    let moved = try inbox.moveToRejected(name, json: Data(stored.json.utf8), text: stored.text, file: file)
                    CrashPoint.reach("moved")
                    if let id = report.recordID { try store.finishMove(id, movedTo: moved) }
                    logger.warning("rejected \(safe): \(report.resumed ? "finished after a restart" : counted(report.problemCount, "problem")); moved to \(terminalSafe(moved))")
                }
                publish()
                if report.outcome == .ingested, !report.resumed, report.counts.inserted + report.counts.revised > 0 {
                    evaluate()
                } else {
                    writeMetrics()
                }
            }
        } catch {
            logger.error("cannot process \(terminalSafe(path)): \(terminalSafe("\(error)")); it stays in the inbox and is tried again at the next rescan")
        }
        notifier.notify("STATUS=\(summary)")
    }

    /// Moves an entry whose name is not valid UTF-8 to `rejected/` under a safe name (invalid bytes as `%XX`),
    /// with reports that give the original bytes and, when they read as GB18030, the name they mean.
    private func refuseInvalidName(_ bytes: [UInt8]) {
        let safe = Inbox.safeName(bytes)
        var info = stat()
        let path = (Array((inbox.directories.inbox + "/").utf8) + bytes + [0]).map { CChar(bitPattern: $0) }
        guard lstat(path, &info) == 0 else { return }
        let hex = bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined(separator: " ")
        let meant = GB18030Decoder.text(bytes).map { "; read as GBK/GB18030 it is '\(terminalSafe($0))'" } ?? ""
        let reason = "the file name is not valid UTF-8 (bytes \(hex)\(meant)); it was moved here as '\(terminalSafe(safe))'. Give it a UTF-8 name (convmv -f gbk -t utf-8 --notest NAME, or rename it before copying it from Windows) and drop it again"
        do {
            let id = try recordRefusal(safe, reason: reason, device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
            let moved = try inbox.moveInvalidName(bytes, json: Daemon.refusalReport(safe, reason).jsonData(), text: "\(terminalSafe(safe)): refused: \(reason)")
            try store.finishRefusal(id, movedTo: moved)
            logger.warning("refused \(terminalSafe(safe)): \(reason); moved to \(terminalSafe(moved))")
        } catch {
            logger.error("cannot move the entry named with bytes \(hex) out of the inbox: \(terminalSafe("\(error)"))")
        }
        publish()
    }

    /// The refusal of this entry as recorded before a crash, or a new one with its alert; returns its id.
    private func recordRefusal(_ name: String, reason: String, device: UInt64, inode: UInt64) throws(StoreError) -> Int64 {
        if let pending = try store.pendingRefusal(name: name, device: device, inode: inode) { return pending.id }
        return try store.recordRefusal(
            name: name, device: device, inode: inode, reason: reason, at: now(),
            alerts: ingester.dataAlerts(Daemon.refusalReport(name, reason), revisions: []))
    }

    static func refusalReport(_ name: String, _ reason: String) -> IngestReport {
        var report = IngestReport.empty(name, dryRun: false)
        report.problems = [IngestProblem(row: 0, line: 0, message: reason)]
        report.problemCount = 1
        return report
    }

    /// Records a refused entry with its alert (once, even across a crash), moves it to `rejected/` with its
    /// reports, and logs the alert at once.
    private func refuse(_ name: String, reason: String, device: UInt64, inode: UInt64) throws {
        let id = try recordRefusal(name, reason: reason, device: device, inode: inode)
        let report = Daemon.refusalReport(name, reason)
        CrashPoint.reach("refusal-recorded")
        let moved = try inbox.moveToRejected(name, json: report.jsonData(), text: "\(terminalSafe(name)): refused: \(reason)")
        CrashPoint.reach("moved")
        try store.finishRefusal(id, movedTo: moved)
        logger.warning("refused \(terminalSafe(name)): \(reason); moved to \(terminalSafe(moved))")
        publish()
    }

    /// A zip in the inbox, one unit (`InboxArchive`): checked whole and every CSV member inflated aside before any
    /// goes into the inbox as a file of its own (`ARCHIVE--MEMBER.csv`, then ingested like any drop); the archive
    /// goes to processed/. One that is damaged, forged or too large is refused to rejected/, alone.
    private func unpack(_ name: String, _ file: OpenedFile) throws {
        let safe = terminalSafe(name)
        let archive = try InboxArchive(inbox: inbox.directories.inbox, name: name, file: file)
        let limits = ZipMembers.Limits(
            bytes: configuration.settings.maxFileSize, members: configuration.settings.maxArchiveMembers)
        do {
            let outcome = try archive.unpack(file, limits: limits)
            let moved = try inbox.moveToProcessed(name, day: EvaluationRunner.today(now()), file: file)
            CrashPoint.reach("archive-moved")
            archive.finish()
            let skipped = outcome.skipped.isEmpty ? "" : "; skipped \(outcome.skipped.map(terminalSafe).joined(separator: "; "))"
            let what = outcome.resumed ? "finished unpacking \(safe) after a restart" : "unpacked \(safe)"
            logger.notice("\(what): \(counted(outcome.members.count, "CSV member")) into the inbox\(skipped); moved to \(terminalSafe(moved))")
            for member in outcome.members { queue.post(.file(member)) }
        } catch let failure as ZipMembers.Failure {
            try refuse(name, reason: failure.description, device: archive.device, inode: archive.inode)
        }
    }

    /// Evaluates every target as of today, logs the alerts that raises, then rewrites the report: after the
    /// alerts, so writing it never delays one.
    func evaluate() {
        var evaluations: [Evaluation]?
        do {
            evaluations = try EvaluationRunner(configuration: configuration, store: store).evaluate(asOf: EvaluationRunner.today(now()), at: now())
            var counts: [TargetState: Int] = [:]
            for evaluation in evaluations! { counts[evaluation.state, default: 0] += 1 }
            let states = TargetState.allCases.compactMap { state in counts[state].map { "\($0) \(state.rawValue)" } }
            summary = "\(counted(evaluations!.count, "target")): \(states.joined(separator: ", ")); \(counted(inbox.waiting().count, "file")) waiting"
        } catch {
            logger.error("cannot evaluate: \(error)")
        }
        publish()
        if let evaluations {
            lastEvaluations = evaluations
            lastEvaluatedAt = now()
        }
        writeMetrics()
        if let evaluations, configuration.settings.reportEnabled { writeReport(evaluations) }
    }

    /// Rewrites `metrics.textfile`, when set: after every evaluation and every processed file.
    private func writeMetrics() {
        guard let path = configuration.settings.metricsTextfile, databaseGone() == nil else { return }
        do {
            let totals = try store.ingestTotals()
            let pending = totals.unlogged + (sender == nil ? 0 : try store.undeliveredAlertmanagerAlerts())
            let bytes = MetricsFile.render(evaluations: lastEvaluations, totals: totals, evaluatedAt: lastEvaluatedAt, pending: pending)
            try MetricsFile.write(bytes, to: path)
        } catch {
            logger.warning("\(error)")
        }
    }

    /// Hands the evaluations to the report's own thread, which rewrites `report.dir` (unless its inputs are
    /// unchanged), readable by the inbox's group.
    private func writeReport(_ evaluations: [Evaluation]) {
        var info = stat()
        let group = stat(inbox.directories.inbox, &info) == 0 && info.st_gid != getgid() ? info.st_gid : nil
        reports.submit(configuration: configuration, evaluations: evaluations, asOf: EvaluationRunner.today(now()), group: group)
    }

    /// Logging pending alerts is retried on a back-off of its own after it fails (a full disk, a log it cannot
    /// write), so they are logged, and reach Alertmanager, within seconds of the log taking writes again rather
    /// than at the next file or scheduled evaluation.
    private var publishBackoff = RetryBackoff(first: 1, longest: 60)
    /// When the work loop tries logging again; nil while nothing is held back.
    private var publishRetry: Date?
    /// The last failure, said once however often the retry meets it again.
    private var publishFailure: String?

    private func publish() {
        if databaseGone() != nil { return }
        do {
            // Natively to the journal, with fields to filter on, when the service's output is the journal.
            let native = Journal.available
            let logged = try alertLog.publish(store, at: now()) { alert in
                if !native || !Journal.send(Journal.fields(alert)) { AlertLog.standardError(alert.journalLine) }
            }
            if publishRetry != nil {
                let count = counted(logged, "pending alert")
                logger.notice("the alert log \(alertLog.path) takes alerts again: \(count) logged")
            }
            publishBackoff.succeeded()
            publishRetry = nil
            publishFailure = nil
        } catch {
            let delay = publishBackoff.failed()
            publishRetry = now().addingTimeInterval(delay)
            let problem = "\(error)"
            if problem != publishFailure {
                publishFailure = problem
                let longest = Int(publishBackoff.longest)
                let retry = "tried again in \(Int(delay)) s, then at doubling intervals up to every \(longest) s"
                logger.error("\(problem) (\(retry))")
            }
        }
        // Logged alerts go on to the Alertmanager outbox (each once, in one transaction); its thread sends them.
        do {
            let reports = configuration.settings.reportPath + "/targets/"
            if try store.feedOutbox(enabled: sender != nil, now: now(), report: { reports + $0 + ".html" }) > 0 { sender?.wake() }
        } catch {
            logger.error("\(error)")
        }
        if alertLog.reopenedAfterRemoval {
            alertLog.acknowledgeReopen()
            logger.warning("the alert log \(alertLog.path) had been removed or replaced; it was created again and the pending alerts written to it")
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
            resources = try resources.reloaded(fresh, now: now)
        } catch {
            logger.error("reload failed; keeping the running configuration: \(error)")
            return
        }
        configuration = fresh
        startAlertmanager()
        logger.notice("reloaded \(fresh.origin): \(counted(fresh.planSet.plans.count, "plan")), \(counted(fresh.planSet.targets.count, "target"))")
        evaluate()
    }

}

/// Sends `WATCHDOG=1` when due, from whichever thread is busy: the work loop, or a long ingest's reading thread,
/// so the watchdog never starves during one large file.
final class Heartbeat: @unchecked Sendable {
    private let notifier: SystemdNotifier
    private let interval: TimeInterval?
    private let lock = NSLock()
    private var due: Date?

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
