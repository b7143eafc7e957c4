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
    /// Every stored value (current and history) of the given series, by indicator and region, in the order of
    /// `history`. One indexed lookup per series on ids alone; the texts (source, vintage, file) are read once.
    public func historyEntries(series: Set<ObservationSet.Key>) throws(StoreError) -> [ObservationSet.Key: [HistoryEntry]] {
        try read("cannot read the stored values") { db in
            var indicators: [String: Int64] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT id, code FROM indicator") { indicators[row[1]] = row[0] }
            var regions: [String: Int64] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT id, code FROM region") { regions[row[1]] = row[0] }
            var sources: [Int64: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT id, text FROM source") { sources[row[0]] = row[1] }
            var vintages: [Int64: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT id, text FROM vintage") { vintages[row[0]] = row[1] }
            var files: [Int64: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT id, name FROM ingested_file") { files[row[0]] = row[1] }
            let statement = try db.cachedStatement(sql: """
                SELECT period, source_id, vintage_id, value, note, file_id, row, 1 FROM observation
                    WHERE indicator_id = ?1 AND region_id = ?2
                UNION ALL
                SELECT period, source_id, vintage_id, value, note, file_id, row, 0 FROM observation_history
                    WHERE indicator_id = ?1 AND region_id = ?2
                """)
            var result: [ObservationSet.Key: [HistoryEntry]] = [:]
            for key in series {
                guard let indicator = indicators[key.indicator], let region = regions[key.region] else { continue }
                var entries: [HistoryEntry] = []
                let rows = try Row.fetchCursor(statement, arguments: [indicator, region])
                while let row = try rows.next() {
                    guard let period = Period(key: Int(row[0] as Int64)) else { continue }
                    entries.append(HistoryEntry(
                        period: period, source: sources[row[1]] ?? "?", vintage: vintages[row[2]] ?? "", value: row[3], note: row[4],
                        file: files[row[5]] ?? "", row: Int(row[6] as Int64), current: (row[7] as Int64) == 1))
                }
                // As `history` orders them: by period, then source, the current value first, newest vintage first.
                entries.sort { ($0.period, $0.source, $1.current ? 1 : 0, $1.vintage) < ($1.period, $1.source, $0.current ? 1 : 0, $0.vintage) }
                if !entries.isEmpty { result[key] = entries }
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

    /// A number that grows whenever stored data may have changed: the newest ingested file's id.
    public func dataVersion() throws(StoreError) -> Int64 {
        try read("cannot read the ingested files") { db in
            try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM ingested_file") ?? 0
        }
    }
}
