import Testing

@testable import PlanWatchCore

@Suite struct NumberParserTests {
    static let thousands = "is not a number: a ',' may only separate thousands (1,234.5); use '.' for decimals"
    static let notANumber =
        "is not a number; write digits such as 1234.5 (thousands separators and a trailing % are fine), or leave the cell empty for a missing value"

    static func parse(_ text: String) -> NumberParser.Result {
        NumberParser.parse(Array(text.utf8)[...])
    }

    @Test(arguments: [
        ("1234.5", 1234.5),
        (" 1,234.5 ", 1234.5),
        ("\t42\t", 42),
        ("12%", 12),
        ("-0.3", -0.3),
        ("+7", 7),
        ("1.2e3", 1200),
        ("1.5E-3", 0.0015),
        ("2e+2", 200),
        ("1,234,567", 1_234_567),
        ("-1,234", -1234),
        ("999,999.25", 999_999.25),
        ("0", 0),
        (".5", 0.5),
        ("1,234e3", 1_234_000),
        ("63.89%", 63.89),
    ])
    func readsNumbers(text: String, value: Double) {
        #expect(Self.parse(text) == .number(value))
    }

    @Test(arguments: ["", "  ", "..", "-", " .. ", "\t-\t"])
    func readsMissingValueMarks(text: String) {
        #expect(Self.parse(text) == .missing)
    }

    @Test(arguments: [
        ("1,23", thousands),
        ("12,34.5", thousands),
        ("1,2345", thousands),
        ("1234,567", thousands),
        (",123", thousands),
        ("1.234,5", thousands),
        ("1e3,000", thousands),
        ("1,23e4", thousands),
        ("1.2.3", "is not a number: it has more than one '.'"),
        ("n/a", notANumber),
        ("nan", notANumber),
        ("NaN", notANumber),
        ("inf", notANumber),
        ("--1", notANumber),
        ("1-", notANumber),
        ("e5", notANumber),
        ("1e", notANumber),
        ("1e2e3", notANumber),
        ("%", notANumber),
        ("12%%", notANumber),
        ("1 234", notANumber),
        ("0x1A", notANumber),
        ("１２", notANumber),
        ("...", "is not a number: it has more than one '.'"),
    ])
    func rejectsTextThatIsNoNumber(text: String, message: String) {
        #expect(Self.parse(text) == .invalid(message))
    }

    static let tooSmall = "is too small to store (it underflows to 0); check the cell"
    static let tooLarge = "is too large to store (it overflows to infinity); check the cell"

    @Test(arguments: [
        ("1e-400", tooSmall),
        ("-1e-400", tooSmall),
        ("0.5e-330", tooSmall),
        ("1,000e-400", tooSmall),
        ("0.0" + String(repeating: "0", count: 400) + "1", tooSmall),
        ("1e400", tooLarge),
        ("-1e999", tooLarge),
        ("1e400%", tooLarge),
        (String(repeating: "9", count: 400), tooLarge),
    ])
    func rejectsNumbersTooSmallOrTooLargeToStore(text: String, message: String) {
        #expect(Self.parse(text) == .invalid(message))
    }

    @Test(arguments: [
        ("0e-400", 0),
        ("0.000e999", 0),
        ("-0.0", 0),
        ("5e-324", .leastNonzeroMagnitude),
        ("1.7976931348623157e308", .greatestFiniteMagnitude),
    ])
    func keepsZeroesSubnormalsAndTheLargestDouble(text: String, value: Double) {
        #expect(Self.parse(text) == .number(value))
    }

    @Test func readsOnlyTheCellsOwnBytesFromASlice() {
        let row = Array("x,1,234.5,y".utf8)
        #expect(NumberParser.parse(row[2..<9]) == .number(1234.5))
    }
}
