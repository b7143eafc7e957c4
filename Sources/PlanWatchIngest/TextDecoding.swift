import Foundation
import PlanWatchSetup

#if canImport(Glibc)
    import Glibc
#endif

/// Checks bytes for valid UTF-8 as they stream past (a sequence may straddle chunks), remembering where the
/// first invalid byte is.
package struct UTF8Validator {
    private(set) var isValid = true
    /// Byte offset and 1-based line of the first invalid byte.
    private(set) var firstInvalid: (offset: Int64, line: Int)?
    private var pending = 0
    private var offset: Int64 = 0
    private var line = 1
    private var lower: UInt8 = 0x80
    private var upper: UInt8 = 0xBF

    package mutating func feed(_ chunk: UnsafeRawBufferPointer) {
        guard isValid else { return }
        var start = 0
        // ASCII runs eight bytes at a time: most of a CSV file is ASCII, and only lines need counting there.
        if pending == 0 {
            while start + 8 <= chunk.count {
                let word = chunk.loadUnaligned(fromByteOffset: start, as: UInt64.self)
                if word & 0x8080_8080_8080_8080 != 0 { break }
                let newlines = word ^ 0x0A0A_0A0A_0A0A_0A0A
                // A byte of `newlines` is zero exactly where the input byte was '\n'; the carry-free test marks
                // each zero byte's high bit (no borrow crosses bytes, so the count is exact).
                let low = 0x7F7F_7F7F_7F7F_7F7F as UInt64
                let zeroes = ~(((newlines & low) &+ low) | newlines) & 0x8080_8080_8080_8080
                line += zeroes.nonzeroBitCount
                start += 8
            }
            offset += Int64(start)
        }
        for byte in UnsafeRawBufferPointer(rebasing: chunk[start...]) {
            defer { offset += 1 }
            if pending == 0 {
                if byte < 0x80 {
                    if byte == 0x0A { line += 1 }
                    continue
                }
                lower = 0x80
                upper = 0xBF
                switch byte {
                case 0xC2...0xDF: pending = 1
                case 0xE0: pending = 2; lower = 0xA0
                case 0xE1...0xEC, 0xEE...0xEF: pending = 2
                case 0xED: pending = 2; upper = 0x9F
                case 0xF0: pending = 3; lower = 0x90
                case 0xF1...0xF3: pending = 3
                case 0xF4: pending = 3; upper = 0x8F
                default: fail(); return
                }
            } else {
                guard byte >= lower, byte <= upper else { fail(); return }
                lower = 0x80
                upper = 0xBF
                pending -= 1
            }
        }
    }

    /// Ends the input: a sequence cut off at the end is invalid too.
    package mutating func finish() {
        if isValid, pending > 0 { fail() }
    }

    private mutating func fail() {
        isValid = false
        firstInvalid = (offset, line)
    }
}

/// Transcodes GB18030 (and its subset GBK, what Excel on Chinese Windows writes) to UTF-8 chunk by chunk with
/// glibc's iconv, which is about three times faster than Foundation's decoder (PLATFORM.md); a multi-byte
/// character cut by a chunk boundary is carried to the next chunk.
package final class GB18030Decoder {
    /// `bytes` read as GB18030 (a Windows file name in GBK), or nil when they are not valid GB18030.
    package static func text(_ bytes: [UInt8]) -> String? {
        guard let decoder = GB18030Decoder() else { return nil }
        var out: [UInt8] = []
        do {
            try bytes.withUnsafeBytes { try decoder.decode($0) { out.append(contentsOf: $0) } }
            try decoder.finish()
        } catch {
            return nil
        }
        return String(validating: out, as: UTF8.self)
    }

    package struct InvalidBytes: Error {
        package var offset: Int64
        package var line: Int
    }

    private let converter: iconv_t
    private var carry: [UInt8] = []
    private var offset: Int64 = 0
    private var line = 1
    private var output: [UInt8] = []

    package init?() {
        converter = iconv_open("UTF-8", "GB18030")
        if converter == iconv_t(bitPattern: -1) { return nil }
    }

    deinit {
        iconv_close(converter)
    }

    /// Converts `chunk` (after any carried bytes) and hands the UTF-8 to `body`.
    package func decode(_ chunk: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        var input = carry
        input.append(contentsOf: chunk)
        carry.removeAll(keepingCapacity: true)
        if output.count < input.count * 2 + 16 { output = [UInt8](repeating: 0, count: input.count * 2 + 16) }
        var consumed = 0
        var produced = 0
        try input.withUnsafeMutableBytes { inBytes in
            try output.withUnsafeMutableBytes { outBytes in
                var inPointer = inBytes.baseAddress?.assumingMemoryBound(to: CChar.self)
                var inLeft = inBytes.count
                var outPointer = outBytes.baseAddress?.assumingMemoryBound(to: CChar.self)
                var outLeft = outBytes.count
                let result = iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft)
                consumed = inBytes.count - inLeft
                produced = outBytes.count - outLeft
                if result == -1, errno == EILSEQ {
                    let before = UnsafeRawBufferPointer(rebasing: inBytes[0..<consumed])
                    throw InvalidBytes(
                        offset: offset + Int64(consumed), line: line + before.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) })
                }
                // EINVAL: an incomplete character at the end, carried over below.
            }
        }
        for byte in input[0..<consumed] where byte == 0x0A { line += 1 }
        offset += Int64(consumed)
        carry.append(contentsOf: input[consumed...])
        try output.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[0..<produced])) }
    }

    /// Ends the input; bytes still carried are an incomplete character.
    package func finish() throws {
        if !carry.isEmpty { throw InvalidBytes(offset: offset, line: line) }
    }
}

/// The field separator: `;` or a tab when the first line holds more of them (outside quotes) than commas.
package func detectDelimiter(_ bytes: UnsafeRawBufferPointer) -> UInt8 {
    var counts: [UInt8: Int] = [UInt8(ascii: ","): 0, UInt8(ascii: ";"): 0, 0x09: 0]
    var quoted = false
    for byte in bytes {
        if byte == UInt8(ascii: "\"") { quoted.toggle() }
        if !quoted, byte == 0x0A || byte == 0x0D { break }
        if !quoted, counts[byte] != nil { counts[byte]! += 1 }
    }
    let best = counts.max {
        ($0.value, $0.key == UInt8(ascii: ",") ? 1 : 0) < ($1.value, $1.key == UInt8(ascii: ",") ? 1 : 0)
    }!
    return best.value > 0 ? best.key : UInt8(ascii: ",")
}
