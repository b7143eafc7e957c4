import GRDB
import PlanWatchCore

/// What `planwatch fetch` remembers of a source between runs.
public struct FetchState: Sendable, Equatable {
    public var etag: String?
    public var lastModified: String?
    public var sha256: String?
    public var checkedAt: Double?
    public var failures: Int
    public var lastError: String?
    public var lastOutcome: String?
}

/// A file `planwatch fetch` dropped into the inbox: which source it is, where it came from, and the vintage of
/// its values that state none.
public struct FetchedFile: Sendable, Equatable {
    public var name: String
    public var source: String
    public var url: String
    public var fetchedAt: Double
    public var sha256: String
    public var vintage: String?

    public init(name: String, source: String, url: String, fetchedAt: Double, sha256: String, vintage: String?) {
        self.name = name
        self.source = source
        self.url = url
        self.fetchedAt = fetchedAt
        self.sha256 = sha256
        self.vintage = vintage
    }
}

extension Store {
    /// Records a file about to be renamed into the inbox (before the rename, so the daemon never sees it
    /// unrecorded).
    public func recordFetchedFile(_ file: FetchedFile) throws(StoreError) {
        try write("cannot record the fetched file") { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO fetched_file (name, source, url, fetched_at, sha256, vintage) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [file.name, file.source, file.url, file.fetchedAt, file.sha256, file.vintage])
        }
    }

    /// Forgets a file that never reached the inbox.
    public func forgetFetchedFile(_ name: String) throws(StoreError) {
        try write("cannot record the fetched file") { db in
            try db.execute(sql: "DELETE FROM fetched_file WHERE name = ?", arguments: [name])
        }
    }

    /// The fetched file an inbox name is, or is a member of: a zip's member `ARCHIVE.zip--MEMBER.csv` is its
    /// archive's. Nil for a file people dropped.
    public func fetchedFile(named name: String) throws(StoreError) -> FetchedFile? {
        var candidates = [name]
        var rest = Substring(name)
        var prefix = ""
        while let separator = rest.range(of: "--") {
            prefix += rest[..<separator.lowerBound]
            candidates.append(prefix)
            prefix += "--"
            rest = rest[separator.upperBound...]
        }
        return try read("cannot read the fetched files") { db in
            for candidate in candidates {
                if let row = try Row.fetchOne(db, sql: "SELECT name, source, url, fetched_at, sha256, vintage FROM fetched_file WHERE name = ?", arguments: [candidate]) {
                    return FetchedFile(name: row[0], source: row[1], url: row[2], fetchedAt: row[3], sha256: row[4], vintage: row[5])
                }
            }
            return nil
        }
    }

    public func fetchState(_ source: String) throws(StoreError) -> FetchState? {
        try read("cannot read the fetch state") { db in
            try Row.fetchOne(db, sql: "SELECT etag, last_modified, sha256, checked_at, failures, last_error, last_outcome FROM fetch_state WHERE source = ?", arguments: [source])
                .map { FetchState(etag: $0[0], lastModified: $0[1], sha256: $0[2], checkedAt: $0[3], failures: Int($0[4] as Int64), lastError: $0[5], lastOutcome: $0[6]) }
        }
    }

    /// Records an attempt: its outcome, and on success the validators and digest (a failure keeps them and
    /// counts one more in the run). `alerts` (a `fetch_failed`) are stored in the same transaction.
    public func recordFetch(
        _ source: String, outcome: String, at time: Double, etag: String?, lastModified: String?, sha256: String?, changed: Bool,
        error: String?, alerts: [Alert] = []
    ) throws(StoreError) {
        try write("cannot record the fetch") { db in
            if let error {
                try db.execute(
                    sql: """
                        INSERT INTO fetch_state (source, checked_at, failures, last_error, last_outcome) VALUES (?1, ?2, 1, ?3, ?4)
                        ON CONFLICT(source) DO UPDATE SET checked_at = ?2, failures = failures + 1, last_error = ?3, last_outcome = ?4
                        """, arguments: [source, time, error, outcome])
            } else {
                try db.execute(
                    sql: """
                        INSERT INTO fetch_state (source, etag, last_modified, sha256, checked_at, changed_at, failures, last_outcome)
                            VALUES (?1, ?2, ?3, ?4, ?5, CASE WHEN ?6 THEN ?5 END, 0, ?7)
                        ON CONFLICT(source) DO UPDATE SET etag = coalesce(?2, etag), last_modified = coalesce(?3, last_modified),
                            sha256 = coalesce(?4, sha256), checked_at = ?5, changed_at = CASE WHEN ?6 THEN ?5 ELSE changed_at END,
                            failures = 0, last_error = NULL, last_outcome = ?7
                        """, arguments: [source, etag, lastModified, sha256, time, changed, outcome])
            }
            for alert in alerts { try Store.insert(alert, db: db) }
        }
    }
}
