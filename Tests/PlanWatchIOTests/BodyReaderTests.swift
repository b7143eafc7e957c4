import Testing

@testable import PlanWatchSetup
@testable import PlanWatchHTTP
@testable import PlanWatchIngest
@testable import PlanWatchFetch
@testable import PlanWatchOutputs
@testable import PlanWatchDaemon

/// `BodyReader`, the framing of an HTTP answer's body, fed the way sockets deliver: in pieces that split size
/// lines, CRLFs and chunks anywhere.
@Suite("BodyReader")
struct BodyReaderTests {
    static let chunked = Array("7\r\nindicat\r\n1d;note=x\r\nor,region,period,value,source\r\n0\r\n\r\n".utf8)

    /// Feeds `bytes` in pieces of `size` (0: all at once); returns what was delivered and whether it ended.
    static func read(_ bytes: [UInt8], headers: [String: String], pieces size: Int, limit: Int = 1 << 20) throws(HTTPClient.Failure) -> (body: String, done: Bool) {
        var reader = BodyReader(headers: headers, limit: limit)
        var body: [UInt8] = []
        let step = size == 0 ? max(1, bytes.count) : size
        var index = 0
        while index < bytes.count, !reader.isDone {
            let piece = Array(bytes[index..<min(bytes.count, index + step)])
            var failure: HTTPClient.Failure?
            piece.withUnsafeBytes { chunk in
                do throws(HTTPClient.Failure) { try reader.feed(chunk) { (part) throws(HTTPClient.Failure) in body += part } } catch { failure = error }
            }
            if let failure { throw failure }
            index += step
        }
        if !reader.isDone { try reader.finish() }
        return (String(decoding: body, as: UTF8.self), reader.isDone)
    }

    @Test(arguments: [0, 1, 2, 3, 5, 8])
    func chunksSplitAnywhereJoinUp(pieces: Int) throws {
        let result = try Self.read(Self.chunked, headers: ["transfer-encoding": "chunked"], pieces: pieces)
        #expect(result.body == "indicator,region,period,value,source")
        #expect(result.done)
    }

    @Test func aLengthStopsTheBodyAndASurplusIsNotRead() throws {
        let result = try Self.read(Array("0123456789tail".utf8), headers: ["content-length": "10"], pieces: 3)
        #expect(result.body == "0123456789")
    }

    @Test func answersThatEndEarlyAreCutShort() {
        #expect(throws: HTTPClient.Failure(description: "the answer was cut short: 4 of 10 bytes")) {
            try Self.read(Array("0123".utf8), headers: ["content-length": "10"], pieces: 0)
        }
        #expect(throws: HTTPClient.Failure(description: "the answer was cut short inside a chunk")) {
            try Self.read(Array("a\r\n01234".utf8), headers: ["transfer-encoding": "chunked"], pieces: 2)
        }
        #expect(throws: HTTPClient.Failure(description: "the answer was cut short (a chunk without its size line)")) {
            try Self.read(Array("2\r\nab\r\n".utf8), headers: ["transfer-encoding": "chunked"], pieces: 1)
        }
        #expect(throws: HTTPClient.Failure(description: "the answer has a bad chunk size 'zz'")) {
            try Self.read(Array("zz\r\nab\r\n".utf8), headers: ["transfer-encoding": "chunked"], pieces: 1)
        }
    }

    @Test func aBodyPastTheLimitIsRefusedAndOneWithoutFramingEndsWithTheConnection() throws {
        #expect(throws: HTTPClient.Failure(description: "the answer is larger than 5 bytes")) {
            try Self.read(Array("0123456789".utf8), headers: [:], pieces: 4, limit: 5)
        }
        let result = try Self.read(Array("all of it".utf8), headers: [:], pieces: 4)
        #expect(result.body == "all of it" && result.done)
    }
}
