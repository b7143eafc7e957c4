import Testing

@testable import PlanWatchCore

@Suite("AlertDecision")
struct AlertDecisionTests {
    static func evaluation(_ state: TargetState, severity: Severity = .warning) -> Evaluation {
        Evaluation(
            plan: "p", target: "t", kind: "level", indicator: "gdp", region: "CN-AH", severity: severity, state: state,
            movingAway: false, asOf: "2025-06-30", deadline: "2025", message: "Because.")
    }

    static func decide(_ state: TargetState, _ memory: AlertMemory, repeat interval: CalendarDuration? = nil, now: Double = 1000)
        -> (kind: AlertKind?, previousState: TargetState?, memory: AlertMemory)
    {
        AlertDecision.decide(evaluation(state), memory: memory, repeatInterval: interval, now: now)
    }

    @Test func theFirstEvaluationIsAnnounced() {
        let decision = Self.decide(.onTrack, AlertMemory())
        #expect(decision.kind == .firstEvaluation)
        #expect(decision.previousState == nil)
        #expect(decision.memory == AlertMemory(announced: .onTrack, previous: .onTrack, lastAlertAt: 1000))
    }

    @Test func item1_aTargetStaleFromItsFirstEvaluationLeavesStaleAsAChangeNotAFirstEvaluation() {
        let first = Self.decide(.stale, AlertMemory())
        #expect(first.kind == .stale)
        #expect(first.memory == AlertMemory(announced: nil, previous: .stale, lastAlertAt: 1000))
        let fresh = Self.decide(.atRisk, first.memory, now: 2000)
        #expect(fresh.kind == .changed)
        #expect(fresh.previousState == .stale)
        #expect(fresh.memory == AlertMemory(announced: .atRisk, previous: .atRisk, lastAlertAt: 2000))
    }

    @Test func item7_aStateThatJudgesNothingIsInfoWhateverTheTargetsSeverity() {
        #expect(AlertDecision.severity(for: .insufficientData, target: .critical) == .info)
        #expect(AlertDecision.severity(for: .insufficientData, target: .warning) == .info)
        #expect(AlertDecision.severity(for: .atRisk, target: .critical) == .critical)
        #expect(AlertDecision.severity(for: .offTrack, target: .warning) == .critical)
        #expect(AlertDecision.severity(for: .missed, target: .info) == .warning)
    }

    @Test func anUnchangedStateIsSilent() {
        let memory = AlertMemory(announced: .atRisk, previous: .atRisk, lastAlertAt: 10)
        let decision = Self.decide(.atRisk, memory)
        #expect(decision.kind == nil)
        #expect(decision.memory == memory)
    }

    @Test(arguments: [
        (TargetState.onTrack, TargetState.atRisk, AlertKind.worse),
        (.atRisk, .offTrack, .worse),
        (.met, .onTrack, .worse),
        (.offTrack, .onTrack, .better),
        (.atRisk, .met, .better),
        (.onTrack, .achieved, .achieved),
        (.onTrack, .missed, .missed),
        (.onTrack, .insufficientData, .changed),
        (.insufficientData, .atRisk, .changed),
    ])
    func stateChangesRaiseTheirKind(from: TargetState, to: TargetState, kind: AlertKind) {
        let decision = Self.decide(to, AlertMemory(announced: from, previous: from, lastAlertAt: 10))
        #expect(decision.kind == kind)
        #expect(decision.previousState == from)
        #expect(decision.memory.announced == to)
        #expect(decision.memory.lastAlertAt == 1000)
    }

    @Test func staleDataFreezesTargetAlertsAndAlertsOnce() {
        let start = AlertMemory(announced: .onTrack, previous: .onTrack, lastAlertAt: 10)
        let stale = Self.decide(.stale, start)
        #expect(stale.kind == .stale)
        #expect(stale.previousState == .onTrack)
        #expect(stale.memory == AlertMemory(announced: .onTrack, previous: .stale, lastAlertAt: 1000))
        let still = Self.decide(.stale, stale.memory, now: 2000)
        #expect(still.kind == nil, "no second stale alert")
        // Fresh data that leaves the target where it was announced raises nothing; a different state does.
        #expect(Self.decide(.onTrack, still.memory).kind == nil)
        let worse = Self.decide(.atRisk, still.memory)
        #expect(worse.kind == .worse)
        #expect(worse.previousState == .onTrack)
    }

    @Test func offTrackIsRepeatedAfterTheInterval() {
        let memory = AlertMemory(announced: .offTrack, previous: .offTrack, lastAlertAt: 0)
        let day = CalendarDuration(days: 1)
        #expect(Self.decide(.offTrack, memory, repeat: day, now: 86_399).kind == nil)
        let repeated = Self.decide(.offTrack, memory, repeat: day, now: 86_400)
        #expect(repeated.kind == .repeated)
        #expect(repeated.memory.lastAlertAt == 86_400)
        #expect(Self.decide(.offTrack, memory, repeat: nil, now: 10_000_000).kind == nil, "no interval, no repeat")
        let atRisk = AlertMemory(announced: .atRisk, previous: .atRisk, lastAlertAt: 0)
        #expect(Self.decide(.atRisk, atRisk, repeat: day, now: 10_000_000).kind == nil, "only off_track repeats")
    }

    @Test func missedAndOffTrackRaiseTheSeverity() {
        #expect(AlertDecision.severity(for: .missed, target: .info) == .warning)
        #expect(AlertDecision.severity(for: .offTrack, target: .warning) == .critical)
        #expect(AlertDecision.severity(for: .offTrack, target: .critical) == .critical)
        #expect(AlertDecision.severity(for: .atRisk, target: .info) == .info)
    }

    @Test func aTargetAlertCarriesTheEvaluationAndAReadableLine() {
        var evaluation = Self.evaluation(.offTrack, severity: .warning)
        evaluation.latestPeriod = "2024"
        evaluation.latestValue = 62.57
        let alert = Alert.target(.worse, evaluation: evaluation, previous: .atRisk, id: "a1", time: "2025-07-01T00:00:00.000Z")
        #expect(alert.severity == .critical)
        #expect(alert.message == "t (CN-AH) is now off_track (was at_risk). Because.")
        #expect(alert.journalLine == "<2>critical worse p/t: t (CN-AH) is now off_track (was at_risk). Because.")
        #expect(alert.latestValue == 62.57)
        #expect(alert.previousState == .atRisk)
    }
}
