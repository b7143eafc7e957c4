import CPlanWatchZlib
import Foundation
import PlanWatchSetup

/// Streaming gzip decompression on the system zlib: bytes in as they are read, bytes out, memory bounded by the
/// chunk sizes. Handles concatenated members (what `cat a.gz b.gz` and some log rotators produce). zlib is used
/// directly rather than a package: it is in every Debian system, and the three calls needed are a few lines.
public final class GzipDecoder {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Heap-allocated: zlib keeps a pointer back to its stream and refuses one that moved.
    private let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
    private var buffer = [UInt8](repeating: 0, count: 64 * 1024)
    private var finished = false
    private var started = false

    public init() throws(Failure) {
        stream.initialize(to: z_stream())
        // 15 + 16: a window of 32 KiB and the gzip wrapper only (not raw deflate or zlib).
        let status = inflateInit2_(stream, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            stream.deallocate()
            throw Failure(description: "cannot start gzip decompression (zlib status \(status))")
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deallocate()
    }

    /// Decompresses `input` (the next bytes of the file), calling `output` with each piece produced.
    public func feed(_ input: UnsafeRawBufferPointer, _ output: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard let base = input.baseAddress, input.count > 0 else { return }
        started = true
        stream.pointee.next_in = UnsafeMutablePointer(mutating: base.assumingMemoryBound(to: Bytef.self))
        stream.pointee.avail_in = uInt(input.count)
        let capacity = buffer.count
        try buffer.withUnsafeMutableBytes { out in
            let start = out.baseAddress!.assumingMemoryBound(to: Bytef.self)
            /// One inflate call into the buffer, its output handed on; the status and how much it produced.
            func step() throws -> (status: Int32, produced: Int) {
                stream.pointee.next_out = start
                stream.pointee.avail_out = uInt(capacity)
                let status = inflate(stream, Z_NO_FLUSH)
                // Z_BUF_ERROR: no progress possible, which only happens once the input is used up.
                if status == Z_BUF_ERROR, stream.pointee.avail_in == 0 { return (status, 0) }
                guard status == Z_OK || status == Z_STREAM_END else {
                    let reason = stream.pointee.msg.map { String(cString: $0) } ?? "zlib status \(status)"
                    throw Failure(description: "not valid gzip data (\(reason))")
                }
                let produced = capacity - Int(stream.pointee.avail_out)
                if produced > 0 { try output(UnsafeRawBufferPointer(rebasing: out[0..<produced])) }
                if status == Z_STREAM_END { finished = true }
                return (status, produced)
            }
            while stream.pointee.avail_in > 0 {
                if finished {
                    // Another member follows the one that ended.
                    guard inflateReset(stream) == Z_OK else {
                        throw Failure(description: "cannot read the next gzip member")
                    }
                    finished = false
                }
                _ = try step()
            }
            // Input is used up; drain what zlib still holds for this input.
            while !finished {
                let (status, produced) = try step()
                if status == Z_BUF_ERROR || produced == 0 { break }
            }
        }
    }

    /// Checks that the data ended where a gzip member ends, not in the middle of one.
    public func finish() throws(Failure) {
        guard started else { throw Failure(description: "the gzip data is empty") }
        guard finished else { throw Failure(description: "the gzip data is truncated") }
    }

    /// The whole decompressed content of `data`.
    public static func decompress(_ data: Data) throws -> Data {
        let decoder = try GzipDecoder()
        var result = Data()
        try data.withUnsafeBytes { bytes in try decoder.feed(bytes) { result.append(contentsOf: $0) } }
        try decoder.finish()
        return result
    }
}
