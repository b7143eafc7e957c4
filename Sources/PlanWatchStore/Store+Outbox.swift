import Foundation
import GRDB
import PlanWatchCore

/// One alert as Alertmanager should know it, waiting in the outbox to be sent (or re-sent).
public struct OutboxAlert: Sendable, Equatable {
    public var key: String
    public var labels: [String: String]
    public var annotations: [String: String]
    public var startsAt: String
    /// When a resolved (or one-shot) alert ends; nil while it fires.
    public var endsAt: String?
    public var resolved: Bool
    public var oneShot: Bool
    public var attempts: Int
}

extension Store {
    /// The states a target alert fires in at Alertmanager; it resolves when the target leaves them (and its data
    /// is not overdue: a target whose `stale` flag is set fires in any state but `achieved` and `missed`).
    public static let firingStates: Set<TargetState> = [.offTrack, .missed, .atRisk, .stale]

    /// Whether a target alert fires at Alertmanager.
    static func fires(_ state: TargetState, stale: Bool) -> Bool {
        firingStates.contains(state) || (stale && state != .achieved && state != .missed)
    }

    /// Hands every alert not yet handed over to the outbox, in one transaction, so each is handed over exactly
    /// once whatever happens to the process. A target alert in a bad state fires `PlanTarget` (one alert per
    /// target and state, so a change from at_risk to off_track resolves the one and fires the other); a target
    /// leaving the bad states resolves what fired; a data alert (a rejected file, a revision, a conflict) is sent
    /// once as `PlanData`, ending an hour after it is delivered (the sender sets that end when it sends). With
    /// `enabled` false the alerts are only marked as handed over. `report` gives a target's report page. Returns
    /// how many alerts were handed over.
    @discardableResult
    public func feedOutbox(enabled: Bool, now: Date, report: @Sendable (String) -> String? = { _ in nil }) throws(StoreError) -> Int {
        try write("cannot hand the alerts to the Alertmanager outbox") { db in
            let stamp = rfc3339(now)
            let rows = try Row.fetchAll(db, sql: "SELECT rowid, record FROM alert WHERE outbox_at IS NULL ORDER BY rowid")
            guard !rows.isEmpty else { return 0 }
            if enabled {
                let decoder = JSONDecoder()
                let encoder = JSONEncoder()
                encoder.outputFormatting = .sortedKeys
                func json(_ value: [String: String]) -> String { String(decoding: (try? encoder.encode(value)) ?? Data("{}".utf8), as: UTF8.self) }
                for row in rows {
                    let record: String = row[1]
                    guard let alert = try? decoder.decode(Alert.self, from: Data(record.utf8)) else { continue }
                    var labels: [String: String] = ["severity": alert.severity.rawValue, "kind": alert.kind.rawValue]
                    for (name, value) in [("plan", alert.plan), ("target", alert.target), ("region", alert.region), ("indicator", alert.indicator)] {
                        if let value { labels[name] = value }
                    }
                    var annotations = ["summary": alert.message]
                    if let plan = alert.plan, let target = alert.target, let state = alert.state {
                        // One label set per state and freshness: a change of either resolves the alert that fired.
                        let stale = alert.stale ?? false
                        let prefix = "target/\(plan)/\(target)/"
                        let key = prefix + state.rawValue + (stale ? "+stale" : "")
                        try db.execute(
                            sql: """
                                UPDATE alertmanager_alert SET resolved = 1, ends_at = ?, due = ?, attempts = 0
                                WHERE key >= ? AND key < ? AND key != ? AND resolved = 0
                                """,
                            arguments: [alert.time, now.timeIntervalSince1970, prefix, prefix + "\u{10FFFF}", key])
                        guard Store.fires(state, stale: stale) else { continue }
                        labels["alertname"] = "PlanTarget"
                        labels["state"] = state.rawValue
                        labels["stale"] = stale ? "true" : "false"
                        labels["kind"] = nil
                        annotations["description"] = [
                            alert.asOf.map { "as of \($0)" }, alert.latestValue.map { "latest \(formatForPeople($0))" + (alert.latestPeriod.map { " (\($0))" } ?? "") },
                            alert.targetValue.map { "target \(formatForPeople($0))" },
                            alert.paceRatio.map { "pace \(percentForPeople($0))" },
                            alert.previousState.map { "was \($0.rawValue)" },
                        ].compactMap { $0 }.joined(separator: "; ")
                        if let page = report(target) { annotations["report"] = page }
                        try db.execute(
                            sql: """
                                INSERT INTO alertmanager_alert (key, labels, annotations, starts_at, due) VALUES (?, ?, ?, ?, ?)
                                ON CONFLICT(key) DO UPDATE SET labels = excluded.labels, annotations = excluded.annotations,
                                    resolved = 0, ends_at = NULL, due = excluded.due,
                                    starts_at = CASE WHEN alertmanager_alert.resolved = 1 THEN excluded.starts_at ELSE alertmanager_alert.starts_at END
                                """,
                            arguments: [key, json(labels), json(annotations), alert.time, now.timeIntervalSince1970])
                    } else {
                        labels["alertname"] = "PlanData"
                        // Each data alert its own label set: a file's four revisions are four alerts, not one.
                        if let file = alert.file { labels["file"] = file }
                        if let period = alert.period { labels["period"] = period }
                        labels["id"] = alert.id
                        let ends = Instant.parseRFC3339(alert.time).map { rfc3339(Date(timeIntervalSince1970: $0 + 3600)) } ?? stamp
                        try db.execute(
                            sql: """
                                INSERT OR IGNORE INTO alertmanager_alert (key, labels, annotations, starts_at, ends_at, one_shot, due)
                                VALUES (?, ?, ?, ?, ?, 1, ?)
                                """,
                            arguments: ["data/\(alert.id)", json(labels), json(annotations), alert.time, ends, now.timeIntervalSince1970])
                    }
                }
            }
            let last: Int64 = rows.last![0]
            try db.execute(sql: "UPDATE alert SET outbox_at = ? WHERE outbox_at IS NULL AND rowid <= ?", arguments: [stamp, last])
            return rows.count
        }
    }

    /// The outbox's alerts due at `now` (at most `limit`), oldest first.
    public func dueAlertmanagerAlerts(now: Double, limit: Int = 500) throws(StoreError) -> [OutboxAlert] {
        try read("cannot read the Alertmanager outbox") { db in
            let decoder = JSONDecoder()
            return try Row.fetchAll(
                db, sql: """
                    SELECT key, labels, annotations, starts_at, ends_at, resolved, one_shot, attempts FROM alertmanager_alert
                    WHERE due <= ? ORDER BY due, key LIMIT ?
                    """, arguments: [now, limit]
            ).map { row in
                OutboxAlert(
                    key: row[0], labels: (try? decoder.decode([String: String].self, from: Data((row[1] as String).utf8))) ?? [:],
                    annotations: (try? decoder.decode([String: String].self, from: Data((row[2] as String).utf8))) ?? [:],
                    startsAt: row[3], endsAt: row[4], resolved: (row[5] as Int64) == 1, oneShot: (row[6] as Int64) == 1,
                    attempts: Int(row[7] as Int64))
            }
        }
    }

    /// Alertmanager accepted these: resolved and one-shot alerts leave the outbox; firing ones are due again after
    /// `resendInterval`.
    public func markSent(_ alerts: [OutboxAlert], now: Double, resendInterval: Double) throws(StoreError) {
        try write("cannot record the Alertmanager delivery") { db in
            for alert in alerts {
                if alert.resolved || alert.oneShot {
                    try db.execute(sql: "DELETE FROM alertmanager_alert WHERE key = ? AND (resolved = 1 OR one_shot = 1)", arguments: [alert.key])
                }
                // A firing alert (or one that fired again meanwhile): next re-send.
                try db.execute(
                    sql: "UPDATE alertmanager_alert SET due = ?, attempts = 0, last_error = NULL, sent_at = ? WHERE key = ? AND due <= ?",
                    arguments: [now + resendInterval, now, alert.key, now])
            }
        }
    }

    /// Delivery failed: each alert is due again after a backoff that doubles with its attempts (2 s … 5 min).
    public func markFailed(_ alerts: [OutboxAlert], error: String, now: Double) throws(StoreError) {
        try write("cannot record the Alertmanager failure") { db in
            for alert in alerts {
                let delay = AlertmanagerDelivery.retryDelay(attempts: alert.attempts)
                try db.execute(
                    sql: "UPDATE alertmanager_alert SET attempts = attempts + 1, last_error = ?, due = ? WHERE key = ?",
                    arguments: [error, now + delay, alert.key])
            }
        }
    }

    /// When the outbox next has something to send; nil when it is empty.
    public func nextAlertmanagerDue() throws(StoreError) -> Double? {
        try read("cannot read the Alertmanager outbox") { db in try Double.fetchOne(db, sql: "SELECT min(due) FROM alertmanager_alert") }
    }

    /// Alerts Alertmanager has not accepted yet: never sent, resolutions not sent, and retries.
    public func undeliveredAlertmanagerAlerts() throws(StoreError) -> Int64 {
        try read("cannot read the Alertmanager outbox") { db in
            try Int64.fetchOne(db, sql: "SELECT count(*) FROM alertmanager_alert WHERE sent_at IS NULL OR resolved = 1 OR one_shot = 1 OR attempts > 0") ?? 0
        }
    }
}

