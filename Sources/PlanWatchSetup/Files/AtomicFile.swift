import Foundation

/// A whole file or none: written as a dotfile beside its place (`.NAME.part`, which node_exporter ignores) and
/// renamed into place, so a reader never sees half of it: the metrics file. (A fetched file, which may be large,
/// is streamed to disk by `Download`, which syncs it and its folder the same way before the rename is recorded.)
package enum AtomicFile {
    package struct Failure: Error, CustomStringConvertible {
        package var reason: String
        package var description: String { reason }
    }

    package static func write(_ bytes: [UInt8], to path: String, mode: mode_t) throws(Failure) {
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
    }
}
