import Foundation
import Testing

@testable import PlanWatchCore

/// The sharpened rules of SPEC §5 (issue 10, item 9): `moving_away` in every state but met and achieved, a
/// milestone with no completion reported, equality relative to the two numbers compared, and message wording.
@Suite("Evaluation: moving away, milestones without completion, relative equality, message wording")
struct SharpenedRulesTests: EvaluationTesting {
    let urb = "urbanization_rate"  // lag P3M
    let rd = "rd_intensity"  // lag P6M
    let ei = "energy_intensity"  // direction decrease, lag P6M
    let ms = "central-modern-economy-2035"  // lag P3M
    let spending = "rd_spending"  // lag P10M

    // MARK: moving_away

    @Test func missedLevelWithANegativeRatioIsMovingAway() {
        // T = 65, v(2020) = 60, v(2025) = 59: required = (65 − 60) / 5 = 1; actual = (59 − 60) / 5 = −0.2;
        // ratio −0.2 < 0. D observed and 59 < 65 → missed, and moving away.
        let e = evaluate(level(65), indicator: urb, rows(urb, "CN-AH", ["2020": 60, "2025": 59]), asOf: "2026-06-30")
        #expect(e.state == .missed)
        #expect(e.requiredPace == 1)
        #expect(e.actualPace == -0.2)
        #expect(e.paceRatio == -0.2)
        #expect(e.movingAway)
        #expect(e.message == "Missed: 59 in 2025 falls short of the target ≥ 65.")
        // Missed at a positive ratio: actual = (64 − 60) / 5 = 0.8; ratio 0.8 → not moving away.
        let short = evaluate(level(65), indicator: urb, rows(urb, "CN-AH", ["2020": 60, "2025": 64]), asOf: "2026-06-30")
        #expect(short.state == .missed)
        #expect(short.paceRatio == 0.8)
        #expect(short.movingAway == false)
    }

    @Test func staleLevelWithANegativeRatioIsMovingAway() {
        // t = 2024; the 2025 figure was due 2025-12-31 + P3M + 30 days = 2026-04-30 → stale on 2026-05-01.
        // required = (65 − 60) / 5 = 1; actual = (58 − 60) / 4 = −0.5; ratio −0.5 → moving away.
        let e = evaluate(level(65), indicator: urb, rows(urb, "CN-AH", ["2020": 60, "2024": 58]), asOf: "2026-05-01")
        #expect(e.state == .offTrack)
        #expect(e.stale)
        #expect(e.paceRatio == -0.5)
        #expect(e.movingAway)
        #expect(e.message.hasSuffix(" The 2025 figure is overdue: it was due by 2026-04-30."))
        // Stale at a positive ratio: (64 − 60) / 4 = 1 → not moving away.
        let rising = evaluate(level(65), indicator: urb, rows(urb, "CN-AH", ["2020": 60, "2024": 64]), asOf: "2026-05-01")
        #expect(rising.state == .onTrack)
        #expect(rising.stale)
        #expect(rising.movingAway == false)
    }

    var towardNational: TargetKind {
        .level(compare: .greaterOrEqual, reference: .region("CN", indicator: nil), baseline: period("2020"), deadline: period("2025"), pace: .linear)
    }

    @Test func referenceTargetMissedOrStaleWithANegativeRatioIsMovingAway() {
        // g = v − r: 2.0 − 2.5 = −0.5 (2020), 1.75 − 2.5 = −0.75 (2025). required = 0.5 / 5 = 0.1;
        // actual = (−0.75 + 0.5) / 5 = −0.05; ratio −0.5. g(D) < 0 → missed, moving away.
        let missed = evaluate(
            towardNational, indicator: rd, rows(rd, "CN-AH", ["2020": 2.0, "2025": 1.75]) + rows(rd, "CN", ["2020": 2.5, "2025": 2.5]),
            asOf: "2026-09-30")
        #expect(missed.state == .missed)
        #expect(approx(missed.paceRatio, -0.5))
        #expect(missed.movingAway)
        #expect(missed.message == "Missed: 1.75 in 2025 against 2.5 for China.")
        // t = 2022: the 2023 gap was due 2023-12-31 + P6M + 30 days = 2024-07-30 → stale on 2024-07-31.
        // actual = (−0.75 + 0.5) / 2 = −0.125; ratio −1.25 → moving away.
        let stale = evaluate(
            towardNational, indicator: rd, rows(rd, "CN-AH", ["2020": 2.0, "2022": 1.75]) + rows(rd, "CN", ["2020": 2.5, "2022": 2.5]),
            asOf: "2024-07-31")
        #expect(stale.state == .offTrack)
        #expect(stale.stale)
        #expect(approx(stale.paceRatio, -1.25))
        #expect(stale.movingAway)
        #expect(stale.message.hasSuffix(" The 2023 figure is overdue: it was due by 2024-07-30."))
    }

    @Test func groupTargetMissedWithANegativeRatioIsMovingAway() {
        // CN-CENTRAL = AH, HA, HB, population-weighted (50, 100, 50):
        // 2020: (50·60 + 100·55 + 50·65) / 200 = 58.75; 2025: (50·58 + 100·53 + 50·63) / 200 = 11350 / 200 = 56.75.
        // required = (65 − 58.75) / 5 = 1.25; actual = (56.75 − 58.75) / 5 = −0.4; ratio −0.32 → missed, moving away.
        let data = rows(urb, "CN-AH", ["2020": 60, "2025": 58]) + rows(urb, "CN-HA", ["2020": 55, "2025": 53])
            + rows(urb, "CN-HB", ["2020": 65, "2025": 63])
            + rows("population", "CN-AH", ["2020": 50, "2025": 50]) + rows("population", "CN-HA", ["2020": 100, "2025": 100])
            + rows("population", "CN-HB", ["2020": 50, "2025": 50])
        let e = evaluate(level(65), indicator: urb, region: "CN-CENTRAL", data, asOf: "2026-06-30")
        #expect(e.state == .missed)
        #expect(e.baselineValue == 58.75)
        #expect(e.latestValue == 56.75)
        #expect(e.requiredPace == 1.25)
        #expect(approx(e.actualPace, -0.4))
        #expect(approx(e.paceRatio, -0.32))
        #expect(e.movingAway)
        #expect(e.message == "Missed: 56.75 in 2025 falls short of the target ≥ 65.")
    }

    var down13_5: TargetKind { .cumulativeChange(percent: -13.5, baseline: period("2020"), deadline: period("2025")) }

    @Test func cumulativeChangeMissedOrStaleWithANegativeRatioIsMovingAway() {
        // T = 200 · 0.865 = 173, s = −1. required = 0.865^(1/5) − 1 = −0.028588542599279565.
        // 210 in 2025: actual = 1.05^(1/5) − 1 = 0.009805797673485328; ratio −0.3429974661853674 → missed, moving away.
        let missed = evaluate(down13_5, indicator: ei, rows(ei, "CN-AH", ["2020": 200, "2025": 210]), asOf: "2026-12-31")
        #expect(missed.state == .missed)
        #expect(approx(missed.paceRatio, -0.3429974661853674))
        #expect(missed.movingAway)
        #expect(missed.message == "Missed: 210 in 2025 falls short of the target ≤ 173.")
        // 210 in 2021: actual = 1.05 − 1 = 0.05; ratio −1.7489523933010844. The 2022 figure was due
        // 2022-12-31 + P6M + 30 days = 2023-07-30 → stale on 2023-08-01, moving away.
        let stale = evaluate(down13_5, indicator: ei, rows(ei, "CN-AH", ["2020": 200, "2021": 210]), asOf: "2023-08-01")
        #expect(stale.state == .offTrack)
        #expect(stale.stale)
        #expect(approx(stale.paceRatio, -1.7489523933010844))
        #expect(stale.movingAway)
        #expect(stale.message.hasSuffix(" The 2022 figure is overdue: it was due by 2023-07-30."))
    }

    var milestone2035: TargetKind { .milestone(baseline: period("2021"), deadline: period("2035")) }

    @Test func milestoneMissedOrStaleWithANegativeRatioIsMovingAway() {
        // v(2021) = 10, v(2035) = 5: required = 90 / 14; actual = −5 / 14; ratio −5 / 90 → missed, moving away.
        let missed = evaluate(milestone2035, indicator: ms, region: "CN-CENTRAL", rows(ms, "CN-CENTRAL", ["2021": 10, "2035": 5]), asOf: "2036-06-30")
        #expect(missed.state == .missed)
        #expect(approx(missed.paceRatio, -5.0 / 90))
        #expect(missed.movingAway)
        // v(2024) = 5: actual = −5 / 3; ratio (−5 / 3) / (90 / 14) = −70 / 270. The 2025 figure was due
        // 2025-12-31 + P3M + 30 days = 2026-04-30 → stale, moving away.
        let stale = evaluate(milestone2035, indicator: ms, region: "CN-CENTRAL", rows(ms, "CN-CENTRAL", ["2021": 10, "2024": 5]), asOf: "2026-06-30")
        #expect(stale.state == .offTrack)
        #expect(stale.stale)
        #expect(approx(stale.paceRatio, -70.0 / 270))
        #expect(stale.movingAway)
        #expect(stale.message.hasSuffix(" The 2025 figure is overdue: it was due by 2026-04-30."))
    }

    @Test func growthStaleWithANegativeRatioIsMovingAway() {
        // ((90 / 100)^(1/1) − 1) · 100 = −10; ratio −10 / 7. The 2022 figure was due 2022-12-31 + P10M + 30 days
        // = 2023-11-30 → stale on 2023-12-01, moving away.
        let kind = TargetKind.growth(minRate: 7, from: period("2020"), to: period("2025"))
        let e = evaluate(kind, indicator: spending, rows(spending, "CN-AH", ["2020": 100, "2021": 90]), asOf: "2023-12-01")
        #expect(e.state == .offTrack)
        #expect(e.stale)
        #expect(approx(e.actualPace, -10))
        #expect(approx(e.paceRatio, -10.0 / 7))
        #expect(e.movingAway)
        #expect(e.message.hasSuffix(" The 2022 figure is overdue: it was due by 2023-11-30."))
    }

    @Test func achievedWithANegativeRatioIsNotMovingAway() {
        // Growth of at least −2% a year: 100 → 105 over 2020–2025 is ((1.05)^(1/5) − 1) · 100 = 0.98057976…% ≥ −2
        // → achieved; ratio 0.98058 / −2 = −0.4902898836742664 is negative, but achieved is never moving away.
        let growth = evaluate(
            .growth(minRate: -2, from: period("2020"), to: period("2025")), indicator: spending,
            rows(spending, "CN-AH", ["2020": 100, "2025": 105]), asOf: "2026-12-31")
        #expect(growth.state == .achieved)
        #expect(approx(growth.paceRatio, -0.4902898836742664))
        #expect(growth.movingAway == false)
        // A change of at least −1 in 2021: 50 → 51 is +1 ≥ −1 and `to` observed → achieved; ratio 1 / −1 = −1.
        let change = evaluate(annualChange(min: -1, from: "2021", to: "2021"), indicator: urb, rows(urb, "CN-AH", ["2020": 50, "2021": 51]), asOf: "2022-06-30")
        #expect(change.state == .achieved)
        #expect(change.paceRatio == -1)
        #expect(change.movingAway == false)
        #expect(change.message == "Achieved: change 1 in 2021 against -1 a period.")
        // Met with a negative ratio: v(2020) = 66 and v(2022) = 67 both meet ≥ 65; required = (65 − 66) / 5 = −0.2,
        // actual = (67 − 66) / 2 = 0.5, ratio −2.5 → met, not moving away.
        let met = evaluate(level(65), indicator: urb, rows(urb, "CN-AH", ["2020": 66, "2022": 67]), asOf: "2023-06-30")
        #expect(met.state == .met)
        #expect(approx(met.paceRatio, -2.5))
        #expect(met.movingAway == false)
    }

    // MARK: milestone with no completion

    @Test func milestoneWithNoCompletionSaysHowToReportOne() {
        // Nothing reported in [2021, 2035]: the implied v(b) = 0 does not count yet → insufficient_data. The example
        // row is for the latest year in [b, D] that has ended by the as-of date (2026 on 2027-06-30).
        let none = evaluate(milestone2035, indicator: ms, region: "CN-CENTRAL", [], asOf: "2027-06-30")
        #expect(none.state == .insufficientData)
        #expect(none.movingAway == false)
        #expect(none.baselinePeriod == nil)
        #expect(none.baselineValue == nil)
        #expect(none.paceRatio == nil)
        #expect(none.message == "Not enough data: no completion reported between 2021 and 2035; report the percentage complete as a CSV row `indicator,region,period,value`, e.g. `central-modern-economy-2035,CN-CENTRAL,2026,40`.")
        // A completion outside [b, D] does not count either; after the deadline the example is the deadline year.
        let outside = evaluate(milestone2035, indicator: ms, region: "CN-CENTRAL", rows(ms, "CN-CENTRAL", ["2019": 30]), asOf: "2040-01-01")
        #expect(outside.state == .insufficientData)
        #expect(outside.message == "Not enough data: no completion reported between 2021 and 2035; report the percentage complete as a CSV row `indicator,region,period,value`, e.g. `central-modern-economy-2035,CN-CENTRAL,2035,40`.")
        // Once one completion is reported, v(b) = 0 counts: 20 in 2026 → ratio 4 / (100 / 14) = 0.56 → off_track.
        let one = evaluate(milestone2035, indicator: ms, region: "CN-CENTRAL", rows(ms, "CN-CENTRAL", ["2026": 20]), asOf: "2027-06-30")
        #expect(one.state == .offTrack)
        #expect(approx(one.paceRatio, 0.56))
    }

    // MARK: relative equality

    @Test func equalityIsRelativeBelowOne() {
        // ≥ 0.001: 0.0009999999 differs from 0.001 by 1e-10, a relative 1e-7 > 1e-9 → not met → missed.
        let missed = evaluate(level(0.001), indicator: urb, rows(urb, "CN-AH", ["2020": 0.0005, "2025": 0.0009999999]), asOf: "2026-06-30")
        #expect(missed.state == .missed)
        // Before D it is not met either: required = 0.0005 / 5 = 0.0001; actual = 0.0004999999 / 3 = 0.000166666…;
        // ratio 1.666666 → on_track.
        let before = evaluate(level(0.001), indicator: urb, rows(urb, "CN-AH", ["2020": 0.0005, "2023": 0.0009999999]), asOf: "2024-06-30")
        #expect(before.state == .onTrack)
        #expect(approx(before.paceRatio, 0.0004999999 / 3 / 0.0001))
        // 0.1 + 0.2 = 0.30000000000000004 against 0.3: a relative 1.9e-16 → equal, met either way round.
        #expect(evaluate(level(0.3), indicator: urb, rows(urb, "CN-AH", ["2020": 0.1, "2025": 0.1 + 0.2]), asOf: "2026-06-30").state == .achieved)
        #expect(evaluate(level(0.1 + 0.2), indicator: urb, rows(urb, "CN-AH", ["2020": 0.1, "2025": 0.3]), asOf: "2026-06-30").state == .achieved)
        // A reference target compares v with r, not the gap with 0: 0.0009999999 against 0.001 → missed;
        // 0.3 against 0.1 + 0.2 (gap −5.6e-17) → equal → achieved.
        let reference = evaluate(
            towardNational, indicator: rd, rows(rd, "CN-AH", ["2020": 0.0005, "2025": 0.0009999999]) + rows(rd, "CN", ["2020": 0.001, "2025": 0.001]),
            asOf: "2026-09-30")
        #expect(reference.state == .missed)
        let equal = evaluate(
            towardNational, indicator: rd, rows(rd, "CN-AH", ["2020": 0.1, "2025": 0.3]) + rows(rd, "CN", ["2020": 0.2, "2025": 0.1 + 0.2]),
            asOf: "2026-09-30")
        #expect(equal.state == .achieved)
    }

    @Test func anAbsoluteChangeIsComparedWithMinChangeNotWithTheSeries() {
        func judged(_ before: Double, _ after: Double, min: Double, mode: ChangeMode = .everyPeriod) -> Evaluation {
            evaluate(annualChange(min: min, from: "2021", to: "2021", mode: mode), indicator: "gdp",
                rows("gdp", "CN-AH", ["2020": before, "2021": after]), asOf: "2022-06-30")
        }
        // 10000.009995 − 10000 = 0.009995 (0.00999500000034459 in binary) against 0.01: relative 5e-4 → fails.
        let small = judged(10000, 10000.009995, min: 0.01)
        #expect(small.changes?.map(\.passed) == [false])
        #expect(small.state == .missed)
        #expect(judged(10000, 10000.009995, min: 0.01, mode: .average).state == .missed)
        // 64.02 − 63.02 = 0.9999999999999929 against 1.00: relative 7e-15 → passes.
        let exact = judged(63.02, 64.02, min: 1.00)
        #expect(exact.changes?.map(\.passed) == [true])
        #expect(exact.state == .achieved)
        #expect(judged(63.02, 64.02, min: 1.00, mode: .average).state == .achieved)
        // 0.3 − 0.1 = 0.19999999999999998 against 0.2 → passes.
        #expect(judged(0.1, 0.3, min: 0.2).state == .achieved)
        // Large figures: 12345678.92 − 12345678.91 = 0.009999999776482582 in binary, a relative 2.2e-8 below 0.01,
        // all of it the rounding of the two figures (one unit in their last place is 1.9e-9) → passes as published.
        let large = judged(12_345_678.91, 12_345_678.92, min: 0.01)
        #expect(large.changes?.map(\.passed) == [true])
        #expect(large.state == .achieved)
        // But no change at all is no change of 0.01, however large the figures.
        #expect(judged(12_345_678.91, 12_345_678.91, min: 0.01).state == .missed)
        #expect(judged(12_345_678.91, 12_345_678.91, min: 0.01, mode: .average).state == .missed)
    }

    // MARK: message wording

    @Test func oneChangeAndOnePeriodMessages() {
        // annual_change over the single period 2023 with no 2022 figure: no "2023–2023".
        let single = evaluate(annualChange(min: 1, from: "2023", to: "2023"), indicator: urb, rows(urb, "CN-AH", ["2023": 50]), asOf: "2024-06-30")
        #expect(single.state == .insufficientData)
        #expect(single.message == "Not enough data: the change in 2023 needs both the 2023 and the 2022 figures.")
        // One change: "change", not "changes". 51 − 50 = 1 ≥ 1 → on_track.
        let one = evaluate(annualChange(min: 1), indicator: urb, rows(urb, "CN-AH", ["2020": 50, "2021": 51]), asOf: "2022-06-30")
        #expect(one.state == .onTrack)
        #expect(one.message == "On track: change 1 in 2021 against 1 a period.")
        // Consecutive: (125 / 100 − 1) · 100 = 25 ≥ 20, a run of 1 of the 2 needed, 4 periods left → on_track.
        let run = evaluate(
            annualChange(.relative, min: 20, mode: .consecutive(count: 2)), indicator: "gdp",
            rows("gdp", "CN-AH", ["2020": 100, "2021": 125]), asOf: "2022-06-30")
        #expect(run.state == .onTrack)
        #expect(run.message == "On track: change 25% in 2021 against 20% a period; best run 1 period in a row, 2 needed.")
        // Growth with a non-positive figure names it, in the right number.
        let growth = TargetKind.growth(minRate: 7, from: period("2020"), to: period("2025"))
        let zero = evaluate(growth, indicator: spending, rows(spending, "CN-AH", ["2020": 0, "2022": 5]), asOf: "2023-06-30")
        #expect(zero.state == .insufficientData)
        #expect(zero.message == "Not enough data: growth needs positive values, but the 2020 figure is not positive.")
        let negative = evaluate(growth, indicator: spending, rows(spending, "CN-AH", ["2020": -1, "2022": -2]), asOf: "2023-06-30")
        #expect(negative.message == "Not enough data: growth needs positive values, but the 2020 and 2022 figures are not positive.")
        // Every message is one sentence ending in exactly one period, with no one-period range such as 2023–2023.
        for e in [single, one, run, zero, negative] {
            #expect(e.message.hasSuffix("."))
            #expect(!e.message.contains(".."))
            #expect(!e.message.contains("2023–2023"))
        }
    }
}
