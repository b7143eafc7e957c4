import Testing

@testable import PlanWatchCore

/// What Alertmanager is told of an alert, decided without a database.
@Suite("Alertmanager payload")
struct AlertmanagerPayloadTests {
    static func target(_ state: TargetState, stale: Bool, kind: AlertKind = .worse) -> Alert {
        Alert(
            id: "a1", time: "2026-12-08T00:00:00.000Z", severity: .critical, kind: kind, plan: "p", target: "t",
            indicator: "gdp", region: "CN-AH", state: state, stale: stale, previousState: .atRisk, asOf: "2026-12-08",
            latestPeriod: "2024", latestValue: 62.57, targetValue: 63.33, paceRatio: 0.865, message: "Because.")
    }

    @Test func aTargetInABadStateFiresUnderItsStateAndFreshness() {
        let payload = AlertmanagerPayload.of(Self.target(.offTrack, stale: false)) { "/report/targets/\($0).html" }
        #expect(payload == .target(
            key: "target/p/t/off_track", prefix: "target/p/t/",
            firing: .init(
                labels: [
                    "alertname": "PlanTarget", "severity": "critical", "plan": "p", "target": "t", "region": "CN-AH",
                    "indicator": "gdp", "state": "off_track", "stale": "false",
                ],
                annotations: [
                    "summary": "Because.",
                    "description": "as of 2026-12-08; latest 62.57 (2024); target 63.33; pace 87%; was at_risk",
                    "report": "/report/targets/t.html",
                ])))
    }

    @Test func overdueDataFiresInAnyStateButAchievedAndMissed() {
        guard case .target(let key, _, let firing?) = AlertmanagerPayload.of(Self.target(.onTrack, stale: true)) else {
            Issue.record("an on-track target with overdue data fires")
            return
        }
        #expect(key == "target/p/t/on_track+stale")
        #expect(firing.labels["stale"] == "true")
        #expect(AlertmanagerPayload.of(Self.target(.achieved, stale: true), report: { _ in nil })
            == .target(key: "target/p/t/achieved+stale", prefix: "target/p/t/", firing: nil))
        #expect(AlertmanagerPayload.of(Self.target(.onTrack, stale: false), report: { _ in nil })
            == .target(key: "target/p/t/on_track", prefix: "target/p/t/", firing: nil))
    }

    @Test func aDataAlertIsALabelSetOfItsOwn() {
        let alert = Alert(
            id: "d7", time: "2026-12-08T00:00:00.000Z", severity: .info, kind: .valueRevised, indicator: "gdp",
            region: "CN-AH", file: "nbs.csv", period: "2023", message: "Revised.")
        #expect(AlertmanagerPayload.of(alert) == .data(
            key: "data/d7",
            .init(
                labels: [
                    "alertname": "PlanData", "severity": "info", "kind": "value_revised", "indicator": "gdp",
                    "region": "CN-AH", "file": "nbs.csv", "period": "2023", "id": "d7",
                ],
                annotations: ["summary": "Revised."])))
    }
}
