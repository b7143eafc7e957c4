import Foundation
import PlanWatchSetup
import PlanWatchIngest
import PlanWatchOutputs

#if canImport(Glibc)
    import Glibc
#endif

/// An exclusive `flock` that keeps two daemons apart: one on `STATE_DIR/planwatch.lock`, so two never watch the same
/// inbox or move the same files, and one on `DATABASE.lock` beside the database, so two with different state
/// directories never share a database (each would log some of the other's alerts). The kernel drops a lock when
/// the process dies, however it dies, so a stale file never blocks a start; the holder's pid is written into the
/// file only to name it in the refusal. The database's lock is a file of its own because SQLite itself takes POSIX
/// locks on the database file, which any other lock on it would disturb. CLI writers take neither: they share the
/// database with the daemon through SQLite's own locking.
public final class StateLock: Sendable {
    public let path: String
    private let descriptor: Int32

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    /// Takes the state directory's lock without waiting, or throws a `StateLockError` naming the process that holds
    /// it. The lock is held until the returned object is released. Locks belong to open file descriptions, so a
    /// second acquire in the same process fails too.
    public static func acquire(stateDirectory: String) throws -> StateLock {
        try? FileManager.default.createDirectory(atPath: stateDirectory, withIntermediateDirectories: true)
        return try acquire(
            stateDirectory + "/planwatch.lock", guarding: stateDirectory,
            held: { pid, _ in
                "another planwatch run (pid \(pid)) is already using the state directory \(stateDirectory); "
                    + "stop it first (systemctl stop planwatch) or give this one another --state-dir"
            },
            cannotOpen: { lockFile, reason in
                "cannot open the lock file \(lockFile): \(reason); "
                    + "give the planwatch user write access to the state directory, or pass --state-dir"
            })
    }

    /// Takes the lock of the database at `database` without waiting: `DATABASE.lock` in the folder the database is
    /// really in (links resolved), so two spellings of one database meet at one lock. Throws a `StateLockError`
    /// naming the holder's pid and the lock file when another process holds it.
    public static func acquire(database: String) throws -> StateLock {
        let folder = (database as NSString).deletingLastPathComponent
        let directory = folder.isEmpty ? "." : folder
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let name = (database as NSString).lastPathComponent
        let lockFile = realPath(database).map { $0 + ".lock" }
            ?? (realPath(directory) ?? directory) + "/" + name + ".lock"
        return try acquire(
            lockFile, guarding: database,
            held: { pid, lockFile in
                "another planwatch run (pid \(pid)) is already using the database \(database) (it holds \(lockFile)); "
                    + "stop it first (systemctl stop planwatch) or give this one a database of its own "
                    + "(database: in its settings)"
            },
            cannotOpen: { lockFile, reason in
                "cannot open the lock file \(lockFile) beside the database \(database): \(reason); "
                    + "give the planwatch user write access to the database's folder "
                    + "(SQLite needs it for its journal too)"
            })
    }

    /// The canonical path of an existing file or folder.
    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Opens (creating) `lockFile`, takes an exclusive `flock` on it without waiting and writes this pid into it.
    /// `held` words the refusal from the holder's pid (or "unknown") and the lock file; `cannotOpen` the failure to
    /// open it from the lock file and the reason.
    private static func acquire(
        _ lockFile: String, guarding subject: String, held: (String, String) -> String,
        cannotOpen: (String, String) -> String
    ) throws -> StateLock {
        let fd = open(lockFile, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            let reason = String(cString: strerror(errno))
            throw StateLockError(.cannotLock, subject: subject, description: cannotOpen(lockFile, reason))
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            defer { close(fd) }
            guard code == EWOULDBLOCK else {
                let reason = String(cString: strerror(code))
                throw StateLockError(.cannotLock, subject: subject, description: "cannot lock \(lockFile): \(reason)")
            }
            let pid = holder(fd)
            throw StateLockError(
                .held, subject: subject, holder: pid, description: held(pid.map(String.init) ?? "unknown", lockFile))
        }
        // The pid is informational: failing to write it (a full disk) must not stop a daemon that holds the lock.
        let text = Array("\(getpid())\n".utf8)
        ftruncate(fd, 0)
        _ = text.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        return StateLock(path: lockFile, descriptor: fd)
    }

    /// Whether a running planwatch (the daemon) holds the state directory's lock, asked without taking it: the
    /// lock file is opened read-only, never created, and a shared lock tried without waiting.
    public static func isHeld(stateDirectory: String) -> Bool {
        let fd = open(stateDirectory + "/planwatch.lock", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        guard flock(fd, LOCK_SH | LOCK_NB) == 0 else { return errno == EWOULDBLOCK }
        flock(fd, LOCK_UN)
        return false
    }

    /// The pid the holder wrote, if it has written one yet.
    private static func holder(_ fd: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        return Int32(String(decoding: buffer[..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    deinit {
        close(descriptor)
    }
}

/// Why the state directory or the database could not be locked: held by another run (`holder` is its pid when
/// known), or the lock file could not be opened or locked.
public struct StateLockError: Error, CustomStringConvertible, Sendable {
    public enum Code: String, Sendable {
        case held, cannotLock
    }

    public var code: Code
    /// The state directory or database the lock guards.
    public var subject: String
    public var holder: Int32?
    public var description: String

    public init(_ code: Code, subject: String, holder: Int32? = nil, description: String) {
        self.code = code
        self.subject = subject
        self.holder = holder
        self.description = description
    }
}
