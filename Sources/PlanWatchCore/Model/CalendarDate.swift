/// A day in the proleptic Gregorian calendar, without time zone: as-of dates, plan issue dates, staleness.
public struct CalendarDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY-MM-DD`; nil when the text is not a real date.
    public init?(parsing text: some StringProtocol) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        // Digits only: `Int` alone would also take a sign (`+024-01-01`, `2024-+1-01`).
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            (1...12).contains(month), (1...CalendarDate.days(inMonth: month, year: year)).contains(day)
        else { return nil }
        self.init(year: year, month: month, day: day)
    }

    static func days(inMonth month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 (negative before), by the civil-from-days algorithm.
    public var daysSinceEpoch: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date `days` after 1970-01-01.
    public init(daysSinceEpoch days: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        self.init(year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month: month, day: day)
    }

    /// This date moved by a calendar duration: months first (clamping the day to the month's end), then days.
    public func adding(_ duration: CalendarDuration) -> CalendarDate {
        let totalMonths = year * 12 + (month - 1) + duration.months
        let newYear = totalMonths / 12
        let newMonth = totalMonths % 12 + 1
        let clamped = CalendarDate(
            year: newYear, month: newMonth, day: min(day, CalendarDate.days(inMonth: newMonth, year: newYear)))
        return CalendarDate(daysSinceEpoch: clamped.daysSinceEpoch + duration.days)
    }

    public var description: String {
        func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }
        return "\(year)-\(pad(month))-\(pad(day))"
    }

    public static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }
}

/// A calendar duration such as `P6M` or `P30D`: months and days (weeks and years folded in), and seconds for
/// schedule intervals (`PT5M`).
public struct CalendarDuration: Hashable, Sendable, CustomStringConvertible {
    public var months: Int
    public var days: Int
    public var seconds: Int

    public init(months: Int = 0, days: Int = 0, seconds: Int = 0) {
        self.months = months
        self.days = days
        self.seconds = seconds
    }

    /// Parses ISO 8601 durations (`P1Y2M10DT2H30M`, `P2W`) and the short forms `30s`, `5m`, `1h`, `30d`.
    public init?(parsing text: some StringProtocol) {
        let text = String(text).trimmingSpaces
        if let last = text.last, let number = Int(text.dropLast()), number >= 0, !text.hasPrefix("P") {
            switch last {
            case "s": self.init(seconds: number)
            case "m": self.init(seconds: number * 60)
            case "h": self.init(seconds: number * 3600)
            case "d": self.init(days: number)
            default: return nil
            }
            return
        }
        guard text.hasPrefix("P"), text.count > 1 else { return nil }
        var result = CalendarDuration()
        var number = ""
        var inTime = false
        var sawComponent = false
        for character in text.dropFirst() {
            if character.isASCII, character.isNumber {
                number.append(character)
                continue
            }
            if character == "T" {
                guard !inTime, number.isEmpty else { return nil }
                inTime = true
                continue
            }
            guard let value = Int(number) else { return nil }
            number = ""
            sawComponent = true
            switch (character, inTime) {
            case ("Y", false): result.months += value * 12
            case ("M", false): result.months += value
            case ("W", false): result.days += value * 7
            case ("D", false): result.days += value
            case ("H", true): result.seconds += value * 3600
            case ("M", true): result.seconds += value * 60
            case ("S", true): result.seconds += value
            default: return nil
            }
        }
        guard number.isEmpty, sawComponent else { return nil }
        self = result
    }

    /// Seconds, counting a day as 86,400 s and a month as 30 days (for schedule intervals only).
    public var approximateSeconds: Int { seconds + days * 86_400 + months * 30 * 86_400 }

    public var description: String {
        var text = "P"
        if months > 0 { text += months % 12 == 0 ? "\(months / 12)Y" : "\(months)M" }
        if days > 0 { text += "\(days)D" }
        if seconds > 0 { text += "T\(seconds)S" }
        return text == "P" ? "PT0S" : text
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and newlines.
    var trimmingSpaces: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}
