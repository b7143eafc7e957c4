import Foundation
import PlanWatchCore
import PlanWatchStore

#if canImport(Glibc)
    import Glibc
#endif

/// The alert log (`alerts.jsonl`): one JSON object per line, each appended with a single `write(2)` on an
/// `O_APPEND` descriptor and flushed with `fsync` before the alert is marked logged in the database.
public final class AlertLog: @unchecked Sendable {
    public let path: String
    private let lock = NSLock()
    private var fd: Int32 = -1

    public struct WriteError: Error, CustomStringConvertible {
        public var path: String
        public var message: String
        public var description: String { "alert log \(path): \(message)" }
    }

    public init(path: String) {
        self.path = path
    }

    deinit {
        if fd >= 0 { close(fd) }
    }

    /// Opens the file again (after logrotate moved it away, on `SIGUSR1`).
    public func reopen() {
        lock.lock()
        defer { lock.unlock() }
        if fd >= 0 { close(fd) }
        fd = -1
    }

    private func descriptor() throws -> Int32 {
        if fd >= 0 { return fd }
        let folder = (path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let opened = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o640)
        guard opened >= 0 else {
            throw WriteError(path: path, message: "cannot open for appending: \(String(cString: strerror(errno))); check that the log directory exists and is writable, or set --log-dir")
        }
        fd = opened
        return fd
    }

    /// The ids in the last part of the log, to skip alerts a crash left written but not marked logged.
    func recentIDs(bytes: Int = 1 << 20) -> Set<String> {
        guard let handle = FileHandle(forReadingAtPath: path) else { return [] }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()) ?? 0
        try? handle.seek(toOffset: size > UInt64(bytes) ? size - UInt64(bytes) : 0)
        let data = (try? handle.readToEnd()) ?? Data()
        var ids = Set<String>()
        for line in data.split(separator: UInt8(ascii: "\n")) {
            if let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any], let id = object["id"] as? String {
                ids.insert(id)
            }
        }
        return ids
    }

    /// Appends lines (each with one write), then flushes them to disk.
    func append(_ lines: [String]) throws {
        lock.lock()
        defer { lock.unlock() }
        let fd = try descriptor()
        for line in lines {
            var bytes = Array((line + "\n").utf8)
            let written = bytes.withUnsafeMutableBytes { write(fd, $0.baseAddress, $0.count) }
            guard written == bytes.count else {
                let reason = written < 0 ? String(cString: strerror(errno)) : "short write (disk full?)"
                throw WriteError(path: path, message: "cannot append an alert: \(reason); the alert stays pending and is logged when writing works again")
            }
            bytes.removeAll()
        }
        guard fsync(fd) == 0 else {
            throw WriteError(path: path, message: "cannot flush to disk: \(String(cString: strerror(errno))); the alerts stay pending")
        }
    }

    /// Writes every pending alert of the store to the log and to standard error (one line each, with its syslog
    /// priority, for the journal); returns how many were logged.
    @discardableResult
    public func publish(_ store: Store, at time: Date = Date(), journal: (String) -> Void = AlertLog.standardError) throws -> Int {
        var seen: Set<String>?
        return try store.logPendingAlerts(at: time) { pending in
            if seen == nil { seen = recentIDs() }
            let fresh = pending.filter { !seen!.contains($0.id) }
            try append(fresh.map { $0.line })
            for item in fresh {
                if let data = item.line.data(using: .utf8), let alert = try? JSONDecoder().decode(Alert.self, from: data) {
                    journal(alert.journalLine)
                }
            }
        }
    }

    /// Writes one line to standard error.
    public static func standardError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
