import Foundation
import GRDB

#if canImport(Glibc)
    import Glibc
#endif

/// What a backup wrote: the file, the observations it holds and its size.
public struct BackupSummary: Sendable, Equatable {
    public var path: String
    public var observations: Int
    public var bytes: Int64

    public init(path: String, observations: Int, bytes: Int64) {
        self.path = path
        self.observations = observations
        self.bytes = bytes
    }
}

extension Store {
    /// Copies the write-ahead log into the main file and truncates it to 0 bytes, so the main file alone holds
    /// every commit (after a clean stop, a plain file copy is then a complete database). Waits up to the busy
    /// timeout for readers; returns false when one still held an older snapshot and the log could not be emptied
    /// (SQLite finishes the job at a later checkpoint, nothing is lost).
    @discardableResult
    public func checkpoint() throws(StoreError) -> Bool {
        do {
            let busy = try writer.writeWithoutTransaction { db in
                try Int.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)")
            }
            return busy == 0
        } catch {
            throw StoreError.classify(error, path: path, doing: "cannot checkpoint the write-ahead log")
        }
    }

    /// Writes a consistent copy of the database to `destination` with SQLite's online backup, safe beside a
    /// running daemon: the copy is one read snapshot, taken in a single step, so writers are never blocked and
    /// half-applied ingests never appear. The copy is built in a dotfile beside the destination, switched to a
    /// rollback journal (one self-contained file), checked with `PRAGMA integrity_check`, given the database's
    /// permissions and only then moved into place, so `destination` is either complete or untouched. An existing
    /// file is kept unless `overwrite`.
    @discardableResult
    public func backup(to destination: String, overwrite: Bool = false) throws(StoreError) -> BackupSummary {
        if !overwrite, FileManager.default.fileExists(atPath: destination) {
            throw StoreError.backupExists(destination)
        }
        let url = URL(fileURLWithPath: destination)
        let folder = url.deletingLastPathComponent().path
        let temporary = folder + "/." + url.lastPathComponent + ".tmp-" + UUID().uuidString.prefix(8)
        defer {
            for suffix in ["", "-journal", "-wal", "-shm"] { unlink(temporary + suffix) }
        }
        let copy: DatabaseQueue
        do {
            copy = try DatabaseQueue(path: temporary)
        } catch {
            throw StoreError(
                .cannotOpen, path: destination,
                message: "cannot create the backup file in \(folder); check that the directory exists and is writable by this user",
                underlying: error)
        }
        let observations: Int
        do {
            try writer.backup(to: copy)
            observations = try copy.writeWithoutTransaction { db in
                // The copied header says WAL; a backup is easier to move around as a single file.
                try db.execute(sql: "PRAGMA journal_mode = DELETE")
                let problems = try String.fetchAll(db, sql: "PRAGMA integrity_check")
                guard problems == ["ok"] else {
                    throw StoreError(
                        .corrupt, path: path,
                        message: "the backup copy failed its integrity check (\(problems.prefix(3).joined(separator: "; "))); the database itself may be damaged, check it with sqlite3 '\(path)' 'PRAGMA integrity_check'; \(destination) was not written")
                }
                return try Int.fetchOne(db, sql: "SELECT count(*) FROM observation") ?? 0
            }
            try copy.close()
            // The copy holds the same data, so it gets the database's permissions rather than SQLite's 0644.
            let manager = FileManager.default
            if let mode = try? manager.attributesOfItem(atPath: path)[.posixPermissions] {
                try manager.setAttributes([.posixPermissions: mode], ofItemAtPath: temporary)
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.classify(error, path: path, doing: "cannot back up to \(destination)")
        }
        try place(temporary, at: destination, overwrite: overwrite)
        let bytes = (try? FileManager.default.attributesOfItem(atPath: destination)[.size] as? NSNumber)?.int64Value ?? 0
        return BackupSummary(path: destination, observations: observations, bytes: bytes)
    }

    /// Moves the finished copy into place: `rename` to replace, `link` to refuse atomically when a file of that name
    /// appeared meanwhile. Then syncs the directory so the new name survives a power loss.
    private func place(_ temporary: String, at destination: String, overwrite: Bool) throws(StoreError) {
        if overwrite {
            guard rename(temporary, destination) == 0 else { throw moveError(destination, errno) }
        } else if link(temporary, destination) != 0 {
            let code = errno
            if code == EEXIST { throw StoreError.backupExists(destination) }
            throw moveError(destination, code)
        }
        let folder = URL(fileURLWithPath: destination).deletingLastPathComponent().path
        if let handle = FileHandle(forReadingAtPath: folder) {
            try? handle.synchronize()
            try? handle.close()
        }
    }

    private func moveError(_ destination: String, _ code: Int32) -> StoreError {
        StoreError(
            .cannotOpen, path: destination,
            message: "cannot move the finished backup into place: \(String(cString: strerror(code))); check that the directory is writable by this user")
    }
}

extension StoreError {
    static func backupExists(_ destination: String) -> StoreError {
        StoreError(.exists, path: destination, message: "already exists; pass --force to overwrite it, or choose another file")
    }
}
