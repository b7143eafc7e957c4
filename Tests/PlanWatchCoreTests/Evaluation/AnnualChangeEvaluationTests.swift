import Foundation
import Testing

@testable import PlanWatchCore

/// SPEC §5, `annual_change`: each period's change against `min_change`, judged every period, on average, or as a
/// run of consecutive passes.
@Suite("Evaluation: annual change")
struct AnnualChangeEvaluationTests: EvaluationTesting {
    let urb = "urbanization_rate"  // lag P3M, direction increase

    /// The SPEC / issue example: urbanization 58.33, 59.39, 60.15, 61.51, 62.57 for 2020–2024, +1 pp a year
    /// 2021–2025, every_period, as of 2025-06-30.
    @Test func urbanizationExampleIsAtRisk() {
        let data = rows(urb, "CN-AH", ["2020": 58.33, "2021": 59.39, "2022": 60.15, "2023": 61.51, "2024": 62.57])
        let e = evaluate(annualChange(min: 1.0), indicator: urb, data, asOf: "2025-06-30")
        // changes: 59.39 − 58.33 = 1.06 (pass), 60.15 − 59.39 = 0.76 (fail), 61.51 − 60.15 = 1.36 (pass),
        // 62.57 − 61.51 = 1.06 (pass). 2025 not observed; the latest (2024) passed, an earlier one (2022) failed → at_risk.
        let changes = try! #require(e.changes)
        #expect(changes.map(\.period) == ["2021", "2022", "2023", "2024"])
        for (change, expected) in zip(changes.map(\.change), [1.06, 0.76, 1.36, 1.06]) { #expect(approx(change, expected)) }
        #expect(changes.map(\.passed) == [true, false, true, true])
        #expect(e.state == .atRisk)
        #expect(e.movingAway == false)
        // required = min_change = 1; actual = mean = (1.06 + 0.76 + 1.36 + 1.06) / 4 = 4.24 / 4 = 1.06; ratio 1.06.
        #expect(e.requiredPace == 1)
        #expect(approx(e.actualPace, 1.06))
        #expect(approx(e.paceRatio, 1.06))
        // The baseline is the period before `from`.
        #expect(e.baselinePeriod == "2020")
        #expect(e.baselineValue == 58.33)
        #expect(e.latestPeriod == "2024")
        #expect(e.latestValue == 62.57)
        // target_value (not defined by SPEC): 58.33 + 1 · 5 periods = 63.33.
        #expect(approx(e.targetValue, 63.33))
        #expect(e.message == "At risk: changes 1.06 in 2021, 0.76 in 2022, 1.36 in 2023, 1.06 in 2024 against 1 a period; 2022 fell short.")
        // 2025 was due 2025-12-31 + P3M + 30 days = 2026-04-30: stale from 2026-05-01.
        #expect(evaluate(annualChange(min: 1.0), indicator: urb, data, asOf: "2026-04-30").state == .atRisk)
        let stale = evaluate(annualChange(min: 1.0), indicator: urb, data, asOf: "2026-05-01")
        #expect(stale.state == .atRisk)
        #expect(stale.stale)
        #expect(stale.message.hasSuffix(" The 2025 figure is overdue: it was due by 2026-04-30."))
    }

    @Test func everyPeriodAchievedAndMissed() {
        // 50, 51, 52.5, 53.5, 55, 56 (2020–2025): changes 1, 1.5, 1, 1.5, 1 all ≥ 1 and 2025 observed → achieved.
        let all = rows(urb, "CN-AH", ["2020": 50, "2021": 51, "2022": 52.5, "2023": 53.5, "2024": 55, "2025": 56])
        let achieved = evaluate(annualChange(min: 1.0), indicator: urb, all, asOf: "2026-06-30")
        #expect(achieved.changes?.map(\.change) == [1, 1.5, 1, 1.5, 1])
        #expect(achieved.state == .achieved)
        // mean = 6 / 5 = 1.2
        #expect(achieved.actualPace == 1.2)
        #expect(achieved.message == "Achieved: changes 1 in 2021, 1.5 in 2022, 1 in 2023, 1.5 in 2024, 1 in 2025 against 1 a period.")
        // 2025 = 55.5: change 0.5 < 1 → missed.
        let missedData = rows(urb, "CN-AH", ["2020": 50, "2021": 51, "2022": 52.5, "2023": 53.5, "2024": 55, "2025": 55.5])
        let missed = evaluate(annualChange(min: 1.0), indicator: urb, missedData, asOf: "2026-06-30")
        #expect(missed.state == .missed)
        #expect(missed.message == "Missed: changes 1 in 2021, 1.5 in 2022, 1 in 2023, 1.5 in 2024, 0.5 in 2025 against 1 a period; 2025 fell short.")
    }

    @Test func everyPeriodBeforeTo() {
        // 50, 51, 52.5, 53 → changes 1 (pass), 1.5 (pass), 0.5 (fail): the latest failed → off_track.
        let off = evaluate(annualChange(min: 1.0), indicator: urb, rows(urb, "CN-AH", ["2020": 50, "2021": 51, "2022": 52.5, "2023": 53]), asOf: "2024-06-30")
        #expect(off.state == .offTrack)
        // mean = 3 / 3 = 1 → ratio 1 (the ratio does not decide every_period).
        #expect(off.paceRatio == 1)
        // 50, 51, 52.5, 53.5 → all pass → on_track.
        let on = evaluate(annualChange(min: 1.0), indicator: urb, rows(urb, "CN-AH", ["2020": 50, "2021": 51, "2022": 52.5, "2023": 53.5]), asOf: "2024-06-30")
        #expect(on.state == .onTrack)
        #expect(on.message == "On track: changes 1 in 2021, 1.5 in 2022, 1 in 2023 against 1 a period.")
    }

    @Test func averageMode() {
        let average = annualChange(min: 1.0, mode: .average)
        // 50, 50.5, 52, 52.75 → changes 0.5, 1.5, 0.75; mean 2.75 / 3 = 0.91666…; ratio 0.9167 → at_risk.
        let risk = evaluate(average, indicator: urb, rows(urb, "CN-AH", ["2020": 50, "2021": 50.5, "2022": 52, "2023": 52.75]), asOf: "2024-06-30")
        #expect(approx(risk.actualPace, 2.75 / 3))
        #expect(approx(risk.paceRatio, 2.75 / 3))
        #expect(risk.state == .atRisk)
        #expect(risk.message == "At risk: average change 0.92 a period since 2020 against 1 needed (0.5 in 2021, 1.5 in 2022, 0.75 in 2023).")
        // 50, 51.5, 52.25 → 1.5, 0.75; mean 1.125 → on_track (one period failing does not matter).
        let on = evaluate(average, indicator: urb, rows(urb, "CN-AH", ["2020": 50, "2021": 51.5, "2022": 52.25]), asOf: "2023-06-30")
        #expect(on.actualPace == 1.125)
        #expect(on.state == .onTrack)
        // 50, 50.25, 50.5 → 0.25, 0.25; mean 0.25 → ratio 0.25 → off_track.
        #expect(evaluate(average, indicator: urb, rows(urb, "CN-AH", ["2020": 50, "2021": 50.25, "2022": 50.5]), asOf: "2023-06-30").state == .offTrack)
        // `to` observed: 50, 50.5, 52, 52.75, 54, 55 → 0.5, 1.5, 0.75, 1.25, 1; mean 5 / 5 = 1 ≥ 1 → achieved.
        let full = rows(urb, "CN-AH", ["2020": 50, "2021": 50.5, "2022": 52, "2023": 52.75, "2024": 54, "2025": 55])
        let achieved = evaluate(average, indicator: urb, full, asOf: "2026-06-30")
        #expect(achieved.actualPace == 1)
        #expect(achieved.state == .achieved)
        // 2025 = 54.5 → mean 4.5 / 5 = 0.9 < 1 → missed.
        let short = rows(urb, "CN-AH", ["2020": 50, "2021": 50.5, "2022": 52, "2023": 52.75, "2024": 54, "2025": 54.5])
        #expect(evaluate(average, indicator: urb, short, asOf: "2026-06-30").state == .missed)
    }

    /// Growth above 20% two years running: relative change, consecutive, count 2 (gdp: lag P3M).
    var twoYearsAbove20: TargetKind { annualChange(.relative, min: 20, mode: .consecutive(count: 2)) }

    @Test func consecutiveAchievedAsSoonAsNPass() {
        // (125 / 100 − 1) · 100 = 25 (pass), (160 / 125 − 1) · 100 = 28 (pass): two in a row → achieved before `to`.
        let e = evaluate(twoYearsAbove20, indicator: "gdp", rows("gdp", "CN-AH", ["2020": 100, "2021": 125, "2022": 160]), asOf: "2023-06-30")
        #expect(approx(e.changes?.first?.change, 25))
        #expect(approx(e.changes?.last?.change, 28))
        #expect(e.state == .achieved)
        // The average change per period from the base: ((160 / 100)^(1/2) − 1) · 100 = 26.491…; ratio / 20.
        #expect(approx(e.actualPace, (1.6.squareRoot() - 1) * 100))
        #expect(approx(e.paceRatio, (1.6.squareRoot() - 1) * 5))
        #expect(e.message == "Achieved: changes 25% in 2021, 28% in 2022 against 20% a period; best run 2 periods in a row, 2 needed.")
    }

    @Test func consecutiveBeforeTheRunIsComplete() {
        // 100, 125 (+25%, pass), 130 (+4%, fail): run 0, 3 periods left (2023–2025) ≥ 2 → the latest failed → at_risk.
        let risk = evaluate(twoYearsAbove20, indicator: "gdp", rows("gdp", "CN-AH", ["2020": 100, "2021": 125, "2022": 130]), asOf: "2023-06-30")
        #expect(risk.changes?.map(\.passed) == [true, false])
        #expect(risk.state == .atRisk)
        // 100, 110 (+10%, fail), 137.5 (+25%, pass): run 1, the latest passed → on_track.
        let on = evaluate(twoYearsAbove20, indicator: "gdp", rows("gdp", "CN-AH", ["2020": 100, "2021": 110, "2022": 137.5]), asOf: "2023-06-30")
        #expect(on.changes?.map(\.passed) == [false, true])
        #expect(on.state == .onTrack)
        // A gap is spread evenly: 2021 +25% (pass); 2022 missing, so 2022 and 2023 each get (150 / 125)^(1/2) − 1
        // = +9.54% (fail); 2024 (187.5 / 150 − 1) · 100 = +25% (pass) → runs of 1; 2025 left, 1 + 1 ≥ 2 → on_track.
        let gap = evaluate(twoYearsAbove20, indicator: "gdp", rows("gdp", "CN-AH", ["2020": 100, "2021": 125, "2023": 150, "2024": 187.5]), asOf: "2025-06-30")
        #expect(gap.changes?.map(\.period) == ["2021", "2022", "2023", "2024"])
        #expect(gap.changes?.map(\.passed) == [true, false, false, true])
        #expect(approx(gap.changes?[1].change, (1.2.squareRoot() - 1) * 100))
        #expect(gap.state == .onTrack)
    }

    @Test func consecutiveMissedWhenNoLongerPossible() {
        // 100, 110, 115, 120, 130 (2020–2024): +10%, +4.55%, +4.35%, +8.33% all fail; only 2025 is left: 0 + 1 < 2 → missed.
        let e = evaluate(twoYearsAbove20, indicator: "gdp", rows("gdp", "CN-AH", ["2020": 100, "2021": 110, "2022": 115, "2023": 120, "2024": 130]), asOf: "2025-06-30")
        #expect(e.changes?.map(\.passed) == [false, false, false, false])
        #expect(e.state == .missed)
        // The average change per period from the base: ((130 / 100)^(1/4) − 1) · 100 = 6.779…; ratio / 20 = 0.339…
        #expect(approx(e.actualPace, (pow(1.3, 0.25) - 1) * 100))
        #expect(approx(e.paceRatio, (pow(1.3, 0.25) - 1) * 5))
    }

    @Test func fewerThanTwoObservationsOrNoComputableChangeIsInsufficientData() {
        let one = evaluate(annualChange(min: 1.0), indicator: urb, rows(urb, "CN-AH", ["2022": 50]), asOf: "2023-06-30")
        #expect(one.state == .insufficientData)
        #expect(one.changes == [])
        #expect(one.actualPace == nil)
        #expect(one.message == "Not enough data: no period in 2021–2025 has both its value and an earlier one.")
        #expect(evaluate(annualChange(min: 1.0), indicator: urb, [], asOf: "2025-06-30").state == .insufficientData)
        // A relative change needs positive values: 0 → 5 has none.
        let zero = evaluate(
            annualChange(.relative, min: 5), indicator: "gdp", rows("gdp", "CN-AH", ["2020": 0, "2021": 5]), asOf: "2022-06-30")
        #expect(zero.state == .insufficientData)
        #expect(zero.changes == [])
    }

    /// SPEC §5: without the period before `from`, the base is the earliest observation after it; a gap between
    /// two observations is spread evenly over the periods it covers.
    @Test func theBaseFallsBackToTheEarliestObservationAndAGapIsSpreadEvenly() {
        // 2020 and 2021 missing: the base is 2022 (50); 2023 and 2024 each get (52 − 50) / 2 = 1 → on track.
        let e = evaluate(annualChange(min: 1.0), indicator: urb, rows(urb, "CN-AH", ["2022": 50, "2024": 52]), asOf: "2025-06-30")
        #expect(e.baselinePeriod == "2022")
        #expect(e.baselineValue == 50)
        #expect(e.changes == [
            PeriodChange(period: "2023", change: 1, passed: true), PeriodChange(period: "2024", change: 1, passed: true),
        ])
        #expect(e.actualPace == 1)
        #expect(e.state == .onTrack)
        #expect(e.message == "On track: changes 1 in 2023, 1 in 2024 against 1 a period; a gap in the data is spread evenly (2022–2024 over 2 periods).")
    }

    /// The life expectancy: 77.93 (2020) … 79.25 (2025) with 2022 unpublished averages (79.25 − 77.93) / 5
    /// = 0.264 a year, not the 0.34 of the changes between consecutive years alone.
    @Test func theAveragePaceRunsFromTheBaseAcrossAGap() {
        // The same figures under an indicator of the test catalogue.
        let life = rows(urb, "CN-AH", ["2020": 77.93, "2021": 78.2, "2023": 78.6, "2024": 79.0, "2025": 79.25])
        let e = evaluate(annualChange(min: 0.2, mode: .average), indicator: urb, life, asOf: "2026-06-30")
        #expect(approx(e.actualPace, 0.264))
        #expect(approx(e.paceRatio, 1.32))
        let changes = try! #require(e.changes)
        #expect(changes.map(\.period) == ["2021", "2022", "2023", "2024", "2025"])
        for (change, expected) in zip(changes.map(\.change), [0.27, 0.2, 0.2, 0.4, 0.25]) { #expect(approx(change, expected)) }
        #expect(e.state == .achieved)
        #expect(e.message == "Achieved: average change 0.26 a period since 2020 against 0.2 needed (0.27 in 2021, 0.2 in 2022, 0.2 in 2023, 0.4 in 2024, 0.25 in 2025); a gap in the data is spread evenly (2021–2023 over 2 periods).")
    }

    @Test func decreasingIndicator() {
        // energy_intensity has direction decrease → s = −1; "down by at least 0.5 a year" is min_change −0.5.
        let ei = "energy_intensity"
        let e = evaluate(annualChange(min: -0.5), indicator: ei, rows(ei, "CN-AH", ["2020": 10, "2021": 9.5, "2022": 9.25, "2023": 8.5]), asOf: "2024-06-30")
        // changes −0.5: −(−0.5 − (−0.5)) = 0 ≥ 0 pass; −0.25: −(−0.25 + 0.5) = −0.25 < 0 fail; −0.75: 0.25 ≥ 0 pass.
        #expect(e.changes?.map(\.change) == [-0.5, -0.25, -0.75])
        #expect(e.changes?.map(\.passed) == [true, false, true])
        // Latest passed, an earlier one failed → at_risk. mean = −1.5 / 3 = −0.5; ratio −0.5 / −0.5 = 1.
        #expect(e.state == .atRisk)
        #expect(e.actualPace == -0.5)
        #expect(e.paceRatio == 1)
        #expect(e.movingAway == false)
        // A rise is the wrong way: 10 → 10.5 gives +0.5: −(0.5 + 0.5) = −1 < 0 → off_track; ratio 0.5 / −0.5 = −1 → moving away.
        let rising = evaluate(annualChange(min: -0.5), indicator: ei, rows(ei, "CN-AH", ["2020": 10, "2021": 10.5]), asOf: "2022-06-30")
        #expect(rising.state == .offTrack)
        #expect(rising.paceRatio == -1)
        #expect(rising.movingAway)
    }
}
