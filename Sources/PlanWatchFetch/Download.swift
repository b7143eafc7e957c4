import Crypto
import Foundation
import PlanWatchStore
import PlanWatchSetup
import PlanWatchHTTP
import PlanWatchIngest

/// A download on its way into the inbox, written as it arrives so memory stays flat: into the dotfile
/// `.SOURCE.fetching.part` in the inbox (which the daemon ignores), locked so that two fetches of one source never
/// write it at once, removed when nothing of it is kept, and taken up again (truncated) by the next fetch after a
/// crash. Its SHA-256 and first bytes are
/// taken on the way; then it is either dropped, synced and renamed whole to its name in the inbox, or discarded.
final class Download {
    let path: String
    private let fd: Int32
    private var hasher = SHA256()
    private(set) var size = 0
    /// The first bytes, which say whether it is a zip or a gzip file.
    private(set) var head: [UInt8] = []

    /// Opens (or takes up) the source's download file in `inbox`.
    init(inbox: String, source: String) throws(HTTPClient.Failure) {
        path = inbox + "/.\(source).fetching.part"
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o640)
        guard fd >= 0 else {
            let reason = String(cString: strerror(errno))
            let hint = access(inbox, W_OK) != 0 ? "; run as a member of the inbox's group (planwatch-drop)" : ""
            throw HTTPClient.Failure(
                description: "cannot drop into the inbox \(inbox): cannot write \(path): \(reason)\(hint)")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw HTTPClient.Failure(
                description: "another planwatch fetch is fetching \(source) right now (\(path) is locked)")
        }
        guard ftruncate(fd, 0) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw HTTPClient.Failure(description: "cannot write \(path): \(reason)")
        }
    }

    deinit { close(fd) }

    /// Appends what arrived.
    func append(_ chunk: UnsafeRawBufferPointer) throws(HTTPClient.Failure) {
        guard let base = chunk.baseAddress, !chunk.isEmpty else { return }
        if head.count < 4 { head += chunk.prefix(4 - head.count) }
        hasher.update(bufferPointer: chunk)
        var offset = 0
        while offset < chunk.count {
            let written = write(fd, base + offset, chunk.count - offset)
            if written < 0, errno == EINTR { continue }
            guard written > 0 else {
                throw HTTPClient.Failure(description: "cannot write \(path): \(String(cString: strerror(errno)))")
            }
            offset += written
        }
        size += chunk.count
    }

    /// Copies a shared folder's file in, 1 MiB at a time; refuses one past `limit` bytes. Returns the file's
    /// modification time.
    func copy(from source: String, limit: Int) throws(HTTPClient.Failure) -> Double {
        let input = open(source, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else {
            throw HTTPClient.Failure(
                description: FileAccess.denied(source)
                    ?? "\(source) cannot be read (missing, or the share is not mounted)")
        }
        defer { close(input) }
        var info = stat()
        fstat(input, &info)
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw HTTPClient.Failure(description: "\(source) is not a regular file")
        }
        guard Int(info.st_size) <= limit else {
            throw HTTPClient.Failure(description: "\(source) is larger than ingest.max_file_size (\(limit) bytes)")
        }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = read(input, &buffer, buffer.count)
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else {
                throw HTTPClient.Failure(description: "cannot read \(source): \(String(cString: strerror(errno)))")
            }
            if count == 0 { break }
            guard size + count <= limit else {
                throw HTTPClient.Failure(description: "\(source) is larger than ingest.max_file_size (\(limit) bytes)")
            }
            var failure: HTTPClient.Failure?
            buffer[0..<count].withUnsafeBytes { chunk in
                do throws(HTTPClient.Failure) { try append(chunk) } catch { failure = error }
            }
            if let failure { throw failure }
        }
        return Double(info.st_mtim.tv_sec)
    }

    /// The SHA-256 of what was written, in hex.
    var digest: String { FileBytes.hex(hasher.finalize()) }

    /// Removes the file: nothing of it reaches the inbox.
    func discard() {
        unlink(path)
    }

    /// Syncs the file, renames it to `name` in the inbox and syncs the inbox: whole, and kept through a power cut,
    /// before the caller records that the inbox has it.
    func drop(as name: String) throws(HTTPClient.Failure) {
        let folder = (path as NSString).deletingLastPathComponent
        guard fsync(fd) == 0 else {
            throw HTTPClient.Failure(description: "cannot write \(path): \(String(cString: strerror(errno)))")
        }
        fchmod(fd, 0o640)
        guard rename(path, folder + "/" + name) == 0 else {
            throw HTTPClient.Failure(
                description: "cannot move \(path) to \(folder)/\(name): \(String(cString: strerror(errno)))")
        }
        let directory = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directory >= 0 { fsync(directory); close(directory) }
    }
}
