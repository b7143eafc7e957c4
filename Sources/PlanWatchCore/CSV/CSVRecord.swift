/// One CSV record: its fields as raw bytes, and where it starts in the file.
public struct CSVRecord: Sendable {
    /// The record's number, counting the header as 1 and blank lines as records (a spreadsheet's row number).
    public internal(set) var number = 0
    /// The physical line the record starts on (differs from `number` after fields with line breaks).
    public internal(set) var line = 1
    var bytes: [UInt8] = []
    var ends: [Int] = []

    public init() {}

    /// Builds a record from strings, for tests and generated rows.
    public init(_ fields: [String], number: Int = 1, line: Int = 1) {
        for field in fields {
            bytes.append(contentsOf: field.utf8)
            ends.append(bytes.count)
        }
        self.number = number
        self.line = line
    }

    /// The number of fields.
    public var count: Int { ends.count }

    /// The bytes of field `index` (0-based).
    public func field(_ index: Int) -> ArraySlice<UInt8> {
        bytes[(index == 0 ? 0 : ends[index - 1])..<ends[index]]
    }

    /// Field `index` as text, or nil when its bytes are not valid UTF-8.
    public func string(_ index: Int) -> String? {
        String(validating: field(index), as: UTF8.self)
    }

    /// Every field as text, invalid UTF-8 replaced by U+FFFD.
    public var strings: [String] {
        (0..<count).map { String(decoding: field($0), as: UTF8.self) }
    }

    mutating func reset() {
        bytes.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
    }
}

/// A file that is not well-formed CSV at a given place.
public struct CSVSyntaxError: Error, Equatable, Sendable, CustomStringConvertible {
    public var row: Int
    public var line: Int
    /// 1-based field number.
    public var column: Int
    public var message: String

    public var description: String { "row \(row) (line \(line)), field \(column): \(message)" }
}
