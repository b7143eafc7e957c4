import GRDB
import GRDBSQLite
import PlanWatchCore

/// What storing one observation did.
public enum PutOutcome: Equatable, Sendable {
    case inserted
    /// The same value is already stored.
    case unchanged
    /// A different value was stored before, from another file: it is now history.
    case revised(old: Double)
    /// The same file gave this key a different value on an earlier row.
    case conflict(row: Int, value: Double)
}

/// Stores the observations of one file inside its transaction. The hot path of ingest: prepared statements
/// bound and stepped through SQLite's C API directly (about 1.5 times GRDB's `execute(arguments:)`, PLATFORM.md),
/// with the insert tried first and the existing row read only on a key conflict.
public final class ObservationWriter {
    private let db: Database
    private let fileID: Int64
    private let ids: CatalogIDs
    private let revisedAt: String
    private let insert: OpaquePointer
    private let lookup: OpaquePointer
    private let update: Statement
    private let history: Statement
    /// Keys this file confirmed unchanged, so that a later row of the same file giving the key another value is a
    /// conflict, not a revision (the stored row still names the earlier file). A temporary table, not a set in
    /// memory: a new vintage of a bulk download confirms millions of values, and memory must stay flat.
    private let confirm: OpaquePointer
    private let confirmed: OpaquePointer
    /// Unchecked: only the thread holding the transaction touches the writer, and this is bumped on every row.
    @exclusivity(unchecked) public private(set) var counts = IngestCounts()
    /// The ids of the previous row's indicator and region (rows come grouped, so this saves two hash lookups).
    private var lastIndicator: (code: String, id: Int64)?
    private var lastRegion: (code: String, id: Int64)?

    init(db: Database, fileID: Int64, ids: CatalogIDs, revisedAt: String) throws {
        self.db = db
        self.fileID = fileID
        self.ids = ids
        self.revisedAt = revisedAt
        // First, before any statement is prepared: creating the table changes the schema, which makes GRDB drop
        // its cached statements.
        try db.execute(sql: """
            CREATE TEMP TABLE IF NOT EXISTS ingest_confirmed (
                indicator_id INTEGER NOT NULL, region_id INTEGER NOT NULL, period INTEGER NOT NULL, row INTEGER NOT NULL,
                PRIMARY KEY (indicator_id, region_id, period)) WITHOUT ROWID;
            DELETE FROM temp.ingest_confirmed;
            """)
        insert = try db.cachedStatement(sql: """
            INSERT INTO observation (indicator_id, region_id, period, value, source_id, note, file_id, row)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
            """).sqliteStatement
        lookup = try db.cachedStatement(sql: """
            SELECT o.value, o.file_id, o.row, s.text FROM observation o LEFT JOIN source s ON s.id = o.source_id
            WHERE o.indicator_id = ? AND o.region_id = ? AND o.period = ?
            """).sqliteStatement
        update = try db.cachedStatement(sql: """
            UPDATE observation SET value = ?, source_id = ?, note = ?, file_id = ?, row = ?
            WHERE indicator_id = ? AND region_id = ? AND period = ?
            """)
        confirm = try db.cachedStatement(sql: "INSERT OR IGNORE INTO temp.ingest_confirmed VALUES (?, ?, ?, ?)").sqliteStatement
        confirmed = try db.cachedStatement(sql: "SELECT row FROM temp.ingest_confirmed WHERE indicator_id = ? AND region_id = ? AND period = ?").sqliteStatement
        history = try db.cachedStatement(sql: """
            INSERT INTO observation_revision (indicator_id, region_id, period, old_value, new_value, old_source,
                new_source, old_file_id, file_id, row, revised_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
    }

    /// Stores one observation; its indicator and region must be in the catalogue the ids came from.
    public func put(_ row: ObservationRow) throws -> PutOutcome {
        guard let indicatorID = indicatorID(row.indicator), let regionID = regionID(row.region) else {
            throw DatabaseError(resultCode: .SQLITE_CONSTRAINT, message: "unknown indicator or region \(row.indicator) \(row.region)")
        }
        return try put(
            indicatorID: indicatorID, regionID: regionID, period: row.period, value: row.value,
            source: try sourceID(row.source), sourceText: row.source, note: row.note, row: row.row)
    }

    /// Stores one observation given by ids (the bulk path: no name is looked up here). `sourceText` is only read
    /// for the history when the value is revised.
    public func put(
        indicatorID: Int64, regionID: Int64, period: Period, value: Double, source: Int64?, sourceText: @autoclosure () -> String?,
        note: String?, row: Int
    ) throws -> PutOutcome {
        let period = Int64(period.key)
        sqlite3_reset(insert)
        sqlite3_bind_int64(insert, 1, indicatorID)
        sqlite3_bind_int64(insert, 2, regionID)
        sqlite3_bind_int64(insert, 3, period)
        sqlite3_bind_double(insert, 4, value)
        if let source { sqlite3_bind_int64(insert, 5, source) } else { sqlite3_bind_null(insert, 5) }
        bind(insert, 6, note)
        sqlite3_bind_int64(insert, 7, fileID)
        sqlite3_bind_int64(insert, 8, Int64(row))
        let code = sqlite3_step(insert)
        guard code == SQLITE_DONE else { throw failure(code) }
        if sqlite3_changes(db.sqliteConnection) == 1 {
            counts.inserted += 1
            return .inserted
        }
        sqlite3_reset(lookup)
        sqlite3_bind_int64(lookup, 1, indicatorID)
        sqlite3_bind_int64(lookup, 2, regionID)
        sqlite3_bind_int64(lookup, 3, period)
        let found = sqlite3_step(lookup)
        guard found == SQLITE_ROW else { throw failure(found) }
        let oldValue = sqlite3_column_double(lookup, 0)
        let oldFile = sqlite3_column_int64(lookup, 1)
        let oldRow = Int(sqlite3_column_int64(lookup, 2))
        let oldSource = sqlite3_column_text(lookup, 3).map { String(cString: $0) }
        sqlite3_reset(lookup)
        if oldValue == value {
            if oldFile != fileID {
                sqlite3_reset(confirm)
                sqlite3_bind_int64(confirm, 1, indicatorID)
                sqlite3_bind_int64(confirm, 2, regionID)
                sqlite3_bind_int64(confirm, 3, period)
                sqlite3_bind_int64(confirm, 4, Int64(row))
                let code = sqlite3_step(confirm)
                guard code == SQLITE_DONE else { throw failure(code) }
            }
            counts.unchanged += 1
            return .unchanged
        }
        if oldFile == fileID { return .conflict(row: oldRow, value: oldValue) }
        sqlite3_reset(confirmed)
        sqlite3_bind_int64(confirmed, 1, indicatorID)
        sqlite3_bind_int64(confirmed, 2, regionID)
        sqlite3_bind_int64(confirmed, 3, period)
        let seen = sqlite3_step(confirmed)
        if seen == SQLITE_ROW {
            let earlier = Int(sqlite3_column_int64(confirmed, 0))
            sqlite3_reset(confirmed)
            return .conflict(row: earlier, value: oldValue)
        }
        sqlite3_reset(confirmed)
        guard seen == SQLITE_DONE else { throw failure(seen) }
        try update.execute(arguments: [value, source, note, fileID, row, indicatorID, regionID, period])
        try history.execute(arguments: [
            indicatorID, regionID, period, oldValue, value, oldSource, sourceText(), oldFile, fileID, row, revisedAt,
        ])
        counts.revised += 1
        return .revised(old: oldValue)
    }

    /// Sources are stored once each (a file names one or a few): the id of `text`, inserted when new.
    private var sources: [String: Int64] = [:]
    private var lastSource: (text: String, id: Int64)?

    /// The id of a source text, inserting it when new.
    public func sourceID(_ text: String?) throws -> Int64? {
        guard let text else { return nil }
        if let last = lastSource, last.text == text { return last.id }
        if let id = sources[text] {
            lastSource = (text, id)
            return id
        }
        let id: Int64
        if let existing = try Int64.fetchOne(db, sql: "SELECT id FROM source WHERE text = ?", arguments: [text]) {
            id = existing
        } else {
            try db.execute(sql: "INSERT INTO source (text) VALUES (?)", arguments: [text])
            id = db.lastInsertedRowID
        }
        if sources.count < 100_000 { sources[text] = id }
        lastSource = (text, id)
        return id
    }

    private func indicatorID(_ code: String) -> Int64? {
        if let last = lastIndicator, last.code == code { return last.id }
        guard let id = ids.indicators[code] else { return nil }
        lastIndicator = (code, id)
        return id
    }

    private func regionID(_ code: String) -> Int64? {
        if let last = lastRegion, last.code == code { return last.id }
        guard let id = ids.regions[code] else { return nil }
        lastRegion = (code, id)
        return id
    }

    /// Removes a stored observation, keeping it in the history as a revision to nothing; returns the old value.
    public func delete(_ key: ObservationKey) throws -> Double? {
        guard let indicatorID = ids.indicators[key.indicator], let regionID = ids.regions[key.region] else { return nil }
        let period = Int64(key.period.key)
        guard let row = try Row.fetchOne(
            db, sql: """
                SELECT o.value, o.file_id, s.text FROM observation o LEFT JOIN source s ON s.id = o.source_id
                WHERE o.indicator_id = ? AND o.region_id = ? AND o.period = ?
                """,
            arguments: [indicatorID, regionID, period])
        else { return nil }
        let old: Double = row[0]
        try db.execute(
            sql: "DELETE FROM observation WHERE indicator_id = ? AND region_id = ? AND period = ?", arguments: [indicatorID, regionID, period])
        try history.execute(arguments: [
            indicatorID, regionID, period, old, nil as Double?, row[2] as String?, nil as String?, row[1] as Int64, fileID, key.row, revisedAt,
        ])
        counts.deleted += 1
        return old
    }

    private func bind(_ statement: OpaquePointer, _ index: Int32, _ text: String?) {
        guard let text else {
            sqlite3_bind_null(statement, index)
            return
        }
        var copy = text
        copy.withUTF8 { bytes in
            // SQLITE_TRANSIENT: SQLite copies the bytes before this call returns.
            _ = sqlite3_bind_text(
                statement, index, bytes.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) },
                Int32(bytes.count), unsafeBitCast(-1, to: sqlite3_destructor_type.self))
        }
    }

    private func failure(_ code: Int32) -> DatabaseError {
        DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
    }
}

/// How many rows of a file went where.
public struct IngestCounts: Equatable, Sendable, Codable {
    public var rows = 0
    public var inserted = 0
    public var revised = 0
    public var unchanged = 0
    public var missing = 0
    public var badRows = 0
    /// Rows (or cells) for series the catalogue does not track, skipped.
    public var skipped = 0
    /// Observations removed (SDMX `ACTION` D).
    public var deleted = 0

    public init(
        rows: Int = 0, inserted: Int = 0, revised: Int = 0, unchanged: Int = 0, missing: Int = 0, badRows: Int = 0,
        skipped: Int = 0, deleted: Int = 0
    ) {
        self.skipped = skipped
        self.deleted = deleted
        self.rows = rows
        self.inserted = inserted
        self.revised = revised
        self.unchanged = unchanged
        self.missing = missing
        self.badRows = badRows
    }

    enum CodingKeys: String, CodingKey {
        case rows, inserted, revised, unchanged, missing, skipped, deleted
        case badRows = "bad_rows"
    }
}
