import Foundation
import GRDB
import PlanWatchCore

extension Store {
    /// Stores alerts not yet logged (data alerts: rejected files, revisions, unknown names).
    public func insert(_ alerts: [Alert]) throws(StoreError) {
        guard !alerts.isEmpty else { return }
        let encoder = Store.alertEncoder
        try write("cannot record alerts") { db in
            for alert in alerts { try Store.insert(alert, db: db, encoder: encoder) }
        }
    }

    /// Alert lines keep the field order of SPEC §6 (`time`, `id`, `severity`, …) for people reading the log.
    static var alertEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }

    static func insert(_ alert: Alert, db: Database, encoder: JSONEncoder) throws {
        let line = String(decoding: try encoder.encode(alert), as: UTF8.self)
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

    /// Hands the alerts not yet logged, oldest first, as (id, JSON line) to `body`, which must write and flush
    /// them; then marks them logged. The write lock is held throughout, so two processes never log one alert twice,
    /// and an alert is marked only after `body` returned. (A crash between the flush and the mark leaves it
    /// pending; the writer checks the log's tail for its id before writing it again.)
    @discardableResult
    public func logPendingAlerts(at time: Date, _ body: ([(id: String, line: String)]) throws -> Void) throws(StoreError) -> Int {
        do {
            return try writer.writeWithoutTransaction { db in
                var count = 0
                try db.inTransaction(.immediate) {
                    let pending = try Row.fetchAll(db, sql: "SELECT id, record FROM alert WHERE logged_at IS NULL ORDER BY rowid")
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
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.classify(error, path: path, doing: "cannot log alerts")
        }
    }

    /// Every stored alert's JSON line, oldest first (for tests and `alerts` when the log is gone).
    public func alertLines() throws(StoreError) -> [String] {
        try read("cannot read alerts") { db in try String.fetchAll(db, sql: "SELECT record FROM alert ORDER BY rowid") }
    }
}
