import Foundation
import GRDB
import PlanWatchCore

/// A file about to be ingested.
public struct IncomingFile: Sendable {
    public var name: String
    public var sha256: String
    public var size: Int64
    public var layout: String

    public init(name: String, sha256: String, size: Int64, layout: String) {
        self.name = name
        self.sha256 = sha256
        self.size = size
        self.layout = layout
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
    public func ingest(
        _ file: IncomingFile, ids: CatalogIDs, at time: Date, _ body: (ObservationWriter) throws -> (IngestDecision, IngestCounts)
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
                    let writer = try ObservationWriter(db: db, fileID: fileID, ids: ids, revisedAt: now)
                    let (decision, counts) = try body(writer)
                    result.counts = counts
                    guard case .commit = decision else { return .rollback }
                    try db.execute(
                        sql: """
                            UPDATE ingested_file SET outcome = 'ingested', rows = ?, inserted = ?, revised = ?, unchanged = ?,
                                missing = ?, bad_rows = ? WHERE id = ?
                            """,
                        arguments: [counts.rows, counts.inserted, counts.revised, counts.unchanged, counts.missing, counts.badRows, fileID])
                    result.fileID = fileID
                    return .commit
                }
                return result
            }
        } catch {
            throw StoreError.classify(error, path: path, doing: "cannot store \(file.name)")
        }
    }

    /// Records a file that was not ingested (rejected, or a duplicate of `duplicateOf`), for the file history.
    public func recordUningested(
        _ file: IncomingFile, outcome: String, counts: IngestCounts, duplicateOf: Int64?, at time: Date
    ) throws(StoreError) {
        try write("cannot record \(file.name)") { db in
            try db.execute(
                sql: """
                    INSERT INTO ingested_file (sha256, name, size, received_at, outcome, layout, rows, missing, bad_rows, duplicate_of)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [file.sha256, file.name, file.size, rfc3339(time), outcome, file.layout, counts.rows, counts.missing, counts.badRows, duplicateOf])
        }
    }
}
