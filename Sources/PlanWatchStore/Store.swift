import Foundation
import GRDB
import GRDBSQLite
import PlanWatchCore

/// The SQLite database: observations with their history, ingested files, evaluations, target state and alerts.
/// WAL mode with a busy timeout, so CLI commands can write beside the running daemon.
public struct Store: Sendable {
    public let path: String
    let writer: DatabaseQueue

    /// Opens (creating if needed) and migrates the database; refuses one written by a newer planwatch.
    public static func open(path: String, busyTimeout: TimeInterval = 10) throws(StoreError) -> Store {
        var configuration = Configuration()
        configuration.busyMode = .timeout(busyTimeout)
        configuration.foreignKeysEnabled = true
        configuration.journalMode = .wal
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // The write-ahead log and its index stay after the last connection closes (the log cut to zero
            // then): a reader who may not create files in the state directory (the analysts' group) can open a
            // WAL database only when both exist.
            var persist: Int32 = 1
            _ = sqlite3_file_control(db.sqliteConnection, "main", SQLITE_FCNTL_PERSIST_WAL, &persist)
            try db.execute(sql: "PRAGMA journal_size_limit = 67108864")
        }
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration)
        } catch {
            throw StoreError.classify(error, path: path, doing: "cannot open the database")
        }
        let migrator = Schema.migrator
        do {
            let superseded = try queue.read { db in try migrator.hasBeenSuperseded(db) }
            if superseded {
                let unknown = try queue.read { db in
                    try migrator.appliedIdentifiers(db).subtracting(migrator.migrations).sorted()
                }
                throw StoreError(
                    .newerSchema, path: path,
                    message: "was written by a newer planwatch (schema \(unknown.joined(separator: ", ")) is unknown to this version); upgrade planwatch, or point --state-dir at another directory")
            }
            try migrator.migrate(queue)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.classify(error, path: path, doing: "cannot prepare the database")
        }
        return Store(path: path, writer: queue)
    }

    /// Opens an existing database for reading only, as the read commands (`status`, `alerts`) do: it creates no
    /// file and migrates nothing. No file → "no database yet"; a schema this version does not know (newer, or
    /// older and not yet migrated) → an error saying what to run.
    public static func openReadOnly(path: String, busyTimeout: TimeInterval = 10) throws(StoreError) -> Store {
        // A file this user may not read (or a folder on the way it may not enter) is said as such, with the group
        // to join, before SQLite says "unable to open database file" or the file looks absent.
        for file in [path, path + "-wal", path + "-shm"] {
            if let problem = FileAccess.denied(file) { throw StoreError(.permission, path: path, message: problem) }
        }
        guard FileManager.default.fileExists(atPath: path) else {
            throw StoreError(
                .missing, path: path,
                message: "no database yet at \(path); run `planwatch ingest` or start the service")
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(busyTimeout)
        configuration.readonly = true
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration)
        } catch {
            throw StoreError.classify(error, path: path, doing: "cannot open the database for reading")
        }
        let migrator = Schema.migrator
        do {
            let (superseded, complete) = try queue.read { db in
                (try migrator.hasBeenSuperseded(db), try migrator.hasCompletedMigrations(db))
            }
            if superseded {
                throw StoreError(
                    .newerSchema, path: path,
                    message: "was written by a newer planwatch; upgrade planwatch, or point --state-dir at another directory")
            }
            if !complete {
                throw StoreError(
                    .olderSchema, path: path,
                    message: "was written by an older planwatch and is not upgraded yet; restart the service (or run `planwatch evaluate`) to upgrade it")
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.classify(error, path: path, doing: "cannot read the database")
        }
        return Store(path: path, writer: queue)
    }

    /// Runs `body` in one write transaction, mapping SQLite failures to a `StoreError`.
    func write<T>(_ what: String, _ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try writer.write(body)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.classify(error, path: path, doing: what)
        }
    }

    /// Runs `body` for reading, mapping SQLite failures to a `StoreError`.
    func read<T>(_ what: String, _ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try writer.read(body)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.classify(error, path: path, doing: what)
        }
    }

    /// Records the catalogue's indicators and regions (new ones added, names updated; none deleted, since stored
    /// observations refer to them) and returns their row ids.
    public func sync(_ catalog: Catalog) throws(StoreError) -> CatalogIDs {
        try write("cannot record the catalogue") { db in
            let indicator = try db.cachedStatement(sql: """
                INSERT INTO indicator (code, name, name_zh, unit, direction, frequency) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (code) DO UPDATE SET name = excluded.name, name_zh = excluded.name_zh,
                    unit = excluded.unit, direction = excluded.direction, frequency = excluded.frequency
                """)
            for item in catalog.indicators.values.sorted(by: { $0.id < $1.id }) {
                try indicator.execute(arguments: [
                    item.id, item.name, item.nameZh, item.unit, item.direction.rawValue, item.frequency.rawValue,
                ])
            }
            let region = try db.cachedStatement(sql: """
                INSERT INTO region (code, name, name_zh, gb_code, level) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (code) DO UPDATE SET name = excluded.name, name_zh = excluded.name_zh,
                    gb_code = excluded.gb_code, level = excluded.level
                """)
            for item in catalog.regions.values.sorted(by: { $0.code < $1.code }) {
                try region.execute(arguments: [item.code, item.name, item.nameZh, item.gbCode, item.level.rawValue])
            }
            // Sources stored under a name the catalogue now knows (values stored before it was catalogued, or a
            // migrated database) take the catalogue's id, unless that id is already a source of its own.
            let texts = try Row.fetchAll(db, sql: "SELECT id, text FROM source").map { ($0[0] as Int64, $0[1] as String) }
            let existing = Set(texts.map(\.1))
            var renamed = Set<String>()
            for (id, text) in texts {
                guard let key = catalog.source(named: text)?.id, key != text, !existing.contains(key), renamed.insert(key).inserted else { continue }
                try db.execute(sql: "UPDATE source SET text = ? WHERE id = ?", arguments: [key, id])
            }
            var ids = CatalogIDs()
            for row in try Row.fetchAll(db, sql: "SELECT id, code FROM indicator") {
                ids.indicators[row["code"]] = row["id"]
            }
            for row in try Row.fetchAll(db, sql: "SELECT id, code FROM region") {
                ids.regions[row["code"]] = row["id"]
            }
            return ids
        }
    }
}

/// Row ids of indicators and regions, by id and code.
public struct CatalogIDs: Sendable {
    public var indicators: [String: Int64] = [:]
    public var regions: [String: Int64] = [:]

    public init() {}
}

extension StoreError {
    /// Turns an SQLite or I/O failure into a message a user can act on.
    static func classify(_ error: any Error, path: String, doing what: String) -> StoreError {
        guard let database = error as? DatabaseError else {
            return StoreError(.other, path: path, message: what, underlying: error)
        }
        // SQLite reports a full disk as an I/O error when it happens while creating or growing the WAL or its index.
        if database.resultCode == .SQLITE_IOERR || database.resultCode == .SQLITE_CANTOPEN, Store.diskIsFull(near: path) {
            return StoreError(
                .diskFull, path: path,
                message: "\(what): the disk holding it is full; free space there (or move the state directory) and start again",
                underlying: error)
        }
        switch database.resultCode {
        case .SQLITE_CORRUPT, .SQLITE_NOTADB:
            return StoreError(
                .corrupt, path: path,
                message: "\(what): the file is not a valid planwatch database or is damaged; move it aside and restore a backup, or re-ingest the processed files into a new one",
                underlying: error)
        case .SQLITE_READONLY:
            return StoreError(
                .readOnly, path: path,
                message: "\(what): the database is read-only; give the planwatch user write access to it and its directory",
                underlying: error)
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return StoreError(
                .busy, path: path,
                message: "\(what): the database stayed locked by another process; try again when it is done",
                underlying: error)
        case .SQLITE_FULL:
            return StoreError(
                .diskFull, path: path, message: "\(what): the disk is full; free space and try again (nothing was stored)",
                underlying: error)
        case .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_AUTH:
            return StoreError(
                .cannotOpen, path: path,
                message: "\(what): check that the directory exists and is writable by this user, or set --state-dir",
                underlying: error)
        default:
            return StoreError(.other, path: path, message: what, underlying: error)
        }
    }
}

extension Store {
    /// Whether the filesystem of `path` (or of its directory) has no space left for this user.
    static func diskIsFull(near path: String) -> Bool {
        var info = statvfs()
        let folder = (path as NSString).deletingLastPathComponent
        guard statvfs(folder.isEmpty ? "." : folder, &info) == 0 else { return false }
        return info.f_bavail == 0 || info.f_favail == 0
    }
}

/// The current time as RFC 3339 UTC with milliseconds, the form every stored time takes.
public func rfc3339(_ date: Date) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    formatter.timeZone = TimeZone(identifier: "UTC")
    return formatter.string(from: date)
}
