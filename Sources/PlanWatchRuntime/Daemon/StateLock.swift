import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// An exclusive `flock` on `STATE_DIR/planwatch.lock`, so two daemons never watch the same inbox or move the same
/// files. The kernel drops the lock when the process dies, however it dies, so a stale file never blocks a start;
/// the holder's pid is written into the file only to name it in the refusal. CLI writers do not take it: they
/// share the database with the daemon through SQLite's own locking.
public final class StateLock: Sendable {
    public let path: String
    private let descriptor: Int32

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    /// Takes the lock without waiting, or throws a `StateLockError` naming the process that holds it. The lock is
    /// held until the returned object is released. Locks belong to open file descriptions, so a second acquire in
    /// the same process fails too.
    public static func acquire(stateDirectory: String) throws -> StateLock {
        let path = stateDirectory + "/planwatch.lock"
        try? FileManager.default.createDirectory(atPath: stateDirectory, withIntermediateDirectories: true)
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw StateLockError(
                .cannotLock, stateDirectory: stateDirectory,
                description: "cannot open the lock file \(path): \(String(cString: strerror(errno))); give the planwatch user write access to the state directory, or pass --state-dir")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            defer { close(fd) }
            guard code == EWOULDBLOCK else {
                throw StateLockError(
                    .cannotLock, stateDirectory: stateDirectory,
                    description: "cannot lock \(path): \(String(cString: strerror(code)))")
            }
            let pid = holder(fd)
            throw StateLockError(
                .held, stateDirectory: stateDirectory, holder: pid,
                description: "another planwatch run (pid \(pid.map(String.init) ?? "unknown")) is already using the state directory \(stateDirectory); stop it first (systemctl stop planwatch) or give this one another --state-dir")
        }
        // The pid is informational: failing to write it (a full disk) must not stop a daemon that holds the lock.
        let text = Array("\(getpid())\n".utf8)
        ftruncate(fd, 0)
        _ = text.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        return StateLock(path: path, descriptor: fd)
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

/// Why the state directory could not be locked: held by another run (`holder` is its pid when known), or the
/// lock file could not be opened or locked.
public struct StateLockError: Error, CustomStringConvertible, Sendable {
    public enum Code: String, Sendable {
        case held, cannotLock
    }

    public var code: Code
    public var stateDirectory: String
    public var holder: Int32?
    public var description: String

    public init(_ code: Code, stateDirectory: String, holder: Int32? = nil, description: String) {
        self.code = code
        self.stateDirectory = stateDirectory
        self.holder = holder
        self.description = description
    }
}
