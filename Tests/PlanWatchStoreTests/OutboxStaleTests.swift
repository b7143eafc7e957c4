import Foundation
@testable import PlanWatchCore
import Testing

@testable import PlanWatchStore

/// What Alertmanager hears of a target: `PlanTarget` with the labels `state` and `stale`, one label set per state
/// and freshness, so a change of either resolves what fired.
@Suite("Alertmanager outbox: state and stale")
struct OutboxStaleTests {
    static func evaluation(_ state: TargetState, stale: Bool) -> Evaluation {
        var evaluation = Evaluation(
            plan: "p", target: "t", kind: "level", indicator: "gdp", region: "CN-AH", severity: .warning, state: state,
            movingAway: false, asOf: "2026-12-08", deadline: "2025", message: "Because.")
        evaluation.paceRatio = 0.865
        if stale { evaluation.overdue = Overdue(period: "2024", since: "2025-04-30") }
        return evaluation
    }

    /// Records the evaluation with the real alert decisions and hands the alerts to the outbox.
    static func judge(_ store: Store, _ state: TargetState, stale: Bool, at seconds: Double) throws {
        let time = Date(timeIntervalSince1970: seconds)
        try store.record([evaluation(state, stale: stale)], at: time) { evaluation, memory in
            let decision = AlertDecision.decide(evaluation, memory: memory, repeatInterval: nil, now: seconds)
            let alerts = decision.alerts.enumerated().map { index, raised in
                Alert.target(raised.kind, evaluation: evaluation, previous: raised.previousState, id: "a\(seconds)-\(index)",
                             time: rfc3339(time))
            }
            return (alerts, decision.memory)
        }
        try store.feedOutbox(enabled: true, now: time)
    }

    /// The outbox as `KEY state=… stale=… resolved`.
    static func outbox(_ store: Store) throws -> [String] {
        try store.dueAlertmanagerAlerts(now: 1e12).map { alert in
            "\(alert.key) state=\(alert.labels["state"] ?? "-") stale=\(alert.labels["stale"] ?? "-")"
                + (alert.resolved ? " resolved" : "")
        }.sorted()
    }

    @Test func aTargetFiresWithItsStateAndStaleLabelsAndResolvesWhenEitherChanges() throws {
        let store = try Store.open(path: try StoreTests.temporaryPath())
        try Self.judge(store, .offTrack, stale: false, at: 1_000)
        #expect(try Self.outbox(store) == ["target/p/t/off_track state=off_track stale=false"])
        #expect(try store.dueAlertmanagerAlerts(now: 1e12).first?.annotations["description"] == "as of 2026-12-08; pace 87%")
        // The next figure becomes overdue: the fresh label set resolves, the stale one fires.
        try Self.judge(store, .offTrack, stale: true, at: 2_000)
        #expect(try Self.outbox(store) == [
            "target/p/t/off_track state=off_track stale=false resolved",
            "target/p/t/off_track+stale state=off_track stale=true",
        ])
        // On track, but its data overdue: still firing, in the new state.
        try Self.judge(store, .onTrack, stale: true, at: 3_000)
        #expect(try Self.outbox(store).contains("target/p/t/on_track+stale state=on_track stale=true"))
        #expect(try Self.outbox(store).contains("target/p/t/off_track+stale state=off_track stale=true resolved"))
        // Fresh data on track: nothing fires any more.
        try Self.judge(store, .onTrack, stale: false, at: 4_000)
        #expect(try Self.outbox(store).allSatisfy { $0.hasSuffix(" resolved") })
    }
}
