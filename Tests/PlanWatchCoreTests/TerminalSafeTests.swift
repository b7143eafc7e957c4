import Testing

@testable import PlanWatchCore

@Suite struct TerminalSafeTests {
    @Test(arguments: [
        ("\u{1B}[31mred", #"\x1b[31mred"#),
        ("bell\u{07}", #"bell\x07"#),
        ("a\tb\nc\r", #"a\x09b\x0ac\x0d"#),
        ("\u{0}\u{1F}\u{7F}", #"\x00\x1f\x7f"#),
        ("\u{80}\u{9B}31m\u{9F}", #"\x80\x9b31m\x9f"#),
        ("\r\n", #"\x0d\x0a"#),
    ])
    func escapesControlCharacters(text: String, expected: String) {
        #expect(terminalSafe(text) == expected)
    }

    @Test(arguments: ["", "plain ASCII ~ \\x1b", "安徽省 常住人口城镇化率（％）", "\u{A0}é\u{FEFF}😀", "Ω\u{2028}"])
    func leavesOtherTextAsItIs(text: String) {
        #expect(terminalSafe(text) == text)
    }

    @Test func escapesEachScalarOfACombinedCharacter() {
        // "\r\n" is one Character in Swift but two control scalars; "e" + U+0301 is untouched.
        #expect(terminalSafe("x\r\ne\u{301}") == #"x\x0d\x0ae"# + "\u{301}")
    }
}
