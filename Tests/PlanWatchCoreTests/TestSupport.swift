import Foundation
import Testing

@testable import PlanWatchCore

/// Fixture files live beside the tests and are read through `#filePath`, so no SwiftPM resources are needed.
enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appending(path: "Fixtures")

    /// The repository root (two levels above this test target).
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: directory.appending(path: name)))
    }

    /// A fixture as a `ConfigFile` whose path is its bare name, as messages show it.
    static func configFile(_ name: String) throws -> ConfigFile {
        ConfigFile(path: name, bytes: try bytes(name))
    }
}

/// A deterministic generator (SplitMix64), so a failing chunking can be reproduced from its seed.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A CSV record as plain values, so whole files compare with `==`.
struct ReadRecord: Equatable, CustomStringConvertible {
    var number: Int
    var line: Int
    var fields: [[UInt8]]

    init(number: Int, line: Int, fields: [[UInt8]]) {
        self.number = number
        self.line = line
        self.fields = fields
    }

    init(_ number: Int, line: Int, _ fields: [String]) {
        self.init(number: number, line: line, fields: fields.map { Array($0.utf8) })
    }

    init(_ record: CSVRecord) {
        self.init(number: record.number, line: record.line, fields: (0..<record.count).map { Array(record.field($0)) })
    }

    var description: String {
        "#\(number)@\(line) \(fields.map { String(decoding: $0, as: UTF8.self).debugDescription })"
    }
}

/// Reads `bytes` with a fresh reader, feeding it in chunks of the given sizes (the rest in one last chunk).
func readCSV(_ bytes: [UInt8], chunks: [Int] = [], delimiter: UInt8 = UInt8(ascii: ",")) throws -> [ReadRecord] {
    var reader = CSVReader(delimiter: delimiter)
    var records: [ReadRecord] = []
    var offset = 0
    var sizes = chunks[...]
    while offset < bytes.count {
        let size = min(sizes.popFirst() ?? bytes.count, bytes.count - offset)
        try bytes[offset..<offset + size].withUnsafeBytes { chunk in
            try reader.feed(chunk) { records.append(ReadRecord($0)) }
        }
        offset += size
    }
    try reader.finish { records.append(ReadRecord($0)) }
    return records
}

func readCSV(_ text: String, chunks: [Int] = [], delimiter: UInt8 = UInt8(ascii: ",")) throws -> [ReadRecord] {
    try readCSV(Array(text.utf8), chunks: chunks, delimiter: delimiter)
}

/// Random chunk sizes from 0 to 7 bytes (empty chunks included) that cover `count` bytes.
func randomChunks(count: Int, seed: UInt64) -> [Int] {
    var generator = SeededGenerator(seed: seed)
    var sizes: [Int] = []
    var total = 0
    while total < count {
        let size = Int.random(in: 0...7, using: &generator)
        sizes.append(size)
        total += size
    }
    return sizes
}
