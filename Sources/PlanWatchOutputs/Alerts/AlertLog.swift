import Foundation
import PlanWatchCore
import PlanWatchStore
import PlanWatchSetup
import PlanWatchHTTP

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

    /// The open descriptor, reopened when the path no longer names it (the file or its directory was removed or
    /// replaced: writing on would put alerts where nobody can read them). A file that does not end in a newline
    /// (a write cut short by a full disk or a crash) is cut back to its last complete line first: that partial
    /// alert is still pending in the database and is written again whole.
    private func descriptor() throws -> Int32 {
        if fd >= 0 {
            var open = stat()
            var named = stat()
            if fstat(fd, &open) == 0, open.st_nlink > 0, stat(path, &named) == 0, named.st_dev == open.st_dev,
                named.st_ino == open.st_ino
            {
                return fd
            }
            close(fd)
            fd = -1
            reopenedAfterRemoval = true
        }
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty { _ = mkdirAll(folder) }
        let opened = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0o640)
        guard opened >= 0 else {
            throw WriteError(
                path: path,
                message:
                    "cannot open for appending: \(String(cString: strerror(errno))); check that the log directory exists and is writable, or set --log-dir"
            )
        }
        fd = opened
        try repairTail(fd)
        return fd
    }

    /// Set when the log had to be reopened because its path stopped naming the open file; the daemon reports it.
    public private(set) var reopenedAfterRemoval = false

    public func acknowledgeReopen() { reopenedAfterRemoval = false }

    /// Cuts a partial last line off.
    private func repairTail(_ fd: Int32) throws {
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_size > 0 else { return }
        let size = Int64(info.st_size)
        var last: UInt8 = 0
        guard pread(fd, &last, 1, off_t(size - 1)) == 1, last != UInt8(ascii: "\n") else { return }
        var end = size - 1
        let chunk = 65_536
        var buffer = [UInt8](repeating: 0, count: chunk)
        var keep: Int64 = 0
        search: while end > 0 {
            let start = max(0, end - Int64(chunk))
            let count = Int(end - start)
            let read = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, count, off_t(start)) }
            guard read == count else { break }
            for index in stride(from: count - 1, through: 0, by: -1) where buffer[index] == UInt8(ascii: "\n") {
                keep = start + Int64(index) + 1
                break search
            }
            end = start
        }
        guard ftruncate(fd, off_t(keep)) == 0 else {
            throw WriteError(
                path: path, message: "cannot cut off a partial last line: \(String(cString: strerror(errno)))")
        }
        repairedBytes += size - keep
    }

    /// Bytes of partial lines cut off so far (a short write, or a crash in the middle of one).
    public private(set) var repairedBytes: Int64 = 0

    /// The ids of the lines after the line of `lastLogged`, read backwards from the end of the log (and of the
    /// rotated files when that line is not in the current one): the alerts a crash left written but not marked
    /// logged. The database marks alerts in the order they are written, so no unmarked alert is before that line.
    func idsAfter(_ lastLogged: String?) -> Set<String> {
        var (ids, found) = idsInCurrentFile(after: lastLogged)
        guard !found else { return ids }
        // The marked line is not in the current file: the log was rotated since. A batch a crash left written but
        // unmarked may have gone with the rotation, so the rotated files are searched too, newest first, back to
        // the marked line (once after each rotation: the next marked alert is in the new file).
        let rotated = AlertReader(path: path).files.filter { $0 != path }.map { file -> (String, Double) in
            var info = stat()
            return (file, stat(file, &info) == 0 ? Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9 : 0)
        }
        for (file, _) in rotated.sorted(by: { ($0.1, $0.0) > ($1.1, $1.0) }) {
            guard let data = try? AlertReader.contents(of: file) else { continue }
            for line in data.split(separator: UInt8(ascii: "\n")).reversed() {
                guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
                      let id = object["id"] as? String else { continue }
                if id == lastLogged { found = true; break }
                ids.insert(id)
            }
            if found { break }
        }
        return ids
    }

    /// The ids after the line of `lastLogged` in the current file, read backwards from its end, and whether
    /// that line was found.
    private func idsInCurrentFile(after lastLogged: String?) -> (ids: Set<String>, found: Bool) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return ([], false) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return ([], false) }
        var ids = Set<String>()
        var end = Int64(info.st_size)
        var carry: [UInt8] = []
        let chunk = 1 << 18
        func id(of line: ArraySlice<UInt8>) -> String? {
            guard !line.isEmpty, let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any]
            else { return nil }
            return object["id"] as? String
        }
        while end > 0 {
            let start = max(0, end - Int64(chunk))
            var bytes = [UInt8](repeating: 0, count: Int(end - start))
            let read = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(start)) }
            guard read == bytes.count else { return (ids, false) }
            bytes += carry
            // The first piece may be the end of a line that starts in the previous chunk: keep it for then.
            let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            let whole = start == 0 ? lines[...] : lines.dropFirst()
            for line in whole.reversed() {
                guard let found = id(of: line) else { continue }
                if found == lastLogged { return (ids, true) }
                ids.insert(found)
            }
            carry = start == 0 ? [] : Array(lines.first ?? [])
            end = start
        }
        return (ids, false)
    }

    /// Appends lines (each with one write), then flushes them to disk. When a write fails or is cut short, the
    /// file is cut back to where it was, so it never keeps a partial line.
    func append(_ lines: [String]) throws {
        lock.lock()
        defer { lock.unlock() }
        let fd = try descriptor()
        var info = stat()
        let before = fstat(fd, &info) == 0 ? off_t(info.st_size) : -1
        for line in lines {
            var bytes = Array((line + "\n").utf8)
            var done = 0
            while done < bytes.count {
                let written = bytes.withUnsafeMutableBytes { write(fd, $0.baseAddress! + done, $0.count - done) }
                if written < 0, errno == EINTR { continue }
                // A short write is retried for the rest, which then fails with the reason (ENOSPC, EFBIG, EIO).
                guard written > 0 else {
                    let code = errno
                    var reason = written < 0 ? String(cString: strerror(code)) : "nothing written (disk full?)"
                    if written < 0, code == ENOSPC || code == EDQUOT {
                        reason += " (free space on the disk that holds it)"
                    }
                    if before >= 0 { _ = ftruncate(fd, before) }
                    throw WriteError(
                        path: path,
                        message:
                            "cannot append an alert: \(reason); the log was cut back to its last whole line, and the alert stays pending and is logged when writing works again"
                    )
                }
                done += written
            }
            CrashPoint.reach("alert-log-line")
            bytes.removeAll()
        }
        guard fsync(fd) == 0 else {
            let reason = String(cString: strerror(errno))
            if before >= 0 { _ = ftruncate(fd, before) }
            throw WriteError(path: path, message: "cannot flush to disk: \(reason); the alerts stay pending")
        }
    }

    /// Writes every pending alert of the store to the log and to standard error (one line each, with its syslog
    /// priority, for the journal), batch by batch; returns how many were logged. Alerts already in the log after
    /// the last one marked (written before a crash, not yet marked) are marked without being written again.
    @discardableResult
    public func publish(
        _ store: Store, at time: Date = Date(), journal: (Alert) -> Void = { AlertLog.standardError($0.journalLine) }
    ) throws -> Int {
        guard try store.hasPendingAlerts() else { return 0 }
        let seen = idsAfter(try store.lastLoggedAlertID())
        return try store.logPendingAlerts(at: time) { pending in
            let fresh = seen.isEmpty ? pending : pending.filter { !seen.contains($0.id) }
            try append(fresh.map { $0.line })
            for item in fresh {
                if let data = item.line.data(using: .utf8),
                    let alert = try? JSONDecoder().decode(Alert.self, from: data)
                {
                    journal(alert)
                }
            }
        }
    }

    /// Writes one line to standard error.
    public static func standardError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
