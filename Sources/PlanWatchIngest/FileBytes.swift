import Crypto
import Foundation
import PlanWatchSetup

#if canImport(Glibc)
    import Glibc
#endif

/// Reads a file in fixed chunks with `read(2)`, so memory stays flat whatever the file's size.
package enum FileBytes {
    package static let chunkSize = 1 << 20

    package struct ReadError: Error, CustomStringConvertible {
        package var path: String
        package var message: String
        package var errno: Int32 = 0
        package var description: String { "\(path): \(message)" }
    }

    /// Calls `body` with each chunk of the file at `path` in order.
    package static func forEachChunk(_ path: String, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let file = try OpenedFile(path: path)
        defer { file.close() }
        try forEachChunk(file, body)
    }

    /// Calls `body` with each chunk of the open file, from its start (`pread`, so passes over one descriptor do
    /// not disturb each other).
    package static func forEachChunk(_ file: OpenedFile, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        var offset: off_t = 0
        while true {
            let count = pread(file.fd, buffer.baseAddress, chunkSize, offset)
            if count < 0 {
                if errno == EINTR { continue }
                throw ReadError(path: file.path, message: "cannot read: \(String(cString: strerror(errno)))")
            }
            if count == 0 { return }
            offset += off_t(count)
            try body(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
        }
    }

    /// The SHA-256 of the file's content, as lowercase hex, and its size; `inspect` sees every chunk too.
    package static func sha256(
        _ file: OpenedFile, also inspect: (UnsafeRawBufferPointer) -> Void = { _ in }
    ) throws -> (hex: String, size: Int64) {
        var hasher = SHA256()
        var size: Int64 = 0
        try forEachChunk(file) { chunk in
            hasher.update(bufferPointer: chunk)
            inspect(chunk)
            size += Int64(chunk.count)
        }
        return (hex(hasher.finalize()), size)
    }

    /// The SHA-256 and size of the file as stored (a gzip file's compressed bytes: its identity), while `content`
    /// sees its text (a gzip file's decompressed bytes), in one pass.
    package static func sha256(
        _ file: OpenedFile, limit: Int64, content: (UnsafeRawBufferPointer) -> Void
    ) throws -> (hex: String, size: Int64) {
        var hasher = SHA256()
        var size: Int64 = 0
        try forEachContentChunk(file, limit: limit, raw: { chunk in
            hasher.update(bufferPointer: chunk)
            size += Int64(chunk.count)
        }, content)
        return (hex(hasher.finalize()), size)
    }

    /// Whether a chunk starts a gzip stream (RFC 1952's magic bytes 1f 8b).
    package static func isGzip(_ chunk: UnsafeRawBufferPointer) -> Bool {
        chunk.count >= 2 && chunk[0] == 0x1F && chunk[1] == 0x8B
    }

    /// Calls `body` with each chunk of the file's text (and `raw` with each chunk as stored): its bytes, or for a
    /// gzip file (`*.csv.gz`, recognised by its first bytes) the decompressed stream, inflated chunk by chunk so
    /// memory stays flat. A gzip stream that ends early or is damaged is an error naming the fault; one that expands
    /// past `limit` bytes is refused, so a small file cannot fill the disk or memory (a "zip bomb").
    package static func forEachContentChunk(
        _ file: OpenedFile, limit: Int64, raw: (UnsafeRawBufferPointer) -> Void = { _ in },
        _ body: (UnsafeRawBufferPointer) throws -> Void
    ) throws {
        var decoder: GzipDecoder?
        var first = true
        var expanded: Int64 = 0
        try forEachChunk(file) { chunk in
            raw(chunk)
            if first {
                first = false
                if isGzip(chunk) { decoder = try GzipDecoder() }
            }
            guard let decoder else { return try body(chunk) }
            do {
                try decoder.feed(chunk) { output in
                    expanded += Int64(output.count)
                    if expanded > limit {
                        throw ReadError(
                            path: file.path,
                            message:
                                "the gzip data expands past ingest.max_file_size (\(limit) bytes); split it, or raise max_file_size if it is genuine"
                        )
                    }
                    try body(output)
                }
            } catch let error as GzipDecoder.Failure {
                throw ReadError(path: file.path, message: "\(error); download or compress it again")
            }
        }
        if let decoder {
            do {
                try decoder.finish()
            } catch {
                throw ReadError(path: file.path, message: "\(error): the file was cut short; fetch or copy it again")
            }
        }
    }

    package static func hex(_ digest: SHA256.Digest) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(64)
        for byte in digest {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// A file opened once for an ingest: every pass reads through this descriptor, so what was checked (a regular
/// file, one link, its size) is what is read, whatever happens to the name meanwhile (SPEC §7).
public struct OpenedFile: Sendable {
    public let path: String
    public let fd: Int32
    /// What `fstat` said right after opening.
    public let status: FileStatus

    public struct FileStatus: Equatable, Sendable {
        public var device: UInt64
        public var inode: UInt64
        public var mode: UInt32
        public var links: UInt64
        public var size: Int64
        public var modified: Int64
        public var modifiedNanoseconds: Int64
        public var owner: UInt32

        package init(_ info: stat) {
            device = UInt64(info.st_dev)
            inode = UInt64(info.st_ino)
            mode = UInt32(info.st_mode)
            links = UInt64(info.st_nlink)
            size = Int64(info.st_size)
            modified = Int64(info.st_mtim.tv_sec)
            modifiedNanoseconds = Int64(info.st_mtim.tv_nsec)
            owner = UInt32(info.st_uid)
        }

        public var isRegularFile: Bool { mode & UInt32(S_IFMT) == UInt32(S_IFREG) }
    }

    /// Opens without blocking (a FIFO swapped in cannot hang the daemon) and, unless `followLinks` (a path a
    /// user named on the command line), without following a link.
    public init(path: String, followLinks: Bool = false) throws {
        let fd = Glibc.open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | (followLinks ? 0 : O_NOFOLLOW))
        guard fd >= 0 else {
            throw FileBytes.ReadError(
                path: path, message: "cannot open: \(String(cString: strerror(errno)))", errno: errno)
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let code = errno
            Glibc.close(fd)
            throw FileBytes.ReadError(
                path: path, message: "cannot read its status: \(String(cString: strerror(code)))", errno: code)
        }
        self.path = path
        self.fd = fd
        status = FileStatus(info)
    }

    /// What `fstat` says now.
    public func current() -> FileStatus? {
        var info = stat()
        return fstat(fd, &info) == 0 ? FileStatus(info) : nil
    }

    public func close() { _ = Glibc.close(fd) }
}
