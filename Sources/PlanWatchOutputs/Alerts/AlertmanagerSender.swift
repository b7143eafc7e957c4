import Foundation
import Logging
import PlanWatchCore
import PlanWatchStore
import PlanWatchSetup
import PlanWatchHTTP

/// Delivers the outbox (`alertmanager_alert`) to Alertmanager's v2 API on a thread of its own, so the work loop
/// never waits on the network: due alerts are POSTed in one batch (`POST /api/v2/alerts`); accepted ones are
/// re-sent every `resend_interval` while they fire (with `endsAt` four intervals ahead, as Prometheus does, so
/// Alertmanager never resolves them by itself), resolved and one-shot ones leave the outbox. Every other answer is
/// retried with a doubling backoff (2 s … 5 min), except one that calls the payload invalid (400, 422), which is
/// logged whole and dropped (`AlertmanagerDelivery.verdict`). The outbox is in the database, so nothing is lost
/// across a restart or `kill -9`; a batch sent but not yet recorded is sent again, which Alertmanager takes as the
/// same alert (same labels, same `startsAt`): no second notification.
public final class AlertmanagerSender: @unchecked Sendable {
    private let condition = NSCondition()
    private var stopping = false
    private var woken = false
    private var thread: Thread?
    private let logger: Logger
    private let databasePath: String
    private var url: String
    private var caFile: String?
    private var timeout: Double
    private var resend: Double
    private var failing = false

    public init(settings: Settings, logger: Logger) {
        self.logger = logger
        databasePath = settings.databasePath
        url = settings.alertmanagerURL ?? ""
        caFile = settings.alertmanagerCAFile
        timeout = Double(settings.alertmanagerTimeout.approximateSeconds)
        resend = Double(settings.alertmanagerResendInterval.approximateSeconds)
    }

    /// Starts the thread (once).
    public func start() {
        condition.lock()
        defer { condition.unlock() }
        guard thread == nil else { return }
        let thread = Thread { [self] in run() }
        thread.name = "planwatch-alertmanager"
        self.thread = thread
        thread.start()
    }

    /// New settings after a reload.
    public func update(_ settings: Settings) {
        condition.lock()
        url = settings.alertmanagerURL ?? url
        caFile = settings.alertmanagerCAFile
        timeout = Double(settings.alertmanagerTimeout.approximateSeconds)
        resend = Double(settings.alertmanagerResendInterval.approximateSeconds)
        woken = true
        condition.signal()
        condition.unlock()
    }

    /// Something new is in the outbox: send it now.
    public func wake() {
        condition.lock()
        woken = true
        condition.signal()
        condition.unlock()
    }

    /// Ends the thread after the batch in flight (at most one timeout).
    public func stop() {
        condition.lock()
        stopping = true
        condition.signal()
        condition.unlock()
        while thread?.isFinished == false { usleep(10_000) }
    }

    private func run() {
        var store: Store?
        while true {
            condition.lock()
            let (url, caFile, timeout, resend) = (self.url, self.caFile, self.timeout, self.resend)
            let stop = stopping
            condition.unlock()
            if stop { return }
            var wait = resend
            do {
                if store == nil { store = try Store.open(path: databasePath) }
                let now = Date().timeIntervalSince1970
                let due = try store!.dueAlertmanagerAlerts(now: now)
                if !due.isEmpty {
                    send(due, to: url, caFile: caFile, timeout: timeout, resend: resend, store: store!)
                }
                if let next = try store!.nextAlertmanagerDue() {
                    wait = max(0.05, min(resend, next - Date().timeIntervalSince1970))
                }
            } catch {
                logger.error("Alertmanager outbox: \(error)")
                store = nil
                wait = 5
            }
            condition.lock()
            if !woken && !stopping { _ = condition.wait(until: Date().addingTimeInterval(wait)) }
            woken = false
            condition.unlock()
        }
    }

    private func send(
        _ alerts: [OutboxAlert], to url: String, caFile: String?, timeout: Double, resend: Double, store: Store
    ) {
        let now = Date()
        let endsFiring = rfc3339(now.addingTimeInterval(4 * resend))
        let oneShotEnd = AlertmanagerDelivery.oneShotEnd(sentAt: now.timeIntervalSince1970)
        let endsOneShot = rfc3339(Date(timeIntervalSince1970: oneShotEnd))
        let payload: [[String: Any]] = alerts.map { alert in
            let ends = alert.oneShot ? endsOneShot : alert.endsAt ?? endsFiring
            return [
                "labels": alert.labels, "annotations": alert.annotations, "startsAt": alert.startsAt, "endsAt": ends,
            ]
        }
        let body = [UInt8](
            (try? JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys])) ?? Data("[]".utf8))
        var problem: String
        do {
            let response = try HTTPClient.post(url + "/api/v2/alerts", body: body, timeout: timeout, caFile: caFile)
            let answer = response.body.prefix(200).trimmingCharacters(in: .whitespacesAndNewlines)
            problem = "HTTP \(response.status): \(answer)"
            switch AlertmanagerDelivery.verdict(status: response.status) {
            case .accepted:
                try store.markSent(alerts, now: now.timeIntervalSince1970, resendInterval: resend)
                if failing {
                    failing = false
                    logger.notice(
                        "Alertmanager at \(url) accepts alerts again; \(counted(alerts.count, "alert")) delivered")
                }
                return
            case .invalidPayload:
                // Sent again, it would be refused again; Alertmanager has stored the valid alerts of the batch. The
                // payload goes to the journal whole first, so no one-shot alert leaves without a trace.
                logger.error("""
                    Alertmanager at \(url) refused \(counted(alerts.count, "alert")) as invalid (\(problem)); \
                    they are not sent again, since Alertmanager would refuse the same payload again. Report this \
                    to planwatch's maintainers with the payload: \(String(decoding: body, as: UTF8.self))
                    """)
                try store.markSent(alerts, now: now.timeIntervalSince1970, resendInterval: resend)
                return
            case .retry:
                break
            }
        } catch {
            problem = "\(error)"
        }
        do {
            try store.markFailed(alerts, error: problem, now: Date().timeIntervalSince1970)
        } catch {
            logger.error("Alertmanager outbox: \(error)")
        }
        if !failing {
            failing = true
            logger.warning(
                "cannot deliver \(counted(alerts.count, "alert")) to Alertmanager at \(url): \(problem); they wait in the outbox and are retried"
            )
        }
    }
}
