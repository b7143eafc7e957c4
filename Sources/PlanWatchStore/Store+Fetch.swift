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

extension Store {
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
