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
    /// This source's stored value is of a newer vintage: this one is kept in the history, not current.
    case older
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
    /// The vintage of values whose row states none: `ingest --vintage`, the file's own, else its arrival.
    private let vintage: String
    private var fileVintageID: Int64 = -1
    private let insert: OpaquePointer
    private let keep: OpaquePointer
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

    init(db: Database, fileID: Int64, ids: CatalogIDs, revisedAt: String, vintage: String) throws {
        self.db = db
        self.fileID = fileID
        self.ids = ids
        self.revisedAt = revisedAt
        self.vintage = vintage
        // First, before any statement is prepared: creating the table changes the schema, which makes GRDB drop
        // its cached statements.
        try db.execute(sql: """
            CREATE TEMP TABLE IF NOT EXISTS ingest_confirmed (
                indicator_id INTEGER NOT NULL, region_id INTEGER NOT NULL, period INTEGER NOT NULL, source_id INTEGER NOT NULL,
                row INTEGER NOT NULL, PRIMARY KEY (indicator_id, region_id, period, source_id)) WITHOUT ROWID;
            DELETE FROM temp.ingest_confirmed;
            """)
        insert = try db.cachedStatement(sql: """
            INSERT INTO observation (indicator_id, region_id, period, source_id, value, vintage_id, note, file_id, row)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
            """).sqliteStatement
        lookup = try db.cachedStatement(sql: """
            SELECT o.value, o.file_id, o.row, s.text, o.vintage_id, o.note FROM observation o JOIN source s ON s.id = o.source_id
            WHERE o.indicator_id = ? AND o.region_id = ? AND o.period = ? AND o.source_id = ?
            """).sqliteStatement
        update = try db.cachedStatement(sql: """
            UPDATE observation SET value = ?, vintage_id = ?, note = ?, file_id = ?, row = ?
            WHERE indicator_id = ? AND region_id = ? AND period = ? AND source_id = ?
            """)
        keep = try db.cachedStatement(sql: """
            INSERT OR IGNORE INTO observation_history (indicator_id, region_id, period, source_id, vintage_id, value, note, file_id, row)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).sqliteStatement
        confirm = try db.cachedStatement(sql: "INSERT OR IGNORE INTO temp.ingest_confirmed VALUES (?, ?, ?, ?, ?)").sqliteStatement
        confirmed = try db.cachedStatement(sql: "SELECT row FROM temp.ingest_confirmed WHERE indicator_id = ? AND region_id = ? AND period = ? AND source_id = ?").sqliteStatement
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
        let source = row.source ?? DataSource.unattributed
        return try put(
            indicatorID: indicatorID, regionID: regionID, period: row.period, value: row.value,
            source: try sourceID(source)!, sourceText: source, vintage: row.vintage, note: row.note, row: row.row)
    }

    /// Stores one observation given by ids (the bulk path: no name is looked up here). `sourceText` is only read
    /// for the history when the value is revised; `vintage` nil is the file's.
    ///
    /// Per cell and source: a new value is inserted; an older vintage than the stored one goes to the history only
    /// (never current, no revision); the same value is unchanged; a different value of the same or a newer vintage
    /// replaces the stored one, which moves to the history (a revision).
    public func put(
        indicatorID: Int64, regionID: Int64, period: Period, value: Double, source: Int64, sourceText: @autoclosure () -> String?,
        vintage rowVintage: String? = nil, note: String?, row: Int
    ) throws -> PutOutcome {
        let period = Int64(period.key)
        let vintage: Int64
        if let rowVintage {
            vintage = try vintageID(rowVintage)
        } else {
            if fileVintageID < 0 { fileVintageID = try vintageID(self.vintage) }
            vintage = fileVintageID
        }
        try probe(indicatorID)
        sqlite3_reset(insert)
        sqlite3_bind_int64(insert, 1, indicatorID)
        sqlite3_bind_int64(insert, 2, regionID)
        sqlite3_bind_int64(insert, 3, period)
        sqlite3_bind_int64(insert, 4, source)
        sqlite3_bind_double(insert, 5, value)
        sqlite3_bind_int64(insert, 6, vintage)
        bind(insert, 7, note)
        sqlite3_bind_int64(insert, 8, fileID)
        sqlite3_bind_int64(insert, 9, Int64(row))
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
        sqlite3_bind_int64(lookup, 4, source)
        let found = sqlite3_step(lookup)
        guard found == SQLITE_ROW else { throw failure(found) }
        let oldValue = sqlite3_column_double(lookup, 0)
        let oldFile = sqlite3_column_int64(lookup, 1)
        let oldRow = Int(sqlite3_column_int64(lookup, 2))
        let oldSource = sqlite3_column_text(lookup, 3).map { String(cString: $0) }
        let oldVintage = sqlite3_column_int64(lookup, 4)
        let oldNote = sqlite3_column_text(lookup, 5).map { String(cString: $0) }
        sqlite3_reset(lookup)
        if vintage != oldVintage, try vintageText(vintage) < vintageText(oldVintage) {
            // An older vintage never replaces a newer one: kept in the history (every vintage stays).
            try step(keep, indicatorID, regionID, period, source, vintage, value, note, fileID, Int64(row))
            if oldValue == value {
                counts.unchanged += 1
                return .unchanged
            }
            counts.older += 1
            return .older
        }
        if oldValue == value {
            if oldFile != fileID {
                sqlite3_reset(confirm)
                sqlite3_bind_int64(confirm, 1, indicatorID)
                sqlite3_bind_int64(confirm, 2, regionID)
                sqlite3_bind_int64(confirm, 3, period)
                sqlite3_bind_int64(confirm, 4, source)
                sqlite3_bind_int64(confirm, 5, Int64(row))
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
        sqlite3_bind_int64(confirmed, 4, source)
        let seen = sqlite3_step(confirmed)
        if seen == SQLITE_ROW {
            let earlier = Int(sqlite3_column_int64(confirmed, 0))
            sqlite3_reset(confirmed)
            return .conflict(row: earlier, value: oldValue)
        }
        sqlite3_reset(confirmed)
        guard seen == SQLITE_DONE else { throw failure(seen) }
        try step(keep, indicatorID, regionID, period, source, oldVintage, oldValue, oldNote, oldFile, Int64(oldRow))
        try update.execute(arguments: [value, vintage, note, fileID, row, indicatorID, regionID, period, source])
        try history.execute(arguments: [
            indicatorID, regionID, period, oldValue, value, oldSource, sourceText(), oldFile, fileID, row, revisedAt,
        ])
        counts.revised += 1
        return .revised(old: oldValue)
    }

    /// What the caller learned of the file while storing it, recorded in its `ingested_file` row: the layout, and
    /// its sources (in order of appearance, at most a few named).
    public var layout: String?
    public var sourceNames: [String] = []
    /// The first vintage a row of the file stated (WDI `Last Updated Date`, SDMX `LAST UPDATE`, a column).
    public var statedVintage: String?

    /// A value this file stored for a cell that differs from other sources' current values there by more than
    /// the tolerance: one per cell and source, with every value it disagrees with, so many files giving one cell
    /// raise one conflict each rather than one per pair of them.
    public struct SourceConflict: Sendable, Equatable {
        public var indicator: String
        public var region: String
        public var period: Period
        public var source: String
        public var value: Double
        /// The other sources' disagreeing values, in the order their sources were first stored.
        public var others: [SourceValue]
    }

    /// One source's value for a cell.
    public struct SourceValue: Sendable, Equatable {
        public var source: String
        public var value: Double
    }

    /// The cells where a value this file stored disagrees with other sources' current values by more than
    /// `tolerance` percent of the larger: one conflict per cell and source of this file, listing every value it
    /// disagrees with, when at least one of those pairs was not raised before. Each pair of values is recorded in
    /// `source_conflict` once, so a cell is raised again only for a value it has not been raised for. Only
    /// indicators that held values before this file are searched (whether they did is one probe, made before the
    /// file's first row of the indicator), so a first ingest costs nothing here, and a later one one join per
    /// indicator over its rows.
    public func sourceConflicts(tolerance: Double) throws -> [SourceConflict] {
        let indicatorsToSearch = hadRows.filter(\.value).map(\.key).sorted()
        guard !indicatorsToSearch.isEmpty else { return [] }
        var found: [SourceConflict] = []
        var indicatorCodes: [Int64: String] = [:]
        for (code, id) in ids.indicators { indicatorCodes[id] = code }
        var regionCodes: [Int64: String] = [:]
        for (code, id) in ids.regions { regionCodes[id] = code }
        var sourceTexts: [Int64: String] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT id, text FROM source") { sourceTexts[row[0]] = row[1] }
        for indicator in indicatorsToSearch {
            let rows = try Row.fetchAll(
                db, sql: """
                    SELECT a.region_id, a.period, a.source_id, a.value, b.source_id, b.value FROM observation a
                    JOIN observation b ON b.indicator_id = a.indicator_id AND b.region_id = a.region_id AND b.period = a.period
                        AND b.source_id <> a.source_id
                    WHERE a.indicator_id = ? AND a.file_id = ? AND (b.file_id <> a.file_id OR b.source_id > a.source_id)
                        AND abs(a.value - b.value) > ? * max(abs(a.value), abs(b.value))
                    ORDER BY a.region_id, a.period, a.source_id, b.source_id
                    """,
                arguments: [indicator, fileID, tolerance / 100])
            // The rows come grouped by cell and this file's source: one conflict per group with a pair not raised.
            var group: (key: [Int64], conflict: SourceConflict?, fresh: Bool)?
            func close() {
                if let group, group.fresh, let conflict = group.conflict { found.append(conflict) }
            }
            for row in rows {
                let region: Int64 = row[0]
                let period: Int64 = row[1]
                let source: Int64 = row[2]
                let value: Double = row[3]
                let other: Int64 = row[4]
                let otherValue: Double = row[5]
                // Stored with the lower source id first, so a pair is one conflict whichever file came last.
                let ordered = source < other ? (source, value, other, otherValue) : (other, otherValue, source, value)
                try db.execute(
                    sql: "INSERT OR IGNORE INTO source_conflict VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    arguments: [indicator, region, period, ordered.0, ordered.1, ordered.2, ordered.3, revisedAt])
                let fresh = db.changesCount == 1
                let key = [region, period, source]
                if group?.key != key {
                    close()
                    let cell = Period(key: Int(period)).map { period in
                        SourceConflict(
                            indicator: indicatorCodes[indicator] ?? "?", region: regionCodes[region] ?? "?",
                            period: period, source: sourceTexts[source] ?? "?", value: value, others: [])
                    }
                    group = (key, cell, false)
                }
                if fresh { group?.fresh = true }
                group?.conflict?.others.append(SourceValue(source: sourceTexts[other] ?? "?", value: otherValue))
            }
            close()
        }
        return found
    }

    /// Whether each indicator this file stores held values before its first row of it.
    private var hadRows: [Int64: Bool] = [:]
    private var lastIndicatorProbed: Int64 = -1

    /// The probe `sourceConflicts` relies on, once per indicator and file, before the file's first row of it.
    private func probe(_ indicatorID: Int64) throws {
        guard indicatorID != lastIndicatorProbed else { return }
        lastIndicatorProbed = indicatorID
        guard hadRows[indicatorID] == nil else { return }
        hadRows[indicatorID] = try Int64.fetchOne(db, sql: "SELECT 1 FROM observation WHERE indicator_id = ? LIMIT 1", arguments: [indicatorID]) != nil
    }

    /// Vintages are stored once each, like sources: ids by text, and texts by id for comparisons.
    private var vintageIDs: [String: Int64] = [:]
    private var vintageTexts: [Int64: String] = [:]

    /// The id of a vintage text, inserting it when new.
    func vintageID(_ text: String) throws -> Int64 {
        if let id = vintageIDs[text] { return id }
        let id = try textRow(text, in: "vintage")
        if vintageIDs.count < 100_000 {
            vintageIDs[text] = id
            vintageTexts[id] = text
        }
        return id
    }

    /// The text of a vintage id (for "is this older than the stored one").
    func vintageText(_ id: Int64) throws -> String {
        if let text = vintageTexts[id] { return text }
        let text = try String.fetchOne(db, sql: "SELECT text FROM vintage WHERE id = ?", arguments: [id]) ?? ""
        if vintageTexts.count < 100_000 { vintageTexts[id] = text }
        return text
    }

    /// The id of `text` in a table of distinct texts (`source`, `vintage`), inserting it when new.
    private func textRow(_ text: String, in table: String) throws -> Int64 {
        if let existing = try Int64.fetchOne(db, sql: "SELECT id FROM \(table) WHERE text = ?", arguments: [text]) { return existing }
        try db.execute(sql: "INSERT INTO \(table) (text) VALUES (?)", arguments: [text])
        return db.lastInsertedRowID
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
        let id = try textRow(text, in: "source")
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

    /// Removes a source's stored observation (SDMX `ACTION` D), keeping it in the history and as a revision to
    /// nothing; returns the old value.
    public func delete(_ key: ObservationKey) throws -> Double? {
        guard let indicatorID = ids.indicators[key.indicator], let regionID = ids.regions[key.region],
            let source = try sourceID(key.source ?? DataSource.unattributed)
        else { return nil }
        let period = Int64(key.period.key)
        guard let row = try Row.fetchOne(
            db, sql: """
                SELECT o.value, o.file_id, s.text, o.vintage_id, o.note, o.row FROM observation o JOIN source s ON s.id = o.source_id
                WHERE o.indicator_id = ? AND o.region_id = ? AND o.period = ? AND o.source_id = ?
                """,
            arguments: [indicatorID, regionID, period, source])
        else { return nil }
        let old: Double = row[0]
        try step(keep, indicatorID, regionID, period, source, row[3] as Int64, old, row[4] as String?, row[1] as Int64, row[5] as Int64)
        try db.execute(
            sql: "DELETE FROM observation WHERE indicator_id = ? AND region_id = ? AND period = ? AND source_id = ?",
            arguments: [indicatorID, regionID, period, source])
        try history.execute(arguments: [
            indicatorID, regionID, period, old, nil as Double?, row[2] as String?, nil as String?, row[1] as Int64, fileID, key.row, revisedAt,
        ])
        counts.deleted += 1
        return old
    }

    /// Binds and runs one prepared statement on the hot path.
    private func step(_ statement: OpaquePointer, _ values: (any Sendable)?...) throws {
        sqlite3_reset(statement)
        for (index, value) in values.enumerated() {
            let slot = Int32(index + 1)
            switch value {
            case let number as Int64: sqlite3_bind_int64(statement, slot, number)
            case let number as Double: sqlite3_bind_double(statement, slot, number)
            case let text as String: bind(statement, slot, text)
            default: sqlite3_bind_null(statement, slot)
            }
        }
        let code = sqlite3_step(statement)
        guard code == SQLITE_DONE else { throw failure(code) }
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
    /// Values of an older vintage than the one stored for their source: kept in the history, not current.
    public var older = 0

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
        case rows, inserted, revised, unchanged, missing, skipped, deleted, older
        case badRows = "bad_rows"
    }

    /// Reports stored before a count existed read it as 0.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func count(_ key: CodingKeys) throws -> Int { try container.decodeIfPresent(Int.self, forKey: key) ?? 0 }
        rows = try count(.rows)
        inserted = try count(.inserted)
        revised = try count(.revised)
        unchanged = try count(.unchanged)
        missing = try count(.missing)
        badRows = try count(.badRows)
        skipped = try count(.skipped)
        deleted = try count(.deleted)
        older = try count(.older)
    }
}
