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
                    switch AlertmanagerPayload.of(alert, report: report) {
                    case .target(let key, let prefix, let firing):
                        try db.execute(
                            sql: """
                                UPDATE alertmanager_alert SET resolved = 1, ends_at = ?, due = ?, attempts = 0
                                WHERE key >= ? AND key < ? AND key != ? AND resolved = 0
                                """,
                            arguments: [alert.time, now.timeIntervalSince1970, prefix, prefix + "\u{10FFFF}", key])
                        guard let firing else { continue }
                        try db.execute(
                            sql: """
                                INSERT INTO alertmanager_alert (key, labels, annotations, starts_at, due) VALUES (?, ?, ?, ?, ?)
                                ON CONFLICT(key) DO UPDATE SET labels = excluded.labels, annotations = excluded.annotations,
                                    resolved = 0, ends_at = NULL, due = excluded.due,
                                    starts_at = CASE WHEN alertmanager_alert.resolved = 1 THEN excluded.starts_at
                                        ELSE alertmanager_alert.starts_at END
                                """,
                            arguments: [
                                key, json(firing.labels), json(firing.annotations), alert.time, now.timeIntervalSince1970,
                            ])
                    case .data(let key, let payload):
                        let ends = Instant.parseRFC3339(alert.time).map { rfc3339(Date(timeIntervalSince1970: $0 + 3600)) } ?? stamp
                        try db.execute(
                            sql: """
                                INSERT OR IGNORE INTO alertmanager_alert (key, labels, annotations, starts_at, ends_at, one_shot, due)
                                VALUES (?, ?, ?, ?, ?, 1, ?)
                                """,
                            arguments: [key, json(payload.labels), json(payload.annotations), alert.time, ends, now.timeIntervalSince1970])
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

