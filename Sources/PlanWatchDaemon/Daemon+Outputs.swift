import Foundation
import Logging
import PlanWatchCore
import PlanWatchIngest
import PlanWatchOutputs
import PlanWatchSetup
import PlanWatchStore

/// What the daemon hands out after its work: evaluations and their alerts (logged, then on to Alertmanager), the
/// metrics file, the report, and a reload of the configuration that leads to them.
extension Daemon {
    /// Evaluates every target as of today, logs the alerts that raises, then rewrites the report: after the
    /// alerts, so writing it never delays one.
    func evaluate() {
        // Whatever triggered it, this evaluation judges every change stored so far.
        settling.evaluated()
        var evaluations: [Evaluation]?
        do {
            evaluations = try EvaluationRunner(configuration: configuration, store: store).evaluate(
                asOf: EvaluationRunner.today(now()), at: now())
            var counts: [TargetState: Int] = [:]
            for evaluation in evaluations! { counts[evaluation.state, default: 0] += 1 }
            let states = TargetState.allCases.compactMap { state in counts[state].map { "\($0) \(state.rawValue)" } }
            summary =
                "\(counted(evaluations!.count, "target")): \(states.joined(separator: ", ")); \(counted(inbox.waiting().count, "file")) waiting"
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
    func writeMetrics() {
        guard let path = configuration.settings.metricsTextfile, databaseGone() == nil else { return }
        do {
            let totals = try store.ingestTotals()
            let pending = totals.unlogged + (sender == nil ? 0 : try store.undeliveredAlertmanagerAlerts())
            let bytes = MetricsFile.render(
                evaluations: lastEvaluations, totals: totals, evaluatedAt: lastEvaluatedAt, pending: pending)
            try MetricsFile.write(bytes, to: path)
        } catch {
            logger.warning("\(error)")
        }
    }

    /// Hands the evaluations to the report's own thread, which rewrites `report.dir` (unless its inputs are
    /// unchanged), readable by the inbox's group.
    func writeReport(_ evaluations: [Evaluation]) {
        var info = stat()
        let group = stat(inbox.directories.inbox, &info) == 0 && info.st_gid != getgid() ? info.st_gid : nil
        reports.submit(
            configuration: configuration, evaluations: evaluations, asOf: EvaluationRunner.today(now()), group: group)
    }

    /// The daemon's path out for alerts, the same as the commands'.
    var publication: AlertPublication {
        AlertPublication(store: store, log: alertLog, settings: configuration.settings)
    }

    func publish() {
        if databaseGone() != nil { return }
        do {
            // Natively to the journal, with fields to filter on, when the service's output is the journal.
            let native = Journal.available
            let logged = try publication.logPending(at: now()) { alert in
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
            if try publication.handOver(now: now(), deliver: sender != nil) > 0 { sender?.wake() }
        } catch {
            logger.error("\(error)")
        }
        if alertLog.reopenedAfterRemoval {
            alertLog.acknowledgeReopen()
            logger.warning(
                "the alert log \(alertLog.path) had been removed or replaced; it was created again and the pending alerts written to it"
            )
        }
    }

    /// Reloads settings and plans; keeps the running configuration when the new one is invalid.
    func reload() {
        notifier.notify("RELOADING=1", SystemdNotifier.monotonicNow)
        defer { notifier.notify("READY=1", "STATUS=\(summary)") }
        let fresh: Configuration
        do {
            fresh = try Configuration.load(options)
        } catch {
            logger.error("reload failed; keeping the running configuration:\n\(error)")
            return
        }
        if fresh.settings.stateDirectory != configuration.settings.stateDirectory
            || fresh.settings.databasePath != configuration.settings.databasePath
        {
            logger.warning("the state directory or database changed in the settings; restart planwatch to use it")
        }
        do {
            resources = try resources.reloaded(fresh, now: now)
        } catch {
            logger.error("reload failed; keeping the running configuration: \(error)")
            return
        }
        configuration = fresh
        settling.settle = SettleTimer(fresh.settings).settle
        settling.longest = SettleTimer(fresh.settings).longest
        startAlertmanager()
        logger.notice(
            "reloaded \(fresh.origin): \(counted(fresh.planSet.plans.count, "plan")), \(counted(fresh.planSet.targets.count, "target"))"
        )
        // Files waiting to be judged are judged with the new plans when the inbox settles.
        if !settling.isPending { evaluate() }
    }
}
