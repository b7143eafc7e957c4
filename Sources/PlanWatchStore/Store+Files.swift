import Foundation
import GRDB
import PlanWatchCore

/// A file about to be ingested.
public struct IncomingFile: Sendable {
    public var name: String
    public var sha256: String
    public var size: Int64
    public var layout: String
    /// The vintage of the file's values that state none (`ingest --vintage`); nil: the file's arrival.
    public var vintage: String?

    public init(name: String, sha256: String, size: Int64, layout: String, vintage: String? = nil) {
        self.name = name
        self.sha256 = sha256
        self.size = size
        self.layout = layout
        self.vintage = vintage
    }
}

/// A row of `ingested_file`.
public struct FileRecord: Equatable, Sendable {
    public var id: Int64
    public var name: String
    public var sha256: String
    public var receivedAt: String
    public var outcome: String
}

/// Whether an ingest transaction keeps what it wrote.
public enum IngestDecision: Sendable {
    case commit
    case rollback
}

extension Store {
    /// The ingested file with this content, if any.
    public func ingestedFile(sha256: String) throws(StoreError) -> FileRecord? {
        try read("cannot look up ingested files") { db in
            try Row.fetchOne(
                db, sql: "SELECT id, name, sha256, received_at, outcome FROM ingested_file WHERE sha256 = ? AND outcome = 'ingested'",
                arguments: [sha256]
            ).map { FileRecord(id: $0["id"], name: $0["name"], sha256: $0["sha256"], receivedAt: $0["received_at"], outcome: $0["outcome"]) }
        }
    }

    /// Ingests one file in one transaction: records the file, lets `body` store its rows through the writer,
    /// and commits only if `body` says so. Returns the file's row id when committed, and the counts. If another
    /// process ingested the same content meanwhile, returns that file as `duplicateOf`.
    /// The file's data alerts (revisions, skipped rows) are stored in the same transaction, so they exist exactly
    /// when its rows do; with `pendingMove` the row says the daemon still has to move the file out of the inbox.
    public func ingest(
        _ file: IncomingFile, ids: CatalogIDs, at time: Date, pendingMove: Bool = false,
        _ body: (ObservationWriter) throws -> (IngestDecision, IngestCounts, [Alert])
    ) throws(StoreError) -> (fileID: Int64?, counts: IngestCounts, duplicateOf: FileRecord?) {
        let now = rfc3339(time)
        do {
            return try writer.writeWithoutTransaction { db in
                // For the bulk transaction: an 8 MiB page cache (measured as fast as 64 MiB on 1 M rows, and memory stays flat), and no foreign-key checks — every id the writer
                // stores comes from the catalogue tables of this same database (synced before) or is the file row
                // it has just inserted, so the checks (three index probes a row, about a fifth of SQLite's time)
                // could only ever pass. Both are restored afterwards; other writes keep enforcing the constraints.
                try db.execute(sql: "PRAGMA foreign_keys = OFF; PRAGMA cache_size = -8192")
                defer { try? db.execute(sql: "PRAGMA foreign_keys = ON; PRAGMA cache_size = -2000") }
                var result: (fileID: Int64?, counts: IngestCounts, duplicateOf: FileRecord?) = (nil, IngestCounts(), nil)
                try db.inTransaction(.immediate) {
                    if let existing = try Row.fetchOne(
                        db, sql: "SELECT id, name, sha256, received_at, outcome FROM ingested_file WHERE sha256 = ? AND outcome = 'ingested'",
                        arguments: [file.sha256])
                    {
                        result.duplicateOf = FileRecord(
                            id: existing["id"], name: existing["name"], sha256: existing["sha256"],
                            receivedAt: existing["received_at"], outcome: existing["outcome"])
                        return .rollback
                    }
                    try db.execute(
                        sql: "INSERT INTO ingested_file (sha256, name, size, received_at, outcome, layout) VALUES (?, ?, ?, ?, 'ingesting', ?)",
                        arguments: [file.sha256, file.name, file.size, now, file.layout])
                    let fileID = db.lastInsertedRowID
                    let vintage = file.vintage ?? now
                    let writer = try ObservationWriter(db: db, fileID: fileID, ids: ids, revisedAt: now, vintage: vintage)
                    let (decision, counts, alerts) = try body(writer)
                    result.counts = counts
                    guard case .commit = decision else { return .rollback }
                    let sources = writer.sourceNames.prefix(5).joined(separator: "; ") + (writer.sourceNames.count > 5 ? "; …" : "")
                    try db.execute(
                        sql: """
                            UPDATE ingested_file SET outcome = 'ingested', rows = ?, inserted = ?, revised = ?, unchanged = ?,
                                missing = ?, bad_rows = ?, pending_move = ?, layout = coalesce(?, layout), source = ?, vintage = ?
                            WHERE id = ?
                            """,
                        arguments: [
                            counts.rows, counts.inserted, counts.revised, counts.unchanged, counts.missing, counts.badRows, pendingMove,
                            writer.layout, sources.isEmpty ? nil : sources, writer.statedVintage ?? vintage, fileID,
                        ])
                    for alert in alerts { try Store.insert(alert, db: db) }
                    result.fileID = fileID
                    return .commit
                }
                return result
            }
        } catch {
            throw StoreError.classify(error, path: path, doing: "cannot store \(file.name)")
        }
    }

    /// Records a file that was not ingested (rejected, or a duplicate of `duplicateOf`), for the file history,
    /// with its alerts and (for the inbox) its reports in the same transaction; returns the row's id.
    @discardableResult
    public func recordUningested(
        _ file: IncomingFile, outcome: String, counts: IngestCounts, duplicateOf: Int64?, at time: Date, alerts: [Alert] = [],
        report: (json: String, text: String)? = nil, pendingMove: Bool = false
    ) throws(StoreError) -> Int64 {
        try write("cannot record \(file.name)") { db in
            try db.execute(
                sql: """
                    INSERT INTO ingested_file (sha256, name, size, received_at, outcome, layout, rows, missing, bad_rows, duplicate_of,
                        pending_move, report_json, report_text)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    file.sha256, file.name, file.size, rfc3339(time), outcome, file.layout, counts.rows, counts.missing, counts.badRows,
                    duplicateOf, pendingMove, report?.json, report?.text,
                ])
            let id = db.lastInsertedRowID
            for alert in alerts { try Store.insert(alert, db: db) }
            return id
        }
    }

    /// A file the daemon recorded but has not moved out of the inbox yet (a crash came in between).
    public struct PendingFile: Sendable {
        public var id: Int64
        public var name: String
        public var sha256: String
        public var outcome: String
        public var reportJSON: String?
        public var reportText: String?
    }

    /// The pending file row for this content under this inbox name, if any.
    public func pendingFile(sha256: String, name: String) throws(StoreError) -> PendingFile? {
        try pendingFiles(sql: "pending_move = 1 AND sha256 = ? AND name = ?", [sha256, name]).first
    }

    /// Every file row still waiting for its move.
    public func pendingFiles() throws(StoreError) -> [PendingFile] {
        try pendingFiles(sql: "pending_move = 1", [])
    }

    private func pendingFiles(sql condition: String, _ arguments: StatementArguments) throws(StoreError) -> [PendingFile] {
        try read("cannot read the file history") { db in
            try Row.fetchAll(
                db, sql: "SELECT id, name, sha256, outcome, report_json, report_text FROM ingested_file WHERE \(condition) ORDER BY id",
                arguments: arguments
            ).map {
                PendingFile(id: $0["id"], name: $0["name"], sha256: $0["sha256"], outcome: $0["outcome"], reportJSON: $0["report_json"], reportText: $0["report_text"])
            }
        }
    }

    /// Marks a file row's move done; `movedTo` is where the file went (nil when that is not known: it had left
    /// the inbox before a restart).
    public func finishMove(_ id: Int64, movedTo: String?) throws(StoreError) {
        try write("cannot record a move") { db in
            try db.execute(sql: "UPDATE ingested_file SET pending_move = 0, moved_to = ? WHERE id = ?", arguments: [movedTo, id])
        }
    }

    /// A refused inbox entry (a link, a folder, an unreadable file) recorded but not yet moved.
    public struct PendingRefusal: Sendable {
        public var id: Int64
        public var name: String
        public var reason: String
    }

    /// The pending refusal of this entry (same name, device and inode), if any.
    public func pendingRefusal(name: String, device: UInt64, inode: UInt64) throws(StoreError) -> PendingRefusal? {
        try read("cannot read refused entries") { db in
            try Row.fetchOne(
                db, sql: "SELECT id, name, reason FROM refused_entry WHERE pending_move = 1 AND name = ? AND device = ? AND inode = ?",
                arguments: [name, Int64(bitPattern: device), Int64(bitPattern: inode)]
            ).map { PendingRefusal(id: $0["id"], name: $0["name"], reason: $0["reason"]) }
        }
    }

    public func pendingRefusals() throws(StoreError) -> [PendingRefusal] {
        try read("cannot read refused entries") { db in
            try Row.fetchAll(db, sql: "SELECT id, name, reason FROM refused_entry WHERE pending_move = 1 ORDER BY id")
                .map { PendingRefusal(id: $0["id"], name: $0["name"], reason: $0["reason"]) }
        }
    }

    /// Records a refused entry and its alert in one transaction; returns its id.
    public func recordRefusal(name: String, device: UInt64, inode: UInt64, reason: String, at time: Date, alerts: [Alert]) throws(StoreError) -> Int64 {
        try write("cannot record the refused entry \(name)") { db in
            try db.execute(
                sql: "INSERT INTO refused_entry (name, device, inode, reason, refused_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [name, Int64(bitPattern: device), Int64(bitPattern: inode), reason, rfc3339(time)])
            let id = db.lastInsertedRowID
            for alert in alerts { try Store.insert(alert, db: db) }
            return id
        }
    }

    public func finishRefusal(_ id: Int64, movedTo: String?) throws(StoreError) {
        try write("cannot record a move") { db in
            try db.execute(sql: "UPDATE refused_entry SET pending_move = 0, moved_to = ? WHERE id = ?", arguments: [movedTo, id])
        }
    }
}
