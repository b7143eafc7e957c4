import Foundation
import GRDB
import PlanWatchCore

extension Store {
    /// Stores alerts not yet logged (data alerts: rejected files, revisions, unknown names).
    public func insert(_ alerts: [Alert]) throws(StoreError) {
        guard !alerts.isEmpty else { return }
        try write("cannot record alerts") { db in
            for alert in alerts { try Store.insert(alert, db: db) }
        }
    }

    /// Stores one alert with its log line (`Alert.json`: the documented field order on every line).
    static func insert(_ alert: Alert, db: Database) throws {
        let line = alert.json
        try db.execute(
            sql: """
                INSERT INTO alert (id, time, severity, kind, plan, target, indicator, region, state, previous_state, record)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                alert.id, alert.time, alert.severity.rawValue, alert.kind.rawValue, alert.plan, alert.target,
                alert.indicator, alert.region, alert.state?.rawValue, alert.previousState?.rawValue, line,
            ])
    }

    /// Alerts are logged in batches of at most this many: each batch is written, flushed and marked logged in
    /// one transaction, so a crash leaves at most one batch written but unmarked (SPEC §6 exactly-once).
    public static let alertLogBatch = 256

    /// Hands the alerts not yet logged, oldest first, as (id, JSON line) to `body` in batches of at most `batch`;
    /// `body` must write and flush them, and each batch is then marked logged and committed before the next is
    /// read. The write lock is held for each batch, so two processes never log one alert twice. A crash between a
    /// batch's flush and its commit leaves those alerts pending, all of them after the last marked one in the
    /// log: `lastLoggedAlertID` tells the writer where to start looking for them. An error `body` throws (the alert
    /// log's full disk) is thrown as it is, so the message names the log rather than the database.
    @discardableResult
    public func logPendingAlerts(
        at time: Date, batch: Int = Store.alertLogBatch, _ body: ([(id: String, line: String)]) throws -> Void
    ) throws -> Int {
        var total = 0
        do {
            while true {
                let count = try writer.writeWithoutTransaction { db in
                    var count = 0
                    try db.inTransaction(.immediate) {
                        let pending = try Row.fetchAll(
                            db, sql: "SELECT id, record FROM alert WHERE logged_at IS NULL ORDER BY rowid LIMIT ?", arguments: [batch])
                        guard !pending.isEmpty else { return .commit }
                        try body(pending.map { (id: $0[0], line: $0[1]) })
                        let now = rfc3339(time)
                        let mark = try db.cachedStatement(sql: "UPDATE alert SET logged_at = ? WHERE id = ?")
                        for row in pending { try mark.execute(arguments: [now, row[0] as String]) }
                        count = pending.count
                        return .commit
                    }
                    return count
                }
                total += count
                if count < batch { return total }
            }
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError {
            throw StoreError.classify(error, path: path, doing: "cannot log alerts")
        }
    }

    /// Whether any alert waits to be logged.
    public func hasPendingAlerts() throws(StoreError) -> Bool {
        try read("cannot read alerts") { db in try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM alert WHERE logged_at IS NULL)") ?? false }
    }

    /// The id of the newest alert marked logged. Alerts are logged in rowid order and marked in the same order, so
    /// every alert a crash left written but unmarked is after this one's line in the log.
    public func lastLoggedAlertID() throws(StoreError) -> String? {
        try read("cannot read alerts") { db in
            try String.fetchOne(db, sql: "SELECT id FROM alert WHERE logged_at IS NOT NULL ORDER BY rowid DESC LIMIT 1")
        }
    }

    /// Every stored alert's JSON line, oldest first (for tests and `alerts` when the log is gone).
    public func alertLines() throws(StoreError) -> [String] {
        try read("cannot read alerts") { db in try String.fetchAll(db, sql: "SELECT record FROM alert ORDER BY rowid") }
    }
}
