import Foundation

/// A whole file or none: written as a dotfile beside its place (`.NAME.part`, which the inbox and node_exporter
/// ignore) and renamed into place, so a reader never sees half of it. The metrics file and fetched downloads go
/// this way; a download is also made `durable` (the file and its folder synced before the caller records that
/// it has these bytes, so a power cut cannot leave `fetch_state` remembering a file the disk never kept).
enum AtomicFile {
    struct Failure: Error, CustomStringConvertible {
        var reason: String
        var description: String { reason }
    }

    static func write(_ bytes: [UInt8], to path: String, mode: mode_t, durable: Bool = false) throws(Failure) {
        let folder = (path as NSString).deletingLastPathComponent
        let temporary = (folder.isEmpty ? "" : folder + "/") + ".\((path as NSString).lastPathComponent).part"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard fd >= 0 else { throw Failure(reason: "cannot write \(temporary): \(String(cString: strerror(errno)))") }
        var failure: String?
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = Foundation.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0, errno == EINTR { continue }
                guard n > 0 else { failure = String(cString: strerror(errno)); return }
                offset += n
            }
        }
        if failure == nil, durable, fsync(fd) != 0 { failure = String(cString: strerror(errno)) }
        fchmod(fd, mode)
        close(fd)
        if let failure {
            unlink(temporary)
            throw Failure(reason: "cannot write \(temporary): \(failure)")
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw Failure(reason: "cannot move \(temporary) to \(path): \(reason)")
        }
        if durable {
            let directory = open(folder.isEmpty ? "." : folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            if directory >= 0 { fsync(directory); close(directory) }
        }
    }
}
