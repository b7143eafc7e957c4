import Testing

@testable import PlanWatchCore
@testable import PlanWatchSetup
@testable import PlanWatchHTTP
@testable import PlanWatchIngest
@testable import PlanWatchFetch
@testable import PlanWatchOutputs
@testable import PlanWatchDaemon

/// `StatusTable` on a terminal: its own colour codes are the only escape sequences in it, whatever a plan's title,
/// a target's id or a message (which quotes `missing_data`) carries.
@Suite("StatusTable")
struct StatusTableTests {
    @Test func colouredTableEscapesEveryTextFromOutside() {
        let hostile = "\u{1B}]0;pwned\u{07}\u{1B}[2J\u{9B}31m"
        let shown = #"\x1b]0;pwned\x07\x1b[2J\x9b31m"#
        let plan = Plan(id: "p", title: "Plan \(hostile)", issued: CalendarDate(year: 2021, month: 3, day: 1))
        let evaluation = Evaluation(
            plan: "p", target: "t\(hostile)", kind: "level", indicator: "gdp", region: "CN", severity: .info,
            state: .insufficientData, movingAway: false, asOf: "2025-06-30", deadline: "2025",
            message: "Not published \(hostile)")
        let text = StatusTable(evaluations: [evaluation], plans: [plan], color: true).text
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.count == 5)
        #expect(lines[0] == "1 target: 1 without data")
        #expect(lines[1] == "\u{1B}[1mp — Plan \(shown)\u{1B}[0m (as of 2025-06-30)")
        #expect(lines[3].hasPrefix("  t\(shown)  \u{1B}[90minsufficient_data\u{1B}[0m"), "\(lines[3])")
        #expect(lines[4] == "    \u{1B}[2mNot published \(shown)\u{1B}[0m")
        // Every ESC left is one of the table's own SGR codes: bold, grey, dim, reset.
        let own = ["\u{1B}[1m", "\u{1B}[90m", "\u{1B}[2m", "\u{1B}[0m"]
        let stripped = own.reduce(text) { $0.replacingOccurrences(of: $1, with: "") }
        #expect(!stripped.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" || (0x7F...0x9F).contains($0.value) })
    }
}
