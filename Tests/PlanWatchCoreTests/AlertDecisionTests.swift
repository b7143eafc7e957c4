import Testing

@testable import PlanWatchCore

@Suite("AlertDecision")
struct AlertDecisionTests {
    static func evaluation(_ state: TargetState, severity: Severity = .warning, stale: Bool = false) -> Evaluation {
        var evaluation = Evaluation(
            plan: "p", target: "t", kind: "level", indicator: "gdp", region: "CN-AH", severity: severity, state: state,
            movingAway: false, asOf: "2025-06-30", deadline: "2025", message: "Because.")
        if stale { evaluation.overdue = Overdue(period: "2024", since: "2025-04-30") }
        return evaluation
    }

    static func decide(
        _ state: TargetState, _ memory: AlertMemory, stale: Bool = false, repeat interval: CalendarDuration? = nil,
        now: Double = 1000
    ) -> AlertDecision.Decision {
        AlertDecision.decide(evaluation(state, stale: stale), memory: memory, repeatInterval: interval, now: now)
    }

    /// The alerts raised, as `kind (previous state)`.
    static func raised(_ decision: AlertDecision.Decision) -> [String] {
        decision.alerts.map { "\($0.kind.rawValue) (\($0.previousState?.rawValue ?? "-"))" }
    }

    @Test func theFirstEvaluationIsAnnounced() {
        let decision = Self.decide(.onTrack, AlertMemory())
        #expect(Self.raised(decision) == ["first_evaluation (-)"])
        #expect(decision.memory == AlertMemory(announced: .onTrack, previous: .onTrack, lastAlertAt: 1000))
    }

    @Test func aFirstEvaluationOnOverdueDataIsOneAlertThatCarriesTheFlag() {
        let decision = Self.decide(.offTrack, AlertMemory(), stale: true)
        #expect(Self.raised(decision) == ["first_evaluation (-)"])
        #expect(decision.memory == AlertMemory(announced: .offTrack, previous: .offTrack, lastAlertAt: 1000, stale: true))
        let alert = Alert.target(.firstEvaluation, evaluation: Self.evaluation(.offTrack, stale: true), previous: nil, id: "a", time: "t")
        #expect(alert.stale == true)
        #expect(alert.json.contains("\"state\":\"off_track\",\"stale\":true,\"previous_state\":null"))
    }

    @Test func aTargetWithoutAnyDataIsNotAnnouncedUntilItsFirstFigure() {
        let empty = Self.decide(.insufficientData, AlertMemory())
        #expect(empty.alerts.isEmpty)
        #expect(empty.memory == AlertMemory(), "never announced")
        // What the store hands back next time: the state it recorded, nothing announced. Overdue data of a target
        // that has none is still nothing to announce.
        let recorded = AlertMemory(previous: .insufficientData)
        let overdue = Self.decide(.insufficientData, recorded, stale: true, now: 2000)
        #expect(overdue.alerts.isEmpty)
        #expect(overdue.memory == recorded)
        // The first figure: one first_evaluation, which carries the flag; no stale alert beside it.
        let first = Self.decide(.offTrack, recorded, stale: true, now: 3000)
        #expect(Self.raised(first) == ["first_evaluation (-)"])
        #expect(first.memory == AlertMemory(announced: .offTrack, previous: .offTrack, lastAlertAt: 3000, stale: true))
    }

    @Test func insufficientDataWithAFigureIsAnnounced() {
        // E.g. a level target with its 2023 figure and the 2024 one overdue: there is something to say.
        var evaluation = Self.evaluation(.insufficientData, stale: true)
        evaluation.latestPeriod = "2023"
        evaluation.latestValue = 47_100
        let decision = AlertDecision.decide(evaluation, memory: AlertMemory(), repeatInterval: nil, now: 1000)
        #expect(Self.raised(decision) == ["first_evaluation (-)"])
        #expect(decision.memory == AlertMemory(
            announced: .insufficientData, previous: .insufficientData, lastAlertAt: 1000, stale: true))
    }

    @Test func staleIsAFlagBesideTheStateWithAlertsWhenItTurnsOnAndOff() {
        let start = AlertMemory(announced: .onTrack, previous: .onTrack, lastAlertAt: 10)
        let overdue = Self.decide(.onTrack, start, stale: true)
        #expect(Self.raised(overdue) == ["stale (on_track)"])
        #expect(overdue.memory == AlertMemory(announced: .onTrack, previous: .onTrack, lastAlertAt: 1000, stale: true))
        let still = Self.decide(.onTrack, overdue.memory, stale: true, now: 2000)
        #expect(still.alerts.isEmpty, "no second stale alert")
        // The state's own alerts go on while the data is overdue.
        let worse = Self.decide(.atRisk, still.memory, stale: true, now: 3000)
        #expect(Self.raised(worse) == ["worse (on_track)"])
        // New data clears the flag: `fresh`, and a change of state in the same evaluation is its own alert.
        let fresh = Self.decide(.offTrack, worse.memory, stale: false, now: 4000)
        #expect(Self.raised(fresh) == ["worse (at_risk)", "fresh (at_risk)"])
        #expect(fresh.memory == AlertMemory(announced: .offTrack, previous: .offTrack, lastAlertAt: 4000, stale: false))
    }

    @Test func aTargetStoredAsStaleByTheReleaseBeforeTakesItsStateSilently() {
        // What the v7-stale-flag migration leaves: the old state `stale`, its flag set, the last announced state.
        let upgraded = AlertMemory(announced: .onTrack, previous: .stale, lastAlertAt: 10, stale: true)
        let still = Self.decide(.offTrack, upgraded, stale: true)
        #expect(still.alerts.isEmpty)
        #expect(still.memory == AlertMemory(announced: .offTrack, previous: .offTrack, lastAlertAt: 10, stale: true))
        // From then on, changes are alerted as always.
        #expect(Self.raised(Self.decide(.atRisk, still.memory, stale: true)) == ["better (off_track)"])
        // Fresh data at the upgrade is news, not representation.
        let freshAtUpgrade = Self.decide(.onTrack, upgraded, stale: false)
        #expect(Self.raised(freshAtUpgrade) == ["fresh (stale)"])
    }

    @Test func goodNewsIsInfoAndABadStateTakesTheTargetsSeverity() {
        #expect(AlertDecision.severity(.achieved, state: .achieved, target: .critical) == .info)
        #expect(AlertDecision.severity(.firstEvaluation, state: .met, target: .critical) == .info)
        #expect(AlertDecision.severity(.firstEvaluation, state: .onTrack, target: .warning) == .info)
        #expect(AlertDecision.severity(.better, state: .atRisk, target: .critical) == .info)
        #expect(AlertDecision.severity(.fresh, state: .offTrack, target: .critical) == .info)
        #expect(AlertDecision.severity(.firstEvaluation, state: .insufficientData, target: .critical) == .info)
        #expect(AlertDecision.severity(.worse, state: .atRisk, target: .critical) == .critical)
        #expect(AlertDecision.severity(.worse, state: .atRisk, target: .info) == .info)
        #expect(AlertDecision.severity(.worse, state: .offTrack, target: .warning) == .critical)
        #expect(AlertDecision.severity(.missed, state: .missed, target: .info) == .warning)
        #expect(AlertDecision.severity(.repeated, state: .offTrack, target: .critical) == .critical)
        #expect(AlertDecision.severity(.stale, state: .onTrack, target: .info) == .warning)
        #expect(AlertDecision.severity(.stale, state: .onTrack, target: .critical) == .critical)
    }

    @Test func anUnchangedStateIsSilent() {
        let memory = AlertMemory(announced: .atRisk, previous: .atRisk, lastAlertAt: 10)
        let decision = Self.decide(.atRisk, memory)
        #expect(decision.alerts.isEmpty)
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
        #expect(decision.alerts == [AlertDecision.Raised(kind: kind, previousState: from)])
        #expect(decision.memory.announced == to)
        #expect(decision.memory.lastAlertAt == 1000)
    }

    @Test func offTrackIsRepeatedAfterTheInterval() {
        let memory = AlertMemory(announced: .offTrack, previous: .offTrack, lastAlertAt: 0)
        let day = CalendarDuration(days: 1)
        #expect(Self.decide(.offTrack, memory, repeat: day, now: 86_399).alerts.isEmpty)
        let repeated = Self.decide(.offTrack, memory, repeat: day, now: 86_400)
        #expect(Self.raised(repeated) == ["repeat (off_track)"])
        #expect(repeated.memory.lastAlertAt == 86_400)
        #expect(Self.decide(.offTrack, memory, repeat: nil, now: 10_000_000).alerts.isEmpty, "no interval, no repeat")
        let atRisk = AlertMemory(announced: .atRisk, previous: .atRisk, lastAlertAt: 0)
        #expect(Self.decide(.atRisk, atRisk, repeat: day, now: 10_000_000).alerts.isEmpty, "only off_track repeats")
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
        #expect(alert.stale == false)
    }

    @Test func staleAndFreshAlertsSayWhichFigure() {
        var evaluation = Self.evaluation(.onTrack, severity: .info, stale: true)
        evaluation.latestPeriod = "2023"
        let stale = Alert.target(.stale, evaluation: evaluation, previous: .onTrack, id: "a", time: "t")
        #expect(stale.message == "t (CN-AH): the 2024 figure is overdue. Because.")
        #expect(stale.severity == .warning)
        evaluation.overdue = nil
        evaluation.latestPeriod = "2024"
        let fresh = Alert.target(.fresh, evaluation: evaluation, previous: .onTrack, id: "b", time: "t")
        #expect(fresh.message == "t (CN-AH): new data, the 2024 figure, arrived. Because.")
        #expect(fresh.severity == .info)
    }
}
