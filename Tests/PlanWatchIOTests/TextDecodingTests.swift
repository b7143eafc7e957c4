import Foundation
import Testing

@testable import PlanWatchSetup
@testable import PlanWatchHTTP
@testable import PlanWatchIngest
@testable import PlanWatchFetch
@testable import PlanWatchOutputs
@testable import PlanWatchDaemon

@Suite("Text decoding")
struct TextDecodingTests {
    static func validate(_ bytes: [UInt8], chunk: Int) -> UTF8Validator {
        var validator = UTF8Validator()
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + chunk)
            bytes[start..<end].withUnsafeBytes { validator.feed($0) }
            start = end
        }
        validator.finish()
        return validator
    }

    @Test(arguments: [1, 3, 8, 13, 4096])
    func findsTheFirstInvalidByteAndItsLineWhateverTheChunking(chunk: Int) {
        // 3 lines of ASCII (one "\n" followed by a vertical tab, which a borrowing zero-byte test would miscount),
        // valid Chinese on line 4, then an invalid byte at line 5.
        let text = Array("indicator,region,period,value\n\u{0B}gdp,CN-AH,2023,47100\nxxxxxxxxxxxxxxxx\n安徽省,城镇化率\n".utf8)
        let bytes = text + [0x61, 0xFF, 0x0A]
        let validator = TextDecodingTests.validate(bytes, chunk: chunk)
        #expect(!validator.isValid)
        #expect(validator.firstInvalid?.line == 5)
        #expect(validator.firstInvalid?.offset == Int64(text.count + 1))
        #expect(TextDecodingTests.validate(text, chunk: chunk).isValid)
    }

    @Test func rejectsOverlongSurrogatesAndCutSequences() {
        for bad: [UInt8] in [[0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE5, 0xB9]] {
            #expect(!TextDecodingTests.validate(bad, chunk: 1).isValid, "\(bad)")
        }
    }

    @Test func decodesGB18030AcrossChunkBoundaries() throws {
        let gb: [UInt8] = [0xB1, 0xB1, 0xBE, 0xA9, 0xCA, 0xD0, 0x0A]  // 北京市\n
        for split in 1..<gb.count {
            let decoder = try #require(GB18030Decoder())
            var out: [UInt8] = []
            try gb[..<split].withUnsafeBytes { try decoder.decode($0) { out.append(contentsOf: $0) } }
            try gb[split...].withUnsafeBytes { try decoder.decode($0) { out.append(contentsOf: $0) } }
            try decoder.finish()
            #expect(String(decoding: out, as: UTF8.self) == "北京市\n", "split at \(split)")
        }
    }

    @Test(arguments: [("a,b;c;d\n", UInt8(ascii: ";")), ("a,b,c\n", UInt8(ascii: ",")), ("\"x;y;z\",b\n", UInt8(ascii: ",")), ("a\tb\tc\n", 0x09)])
    func detectsTheSeparatorOutsideQuotes(line: String, separator: UInt8) {
        #expect(Array(line.utf8).withUnsafeBytes { detectDelimiter($0) } == separator)
    }
}
