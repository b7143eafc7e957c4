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

    @Test func keepsTheLineBreaksOfAWholeOutput() {
        let expected = "one\n" + #"two \x1b]0;title\x07\x0d"# + "\n"
        #expect(terminalSafeLines("one\ntwo \u{1B}]0;title\u{07}\r\n") == expected)
    }

    @Test func writesDELAndC1ControlsInJSONAsUnicodeEscapes() {
        // ESC is already \u001b in JSON; U+009B (CSI) and U+0085 are left raw by JSON writers.
        let json = #"{"source":"\u001b[2J"# + "\u{9B}31m\u{85}\u{7F} 安徽\"}"
        #expect(terminalSafeJSON(json) == #"{"source":"\u001b[2J\u009b31m\u0085\u007f 安徽"}"#)
        #expect(terminalSafeJSON("[\n  \"plain\"\n]") == "[\n  \"plain\"\n]")
    }
}
