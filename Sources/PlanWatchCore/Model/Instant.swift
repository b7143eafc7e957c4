/// Points in time as the alert filters take them, in seconds since 1970 (UTC). Pure: "now" comes in as an argument.
public enum Instant {
    /// An RFC 3339 date-time: `2026-12-01T18:15:59Z`, `2026-12-01T18:15:59.000Z`, `2026-12-01T19:15:59+01:00`
    /// (`T` or a space between date and time, `Z`/`z` or a numeric offset, any number of fraction digits). The
    /// instant it names, so `…59Z`, `…59.000Z` and `…19:15:59+01:00` compare equal. Nil for anything else.
    public static func parseRFC3339(_ text: some StringProtocol) -> Double? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, let date = CalendarDate(parsing: String(decoding: bytes[0..<10], as: UTF8.self)),
            [UInt8(ascii: "T"), UInt8(ascii: "t"), UInt8(ascii: " ")].contains(bytes[10]),
            bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
            let hour = digits(bytes, 11, 2), let minute = digits(bytes, 14, 2), let second = digits(bytes, 17, 2),
            hour < 24, minute < 60, second <= 60
        else { return nil }
        var index = 19
        var fraction = 0.0
        if bytes[index] == UInt8(ascii: ".") {
            index += 1
            var scale = 0.1
            let start = index
            while index < bytes.count, let digit = digits(bytes, index, 1) {
                fraction += Double(digit) * scale
                scale /= 10
                index += 1
            }
            guard index > start else { return nil }
        }
        guard index < bytes.count else { return nil }
        var offset = 0
        switch bytes[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            index += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard bytes.count == index + 6, bytes[index + 3] == UInt8(ascii: ":"),
                let hours = digits(bytes, index + 1, 2), let minutes = digits(bytes, index + 4, 2), hours < 24, minutes < 60
            else { return nil }
            offset = (hours * 60 + minutes) * 60 * (bytes[index] == UInt8(ascii: "-") ? -1 : 1)
            index += 6
        default:
            return nil
        }
        guard index == bytes.count else { return nil }
        let seconds = date.daysSinceEpoch * 86_400 + hour * 3_600 + minute * 60 + second - offset
        return Double(seconds) + fraction
    }

    /// What `--since` accepts: an RFC 3339 date-time, a date (`2026-12-01`, its midnight UTC), or a span back from
    /// `now`: a whole number and `s`, `m`, `h`, `d` or `w` (`90m`, `2h`, `7d`, `2w`). Nil for anything else.
    public static func parseSince(_ text: String, now: Double) -> Double? {
        if let instant = parseRFC3339(text) { return instant }
        if text.utf8.count == 10, let date = CalendarDate(parsing: text) { return Double(date.daysSinceEpoch * 86_400) }
        guard let unit = text.last, let count = Int(text.dropLast()), count >= 0, text.first?.isASCII == true,
            text.first?.isNumber == true
        else { return nil }
        let seconds: Int
        switch unit {
        case "s": seconds = 1
        case "m": seconds = 60
        case "h": seconds = 3_600
        case "d": seconds = 86_400
        case "w": seconds = 7 * 86_400
        default: return nil
        }
        return now - Double(count) * Double(seconds)
    }

    private static func digits(_ bytes: [UInt8], _ start: Int, _ count: Int) -> Int? {
        guard start + count <= bytes.count else { return nil }
        var value = 0
        for byte in bytes[start..<(start + count)] {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }
}
