/// Reads the numbers people and spreadsheets write: `1234.5`, `1,234.5`, `12%`, `-0.3`, `1.2e3`, with spaces
/// around. Missing-value marks (empty, `..`, `-`) are told apart from errors.
public enum NumberParser {
    public enum Result: Equatable, Sendable {
        case number(Double)
        case missing
        /// Not a number; the text says why and what to write instead.
        case invalid(String)
    }

    /// Powers of ten exactly representable as doubles.
    private static let exactPowers: [Double] = (0...22).map { exponent in
        var value = 1.0
        for _ in 0..<exponent { value *= 10 }
        return value
    }

    /// The common case without allocating: an optional `-`, up to 15 digits with at most one `.`. The result is
    /// correctly rounded, as `strtod` would give: the digits form an integer below 2⁵³ and the power of ten is exact,
    /// so one IEEE division rounds once (Clinger's fast path). Nil for anything else (then `parse` decides).
    public static func parsePlain(_ bytes: ArraySlice<UInt8>) -> Double? {
        var index = bytes.startIndex
        let end = bytes.endIndex
        guard index < end else { return nil }
        var negative = false
        if bytes[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        var mantissa: Int64 = 0
        var digits = 0
        var decimals = 0
        var sawDot = false
        while index < end {
            let byte = bytes[index]
            if byte >= 0x30, byte <= 0x39 {
                mantissa = mantissa &* 10 &+ Int64(byte &- 0x30)
                digits += 1
                if sawDot { decimals += 1 }
            } else if byte == UInt8(ascii: "."), !sawDot {
                sawDot = true
            } else {
                return nil
            }
            index += 1
        }
        guard digits > 0, digits <= 15 else { return nil }
        let value = Double(mantissa) / exactPowers[decimals]
        return negative ? -value : value
    }

    /// Parses a cell's bytes.
    public static func parse(_ bytes: ArraySlice<UInt8>) -> Result {
        if let plain = parsePlain(bytes) { return .number(plain) }
        var start = bytes.startIndex
        var end = bytes.endIndex
        while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
        while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
        let cell = bytes[start..<end]
        if cell.isEmpty || cell.elementsEqual("..".utf8) || cell.elementsEqual("-".utf8) { return .missing }
        var digits = [UInt8]()
        digits.reserveCapacity(cell.count)
        var body = cell
        if body.last == UInt8(ascii: "%") { body = body.dropLast() }
        var commas = 0
        var sawDot = false
        var sawExponent = false
        var digitsSinceComma = -1
        var leadingDigits = 0
        for byte in body {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                digits.append(byte)
                if digitsSinceComma >= 0 { digitsSinceComma += 1 } else if !sawDot && !sawExponent { leadingDigits += 1 }
            case UInt8(ascii: ","):
                guard !sawDot, !sawExponent, leadingDigits > 0, leadingDigits <= 3,
                    digitsSinceComma == -1 || digitsSinceComma == 3
                else {
                    return .invalid("is not a number: a ',' may only separate thousands (1,234.5); use '.' for decimals")
                }
                commas += 1
                digitsSinceComma = 0
            case UInt8(ascii: "."):
                guard !sawDot, !sawExponent else { return .invalid("is not a number: it has more than one '.'") }
                if digitsSinceComma >= 0, digitsSinceComma != 3 {
                    return .invalid("is not a number: a ',' may only separate thousands (1,234.5); use '.' for decimals")
                }
                digitsSinceComma = -1
                sawDot = true
                digits.append(byte)
            case UInt8(ascii: "e"), UInt8(ascii: "E"):
                guard !sawExponent, !digits.isEmpty else { return invalidText(cell) }
                if digitsSinceComma >= 0, digitsSinceComma != 3 {
                    return .invalid("is not a number: a ',' may only separate thousands (1,234.5); use '.' for decimals")
                }
                digitsSinceComma = -1
                sawExponent = true
                digits.append(byte)
            case UInt8(ascii: "+"), UInt8(ascii: "-"):
                guard digits.isEmpty || digits.last == UInt8(ascii: "e") || digits.last == UInt8(ascii: "E") else {
                    return invalidText(cell)
                }
                digits.append(byte)
            default:
                return invalidText(cell)
            }
        }
        if digitsSinceComma >= 0, digitsSinceComma != 3 {
            return .invalid("is not a number: a ',' may only separate thousands (1,234.5); use '.' for decimals")
        }
        guard let value = Double(String(decoding: digits, as: UTF8.self)) else { return invalidText(cell) }
        // Out of a double's range: the value would be stored as 0 or ±infinity, not as written.
        if !value.isFinite { return .invalid("is too large to store (it overflows to infinity); check the cell") }
        let mantissa = digits.prefix { $0 != UInt8(ascii: "e") && $0 != UInt8(ascii: "E") }
        if value == 0, mantissa.contains(where: { (UInt8(ascii: "1")...UInt8(ascii: "9")).contains($0) }) {
            return .invalid("is too small to store (it underflows to 0); check the cell")
        }
        return .number(value)
    }

    private static func invalidText(_ cell: ArraySlice<UInt8>) -> Result {
        .invalid("is not a number; write digits such as 1234.5 (thousands separators and a trailing % are fine), or leave the cell empty for a missing value")
    }
}
