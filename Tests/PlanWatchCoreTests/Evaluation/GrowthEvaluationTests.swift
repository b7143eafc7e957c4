import Foundation
import Testing

@testable import PlanWatchCore

/// SPEC §5, `growth`: average compound growth against `min_rate` percent over `[from, to]`.
@Suite("Evaluation: growth")
struct GrowthEvaluationTests: EvaluationTesting {
    /// R&D spending grows by at least 7% a year over 2020–2025 (rd_spending: lag P10M).
    let rd = "rd_spending"
    var sevenPercent: TargetKind { .growth(minRate: 7, from: period("2020"), to: period("2025")) }

    @Test func belowTheRequiredRateIsAtRisk() {
        let e = evaluate(sevenPercent, indicator: rd, rows(rd, "CN-AH", ["2020": 100, "2021": 106, "2022": 112.36]), asOf: "2023-06-30")
        // actual = ((112.36 / 100)^(1/2) − 1) · 100 = (1.06 − 1) · 100 = 6; required = 7; ratio 6/7 = 0.857… → at_risk.
        #expect(e.requiredPace == 7)
        #expect(approx(e.actualPace, 6))
        #expect(approx(e.paceRatio, 6.0 / 7))
        #expect(e.state == .atRisk)
        #expect(e.movingAway == false)
        #expect(e.baselinePeriod == "2020")
        #expect(e.baselineValue == 100)
        #expect(e.latestPeriod == "2022")
        #expect(e.latestValue == 112.36)
        // target_value (not defined by SPEC; the level the rate implies at `to`): 100 · 1.07^5 = 140.25517307.
        #expect(approx(e.targetValue, 140.25517307))
        // Logs of 100, 106, 112.36 lie on a line of slope ln 1.06: projected 100 · 1.06^5 = 133.8225577600 in 2025;
        // reaches 100 · 1.07^5 at 2020 + 5 · ln 1.07 / ln 1.06 = 2025.805724755…
        #expect(approx(e.projectedValue, 133.82255776))
        #expect(approx(e.projectedPeriod, 2020 + 5 * log(1.07) / log(1.06)))
        #expect(e.message == "At risk: growth 6% a year 2020–2022 against 7% needed (86%); projected 133.82 in 2025.")
    }

    @Test func aboveTheRequiredRateIsOnTrackNeverMet() {
        // ((116.64 / 100)^(1/2) − 1) · 100 = 8; ratio 8/7 = 1.142857… → on_track.
        let e = evaluate(sevenPercent, indicator: rd, rows(rd, "CN-AH", ["2020": 100, "2022": 116.64]), asOf: "2023-06-30")
        #expect(approx(e.actualPace, 8))
        #expect(approx(e.paceRatio, 8.0 / 7))
        #expect(e.state == .onTrack)
        // Growth has no `met` state: doubling in a year (100%, ratio 100/7) is still on_track.
        let doubled = evaluate(sevenPercent, indicator: rd, rows(rd, "CN-AH", ["2020": 100, "2021": 200]), asOf: "2022-06-30")
        #expect(approx(doubled.actualPace, 100))
        #expect(doubled.state == .onTrack)
        // Shrinking: ((90 / 100)^(1/1) − 1) · 100 = −10; ratio −10/7 → off_track, moving away.
        let shrinking = evaluate(sevenPercent, indicator: rd, rows(rd, "CN-AH", ["2020": 100, "2021": 90]), asOf: "2022-06-30")
        #expect(approx(shrinking.actualPace, -10))
        #expect(shrinking.state == .offTrack)
        #expect(shrinking.movingAway)
    }

    @Test func achievedOrMissedOnceToIsObserved() {
        // ((150 / 100)^(1/5) − 1) · 100 = 8.4471771… ≥ 7 → achieved.
        let achieved = evaluate(sevenPercent, indicator: rd, rows(rd, "CN-AH", ["2020": 100, "2022": 105, "2025": 150]), asOf: "2026-12-31")
        #expect(approx(achieved.actualPace, 8.447177119769854))
        #expect(achieved.state == .achieved)
        #expect(achieved.latestPeriod == "2025")
        #expect(achieved.message == "Achieved: growth 8.45% a year 2020–2025 against 7% needed.")
        // ((130 / 100)^(1/5) − 1) · 100 = 5.3873952… < 7 → missed (even though 2020–2022 was faster: 11.8%).
        let missed = evaluate(sevenPercent, indicator: rd, rows(rd, "CN-AH", ["2020": 100, "2022": 125, "2025": 130]), asOf: "2026-12-31")
        #expect(approx(missed.actualPace, 5.387395206178347))
        #expect(missed.state == .missed)
        #expect(missed.message == "Missed: growth 5.39% a year 2020–2025 against 7% needed.")
    }

    @Test func missingFromFallsBackToTheEarliestLaterObservation() {
        // 2020 not observed: v(2021) = 100 plays v(from); ((116.64 / 100)^(1/(2023 − 2021)) − 1) · 100 = 8 → on_track.
        let e = evaluate(sevenPercent, indicator: rd, rows(rd, "CN-AH", ["2021": 100, "2023": 116.64]), asOf: "2024-06-30")
        #expect(e.baselinePeriod == "2021")
        #expect(e.baselineValue == 100)
        #expect(approx(e.actualPace, 8))
        #expect(e.state == .onTrack)
    }

    @Test func insufficientAndStale() {
        let one = evaluate(sevenPercent, indicator: rd, rows(rd, "CN-AH", ["2021": 100]), asOf: "2022-06-30")
        #expect(one.state == .insufficientData)
        #expect(one.baselinePeriod == nil)
        #expect(one.actualPace == nil)
        #expect(evaluate(sevenPercent, indicator: rd, [], asOf: "2022-06-30").state == .insufficientData)
        // t = 2022, lag P10M: 2023-12-31 + 10 months = 2024-10-31; + 30 days = 2024-11-30.
        let data = rows(rd, "CN-AH", ["2020": 100, "2022": 116.64])
        #expect(evaluate(sevenPercent, indicator: rd, data, asOf: "2024-11-30").state == .onTrack)
        let stale = evaluate(sevenPercent, indicator: rd, data, asOf: "2024-12-01")
        #expect(stale.state == .onTrack)
        #expect(stale.stale)
        #expect(stale.message.hasSuffix(" The 2023 figure is overdue: it was due by 2024-11-30."))
    }
}
