import GRDB

/// What the metrics file counts of the ingest history (`planwatch_files_total`, `planwatch_rows_total`).
public struct IngestTotals: Sendable, Equatable {
    /// Files by outcome: ingested, rejected, duplicate, refused (entries refused before reading).
    public var files: [String: Int64]
    /// Rows by outcome: new, revised, unchanged, rejected (bad rows).
    public var rows: [String: Int64]
    /// When the newest file was received, as recorded (RFC 3339).
    public var lastIngest: String?
    /// Alerts recorded but not yet written to the alert log.
    public var unlogged: Int64
}

extension Store {
    /// The ingest history's totals, for the metrics file.
    public func ingestTotals() throws(StoreError) -> IngestTotals {
        try read("cannot count the ingested files") { db in
            var files: [String: Int64] = ["ingested": 0, "rejected": 0, "duplicate": 0, "refused": 0]
            for row in try Row.fetchAll(db, sql: "SELECT outcome, count(*) FROM ingested_file WHERE outcome != 'ingesting' GROUP BY outcome") {
                files[row[0]] = row[1]
            }
            files["refused"] = try Int64.fetchOne(db, sql: "SELECT count(*) FROM refused_entry") ?? 0
            let sums = try Row.fetchOne(db, sql: """
                SELECT coalesce(sum(inserted), 0), coalesce(sum(revised), 0), coalesce(sum(unchanged), 0), coalesce(sum(bad_rows), 0)
                FROM ingested_file WHERE outcome IN ('ingested', 'rejected')
                """)
            let rows: [String: Int64] = [
                "new": sums?[0] ?? 0, "revised": sums?[1] ?? 0, "unchanged": sums?[2] ?? 0, "rejected": sums?[3] ?? 0,
            ]
            let last = try String.fetchOne(db, sql: "SELECT max(received_at) FROM ingested_file")
            let unlogged = try Int64.fetchOne(db, sql: "SELECT count(*) FROM alert WHERE logged_at IS NULL") ?? 0
            return IngestTotals(files: files, rows: rows, lastIngest: last, unlogged: unlogged)
        }
    }
}
