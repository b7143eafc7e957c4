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

extension Store {
    /// Every stored value (current and history) of the given indicators, by indicator and region, in the order of
    /// `history`: one query for the whole report rather than one per target.
    public func historyEntries(indicators: Set<String>) throws(StoreError) -> [ObservationSet.Key: [HistoryEntry]] {
        try read("cannot read the stored values") { db in
            var wanted: [Int64: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT id, code FROM indicator") {
                let code: String = row[1]
                if indicators.contains(code) { wanted[row[0]] = code }
            }
            var regions: [Int64: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT id, code FROM region") { regions[row[0]] = row[1] }
            var result: [ObservationSet.Key: [HistoryEntry]] = [:]
            guard !wanted.isEmpty else { return result }
            let ids = wanted.keys.sorted().map(String.init).joined(separator: ",")
            let rows = try Row.fetchCursor(
                db, sql: """
                    SELECT o.indicator_id, o.region_id, o.period, s.text, v.text, o.value, o.note, f.name, o.row, o.current FROM (
                        SELECT indicator_id, region_id, period, source_id, vintage_id, value, note, file_id, row, 1 AS current
                            FROM observation WHERE indicator_id IN (\(ids))
                        UNION ALL
                        SELECT indicator_id, region_id, period, source_id, vintage_id, value, note, file_id, row, 0
                            FROM observation_history WHERE indicator_id IN (\(ids))) o
                    JOIN source s ON s.id = o.source_id JOIN vintage v ON v.id = o.vintage_id JOIN ingested_file f ON f.id = o.file_id
                    ORDER BY o.indicator_id, o.region_id, o.period, s.text, o.current DESC, v.text DESC
                    """)
            while let row = try rows.next() {
                guard let indicator = wanted[row[0]], let region = regions[row[1]], let period = Period(key: Int(row[2] as Int64)) else { continue }
                result[ObservationSet.Key(indicator, region), default: []].append(HistoryEntry(
                    period: period, source: row[3], vintage: row[4], value: row[5], note: row[6], file: row[7],
                    row: Int(row[8] as Int64), current: (row[9] as Int64) == 1))
            }
            return result
        }
    }

    /// When the data last changed: the arrival time of the newest file that stored something, as recorded.
    public func lastDataChange() throws(StoreError) -> String? {
        try read("cannot read the ingested files") { db in
            try String.fetchOne(db, sql: "SELECT max(received_at) FROM ingested_file WHERE outcome = 'ingested' AND (inserted > 0 OR revised > 0)")
        }
    }
}
