import Foundation
import Testing

@testable import PlanWatchCore
@testable import PlanWatchSetup
@testable import PlanWatchHTTP
@testable import PlanWatchIngest
@testable import PlanWatchFetch
@testable import PlanWatchOutputs
@testable import PlanWatchDaemon

/// Issue 14, item 5: alerts in journald's native protocol, with fields to filter on.
@Suite struct JournalTests {
    @Test func encodesFieldsAsLinesAndValuesWithANewlineBinarySafe() {
        #expect(Journal.encode([("MESSAGE", "hello"), ("PRIORITY", "4")]) == Array("MESSAGE=hello\nPRIORITY=4\n".utf8))
        // "a\nb": the name, a newline, 3 as 64-bit little-endian, the bytes, a newline.
        #expect(Journal.encode([("MESSAGE", "a\nb")]) == Array("MESSAGE\n".utf8) + [3, 0, 0, 0, 0, 0, 0, 0] + Array("a\nb\n".utf8))
    }

    @Test func anAlertCarriesItsPlanTargetStateAndPriority() {
        let alert = Alert(
            id: "a1", time: "2026-12-02T05:00:00.000Z", severity: .warning, kind: .stale, plan: "central-region-2021",
            target: "anhui-urbanization-1pp", indicator: "urbanization_rate", region: "CN-AH", state: .onTrack, stale: true,
            message: "anhui-urbanization-1pp (CN-AH): the 2025 figure is overdue.")
        let fields = Dictionary(Journal.fields(alert), uniquingKeysWith: { first, _ in first })
        #expect(fields["MESSAGE"] == "warning stale central-region-2021/anhui-urbanization-1pp: anhui-urbanization-1pp (CN-AH): the 2025 figure is overdue.")
        #expect(fields["PRIORITY"] == "4")
        #expect(fields["PLANWATCH_PLAN"] == "central-region-2021")
        #expect(fields["PLANWATCH_TARGET"] == "anhui-urbanization-1pp")
        #expect(fields["PLANWATCH_STATE"] == "on_track")
        #expect(fields["PLANWATCH_STALE"] == "true")
        #expect(fields["PLANWATCH_KIND"] == "stale")
        #expect(fields["PLANWATCH_REGION"] == "CN-AH")
        #expect(fields["SYSLOG_IDENTIFIER"] == "planwatch")
        #expect(fields["PLANWATCH_FILE"] == nil)
    }
}
