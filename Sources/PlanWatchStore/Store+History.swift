import GRDB
import PlanWatchCore

/// One stored value of a series as `planwatch history` shows it: every source and every vintage.
public struct HistoryEntry: Sendable, Equatable {
    public var period: Period
    /// The stored source key: a catalogue id, or the publisher's text.
    public var source: String
    public var vintage: String
    public var value: Double
    public var note: String?
    public var file: String
    public var row: Int
    /// The current value of its source (else a value in the history: an older vintage, or one replaced).
    public var current: Bool
}

extension Store {
    /// Every value stored for a series (one period when given), current and history, by period, then source,
    /// newest vintage first. Nil when the indicator or region is not in the database.
    public func history(indicator: String, region: String, period: Period? = nil) throws(StoreError) -> [HistoryEntry]? {
        try read("cannot read the history") { db in
            guard let indicatorID = try Int64.fetchOne(db, sql: "SELECT id FROM indicator WHERE code = ?", arguments: [indicator]),
                let regionID = try Int64.fetchOne(db, sql: "SELECT id FROM region WHERE code = ?", arguments: [region])
            else { return nil }
            let key = period.map { Int64($0.key) }
            return try Row.fetchAll(
                db, sql: """
                    SELECT o.period, s.text, v.text, o.value, o.note, f.name, o.row, o.current FROM (
                        SELECT period, source_id, vintage_id, value, note, file_id, row, 1 AS current FROM observation
                            WHERE indicator_id = ?1 AND region_id = ?2 AND (?3 IS NULL OR period = ?3)
                        UNION ALL
                        SELECT period, source_id, vintage_id, value, note, file_id, row, 0 FROM observation_history
                            WHERE indicator_id = ?1 AND region_id = ?2 AND (?3 IS NULL OR period = ?3)) o
                    JOIN source s ON s.id = o.source_id JOIN vintage v ON v.id = o.vintage_id JOIN ingested_file f ON f.id = o.file_id
                    ORDER BY o.period, s.text, o.current DESC, v.text DESC
                    """,
                arguments: [indicatorID, regionID, key]
            ).compactMap { row in
                guard let period = Period(key: Int(row[0] as Int64)) else { return nil }
                return HistoryEntry(
                    period: period, source: row[1], vintage: row[2], value: row[3], note: row[4], file: row[5],
                    row: Int(row[6] as Int64), current: (row[7] as Int64) == 1)
            }
        }
    }
}
