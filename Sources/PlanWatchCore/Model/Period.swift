/// How often an indicator is published, and so which periods it has.
public enum Frequency: String, Sendable, Codable, CaseIterable {
    case annual, quarterly, monthly

    /// Periods in a year.
    public var count: Int {
        switch self {
        case .annual: 1
        case .quarterly: 4
        case .monthly: 12
        }
    }
}

/// A statistical period: a year, a quarter or a month (`2024`, `2024-Q3`, `2024-07`).
public struct Period: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let year: Int
    public let frequency: Frequency
    /// 1-based quarter or month; 1 for a year.
    public let index: Int

    public init(year: Int, frequency: Frequency = .annual, index: Int = 1) {
        self.year = year
        self.frequency = frequency
        self.index = index
    }

    /// Parses `2024`, `2024年`, `2024-Q3`, `2024Q3`, `2024-07`, `2024-7` and `2024M07`; nil for anything else.
    public init?(parsing text: some StringProtocol) {
        self.init(bytes: ArraySlice(text.utf8))
    }

    /// Parses a period from a cell's bytes, without building a String (the ingest hot path).
    public init?(bytes cell: ArraySlice<UInt8>) {
        var bytes = cell
        while let last = bytes.last, last == 0x20 || last == 0x09 { bytes.removeLast() }
        while let first = bytes.first, first == 0x20 || first == 0x09 { bytes.removeFirst() }
        if bytes.count == 7, bytes[(bytes.startIndex + 4)...].elementsEqual([0xE5, 0xB9, 0xB4]) { bytes.removeLast(3) }  // 年
        let start = bytes.startIndex
        guard bytes.count >= 4, let year = Period.digits(bytes[start..<(start + 4)]), year >= 1000 else { return nil }
        if bytes.count == 4 {
            self.init(year: year)
            return
        }
        var rest = bytes[(start + 4)...]
        // A month needs its '-' or 'M': bare digits after the year (`20245`, `202407`) are a typo, not a month.
        var separated = false
        if rest.first == UInt8(ascii: "-") {
            rest = rest.dropFirst()
            separated = true
        }
        if let mark = rest.first, mark == UInt8(ascii: "Q") || mark == UInt8(ascii: "q") {
            guard rest.count == 2, let quarter = Period.digits(rest.dropFirst()), (1...4).contains(quarter) else {
                return nil
            }
            self.init(year: year, frequency: .quarterly, index: quarter)
            return
        }
        if let mark = rest.first, mark == UInt8(ascii: "M") || mark == UInt8(ascii: "m") {
            rest = rest.dropFirst()
            separated = true
        }
        guard separated, (1...2).contains(rest.count), let month = Period.digits(rest), (1...12).contains(month) else {
            return nil
        }
        self.init(year: year, frequency: .monthly, index: month)
    }

    private static func digits(_ bytes: ArraySlice<UInt8>) -> Int? {
        var value = 0
        for byte in bytes {
            guard byte >= 0x30, byte <= 0x39 else { return nil }
            value = value * 10 + Int(byte - 0x30)
        }
        return bytes.isEmpty ? nil : value
    }

    /// The period as a point in time for pace and projection: the year plus `(index − 1) / count` (SPEC §5).
    public var time: Double { Double(year) + Double(index - 1) / Double(frequency.count) }

    /// A compact integer that sorts like the period within one frequency, used as the database key.
    public var key: Int {
        switch frequency {
        case .annual: year * 1000
        case .quarterly: year * 1000 + 100 + index
        case .monthly: year * 1000 + 200 + index
        }
    }

    /// The inverse of `key`.
    public init?(key: Int) {
        let year = key / 1000
        let rest = key % 1000
        switch rest {
        case 0: self.init(year: year)
        case 101...104: self.init(year: year, frequency: .quarterly, index: rest - 100)
        case 201...212: self.init(year: year, frequency: .monthly, index: rest - 200)
        default: return nil
        }
    }

    /// The period before this one, of the same frequency.
    public var previous: Period {
        index > 1
            ? Period(year: year, frequency: frequency, index: index - 1)
            : Period(year: year - 1, frequency: frequency, index: frequency.count)
    }

    /// The period after this one, of the same frequency.
    public var next: Period {
        index < frequency.count
            ? Period(year: year, frequency: frequency, index: index + 1)
            : Period(year: year + 1, frequency: frequency, index: 1)
    }

    /// The first day after the period ends.
    public var endExclusive: CalendarDate {
        let next = self.next
        let firstMonth = (next.index - 1) * (12 / next.frequency.count) + 1
        return CalendarDate(year: next.year, month: firstMonth, day: 1)
    }

    public var description: String {
        switch frequency {
        case .annual: String(year)
        case .quarterly: "\(year)-Q\(index)"
        case .monthly: index < 10 ? "\(year)-0\(index)" : "\(year)-\(index)"
        }
    }

    public static func < (lhs: Period, rhs: Period) -> Bool {
        lhs.time != rhs.time ? lhs.time < rhs.time : lhs.frequency.count < rhs.frequency.count
    }
}
