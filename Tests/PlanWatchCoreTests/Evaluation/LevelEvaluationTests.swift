import Foundation
import Testing

@testable import PlanWatchCore

/// SPEC §5, `level` with a constant target: pace, state rules in order, projection, staleness.
@Suite("Evaluation: level with a constant target")
struct LevelEvaluationTests: EvaluationTesting {
    let urb = "urbanization_rate"  // lag P3M

    @Test func linearPaceOnTrackWithProjectionAndMessage() {
        // b = 2020, D = 2025, T = 65; 60, 61, 62 in 2020–2022; as of 2023-06-30.
        let e = evaluate(level(65), indicator: urb, rows(urb, "CN-AH", ["2020": 60, "2021": 61, "2022": 62]), asOf: "2023-06-30")
        // required = (65 − 60) / (2025 − 2020) = 1.0; actual = (62 − 60) / (2022 − 2020) = 1.0; ratio 1.0 ≥ 0.95 → on_track
        #expect(e.state == .onTrack)
        #expect(e.movingAway == false)
        #expect(e.kind == "level")
        #expect(e.asOf == "2023-06-30")
        #expect(e.baselinePeriod == "2020")
        #expect(e.baselineValue == 60)
        #expect(e.latestPeriod == "2022")
        #expect(e.latestValue == 62)
        #expect(e.targetValue == 65)
        #expect(e.requiredPace == 1.0)
        #expect(e.actualPace == 1.0)
        #expect(e.paceRatio == 1.0)
        // Least squares through (2020, 60), (2021, 61), (2022, 62): slope 1, intercept 61 − 2021 = −1960;
        // at D: −1960 + 2025 = 65; the line reaches T = 65 at (65 + 1960) / 1 = 2025.
        #expect(e.projectedValue == 65)
        #expect(e.projectedPeriod == 2025)
        // Progress: (2022 − 2020) / (2025 − 2020) = 40% of the time, (62 − 60) / (65 − 60) = 40% of the distance;
        // (65 − 62) / (2025 − 2022) = 1 a year still needed.
        #expect(e.timeElapsed == 0.4)
        #expect(e.distanceCovered == 0.4)
        #expect(e.remainingPace == 1)
        #expect(e.stale == false)
        #expect(e.message == "On track: 62 in 2022; pace 1 a year against 1 a year needed to reach the target ≥ 65 by 2025 (100%); projected 65 in 2025. 40% of the time, 40% of the distance; needs +1 a year from now, against +1 a year so far.")
    }

    /// T = 80, b = 2020 (v = 60), D = 2040 → required = (80 − 60) / (2040 − 2020) = 1.0; one more value in 2024,
    /// so actual = (v − 60) / 4 and ratio = actual / 1. All these numbers are exact in binary.
    @Test(arguments: [
        (64.0, 1.0, TargetState.onTrack, false),  // 4 / 4 = 1.0 ≥ 0.95
        (63.75, 0.9375, .atRisk, false),  // 3.75 / 4 = 0.9375: < 0.95, ≥ 0.60
        (62.5, 0.625, .atRisk, false),  // 2.5 / 4 = 0.625 ≥ 0.60
        (62.25, 0.5625, .offTrack, false),  // 2.25 / 4 = 0.5625 < 0.60
        (60.0, 0.0, .offTrack, false),  // no progress: ratio 0, not negative → not moving away
        (58.0, -0.5, .offTrack, true),  // −2 / 4 = −0.5: negative ratio → moving_away
    ])
    func ratioThresholds(value: Double, ratio: Double, state: TargetState, movingAway: Bool) {
        let e = evaluate(level(80, deadline: "2040"), indicator: urb, rows(urb, "CN-AH", ["2020": 60, "2024": value]), asOf: "2025-06-30")
        #expect(e.requiredPace == 1.0)
        #expect(e.actualPace == ratio)
        #expect(e.paceRatio == ratio)
        #expect(e.state == state)
        #expect(e.movingAway == movingAway)
        // Two points: the line is the pace itself; at 2040: 60 + ratio · 20.
        #expect(approx(e.projectedValue, 60 + ratio * 20))
        // The line reaches 80 only when it rises (s · slope > 0): at 2020 + 20 / ratio.
        if ratio > 0 {
            #expect(approx(e.projectedPeriod, 2020 + 20 / ratio))
        } else {
            #expect(e.projectedPeriod == nil)
        }
    }

    @Test func negativePaceMessage() {
        // required = (80 − 60) / 20 = 1; actual = (58 − 60) / 4 = −0.5; ratio −0.5 → off_track, moving away;
        // projection 60 − 0.5 · 20 = 50 in 2040.
        let e = evaluate(level(80, deadline: "2040"), indicator: urb, rows(urb, "CN-AH", ["2020": 60, "2024": 58]), asOf: "2025-06-30")
        // 4 / 20 = 20% of the time, (58 − 60) / (80 − 60) = −10% of the distance; (80 − 58) / 16 = 1.375 a year needed.
        #expect(e.remainingPace == 1.375)
        #expect(e.message == "Off track: 58 in 2024; pace -0.5 a year against 1 a year needed to reach the target ≥ 80 by 2040 (-50%); projected 50 in 2040. 20% of the time, -10% of the distance; needs +1.38 a year from now, against -0.5 a year so far.")
    }

    @Test func thresholdsAreSettings() {
        // Same target as above, thresholds 0.90 / 0.50.
        let policy = EvaluationPolicy(onTrack: 0.90, atRisk: 0.50)
        func state(_ value: Double) -> TargetState {
            evaluate(level(80, deadline: "2040"), indicator: urb, rows(urb, "CN-AH", ["2020": 60, "2024": value]), asOf: "2025-06-30", policy: policy).state
        }
        #expect(state(63.75) == .onTrack)  // 0.9375 ≥ 0.90
        #expect(state(62.25) == .atRisk)  // 0.5625 ≥ 0.50
        #expect(state(61.5) == .offTrack)  // 1.5 / 4 = 0.375 < 0.50
    }

    @Test func baselineAlreadyMetButLatestNotIsOffTrackMovingAway() {
        // T = 65, v(2020) = 66 already meets it; v(2022) = 64 does not.
        let e = evaluate(level(65), indicator: urb, rows(urb, "CN-AH", ["2020": 66, "2022": 64]), asOf: "2023-06-30")
        // required = (65 − 66) / 5 = −0.2; s · required = −0.2 ≤ 0 → off_track with moving_away.
        // actual = (64 − 66) / 2 = −1; ratio = −1 / −0.2 = 5 (the ratio rule is not reached).
        #expect(e.state == .offTrack)
        #expect(e.movingAway)
        #expect(e.requiredPace == -0.2)
        #expect(e.actualPace == -1)
        #expect(approx(e.paceRatio, 5))
        // Line through (2020, 66), (2022, 64): slope −1; at 2025: 66 − 5 = 61; falling, so no projected period.
        #expect(e.projectedValue == 61)
        #expect(e.projectedPeriod == nil)
        #expect(e.message == "Off track and moving away: the baseline 66 in 2020 met the target ≥ 65, but 64 in 2022 does not.")
    }

    @Test func metBeforeTheDeadline() {
        // v(2023) = 65.5 ≥ 65, D = 2025 not observed → met.
        let e = evaluate(level(65), indicator: urb, rows(urb, "CN-AH", ["2020": 60, "2023": 65.5]), asOf: "2024-06-30")
        #expect(e.state == .met)
        #expect(e.movingAway == false)
        #expect(e.latestPeriod == "2023")
        #expect(e.latestValue == 65.5)
        #expect(e.targetValue == 65)
        // required = 5 / 5 = 1; actual = 5.5 / 3; the numbers are still reported.
        #expect(e.requiredPace == 1)
        #expect(approx(e.actualPace, 5.5 / 3))
        #expect(e.message == "Met ahead of the 2025 deadline: 65.5 in 2023 meets the target ≥ 65.")
        // Exactly at the target with `>=`: s · (65 − 65) = 0 ≥ 0 → met.
        let exact = evaluate(level(65), indicator: urb, rows(urb, "CN-AH", ["2020": 60, "2023": 65]), asOf: "2024-06-30")
        #expect(exact.state == .met)
    }

    @Test func metByASingleObservationIsMetNotInsufficient() {
        // "met at t → met" comes before "fewer than two observations".
        let e = evaluate(level(65), indicator: urb, rows(urb, "CN-AH", ["2023": 66]), asOf: "2024-06-30")
        #expect(e.state == .met)
        #expect(e.baselinePeriod == nil)
        #expect(e.latestPeriod == "2023")
    }

    @Test func metEarlierThenLostIsJudgedByTheRatio() {
        // 60, 66, 62 in 2020–2022, T = 65: met in 2021, not at t = 2022.
        let e = evaluate(level(65), indicator: urb, rows(urb, "CN-AH", ["2020": 60, "2021": 66, "2022": 62]), asOf: "2023-06-30")
        // required = (65 − 60) / 5 = 1; actual = (62 − 60) / 2 = 1; ratio 1 → on_track (not met).
        #expect(e.state == .onTrack)
        #expect(e.paceRatio == 1)
        #expect(e.movingAway == false)
        // Least squares: mean x 2021, mean y 188 / 3; Sxy = (−1)(60 − 188/3) + 0 + (1)(62 − 188/3) = 2, Sxx = 2 → slope 1;
        // at 2025: 188/3 + 4 = 66.666…; reaches 65 at 2021 + (65 − 188/3) = 2023.333…
        #expect(approx(e.projectedValue, 188.0 / 3 + 4))
        #expect(approx(e.projectedPeriod, 2021 + 65 - 188.0 / 3))
    }

    @Test func deadlineObservedIsAchievedOrMissed() {
        // D = 2025 observed → achieved iff s · (v(D) − T) ≥ 0.
        let achieved = evaluate(level(65), indicator: urb, rows(urb, "CN-AH", ["2020": 60, "2025": 65]), asOf: "2026-06-30")
        #expect(achieved.state == .achieved)
        #expect(achieved.latestPeriod == "2025")
        #expect(achieved.targetValue == 65)
        #expect(achieved.requiredPace == 1)  // (65 − 60) / 5
        #expect(achieved.actualPace == 1)  // (65 − 60) / 5
        #expect(achieved.message == "Achieved: 65 in 2025 meets the target ≥ 65.")

        let missed = evaluate(level(65), indicator: urb, rows(urb, "CN-AH", ["2020": 60, "2024": 66, "2025": 64.9]), asOf: "2026-06-30")
        // Met in 2024 but not at D → missed; the deadline rule comes first.
        #expect(missed.state == .missed)
        #expect(missed.message == "Missed: 64.9 in 2025 falls short of the target ≥ 65.")
    }

    @Test func deadlinePassedFigureNotPublishedIsFlaggedStaleOnlyAfterLagAndGrace() {
        // t = 2024; the period after t is 2025, ending 2025-12-31; + P3M = 2026-03-31; + 30 days = 2026-04-30.
        let data = rows(urb, "CN-AH", ["2020": 60, "2024": 64])
        let notYet = evaluate(level(65), indicator: urb, data, asOf: "2026-04-30")
        // Not later than the due date → the ratio: required 1, actual (64 − 60) / 4 = 1 → on_track.
        #expect(notYet.state == .onTrack)
        #expect(notYet.stale == false)
        // Stale is a flag beside the state, which stays the verdict on the latest data.
        let stale = evaluate(level(65), indicator: urb, data, asOf: "2026-05-01")
        #expect(stale.state == .onTrack)
        #expect(stale.stale)
        #expect(stale.overdue == Overdue(period: "2025", since: "2026-04-30"))
        #expect(stale.latestPeriod == "2024")
        #expect(stale.message == "On track: 64 in 2024; pace 1 a year against 1 a year needed to reach the target ≥ 65 by 2025 (100%); projected 65 in 2025. 80% of the time, 80% of the distance; needs +1 a year from now, against +1 a year so far. The 2025 figure is overdue: it was due by 2026-04-30.")

        // rd_intensity has lag P6M: 2025-12-31 + 6 months = 2026-06-30 (day clamped to June's 30) + 30 days = 2026-07-30.
        let rd = rows("rd_intensity", "CN-AH", ["2020": 2.0, "2024": 2.8])
        #expect(evaluate(level(3), indicator: "rd_intensity", rd, asOf: "2026-07-30").stale == false)
        let staleRD = evaluate(level(3), indicator: "rd_intensity", rd, asOf: "2026-07-31")
        #expect(staleRD.state == .onTrack)
        #expect(staleRD.overdue == Overdue(period: "2025", since: "2026-07-30"))
        #expect(staleRD.message.hasSuffix(" The 2025 figure is overdue: it was due by 2026-07-30."))
    }

    @Test func staleIsFlaggedBesideEveryStateBeforeTheDeadline() {
        // t = 2021: the 2022 figure was due 2022-12-31 + P3M + 30 days = 2023-03-31 + 30 = 2023-04-30.
        let e = evaluate(level(65), indicator: urb, rows(urb, "CN-AH", ["2020": 60, "2021": 61]), asOf: "2023-05-01")
        #expect(e.state == .onTrack)
        #expect(e.overdue == Overdue(period: "2022", since: "2023-04-30"))
        #expect(e.message.hasSuffix("against +1 a year so far. The 2022 figure is overdue: it was due by 2023-04-30."))
        // One observation only, and overdue: not enough data, with the flag beside it.
        let single = evaluate(level(65), indicator: urb, rows(urb, "CN-AH", ["2021": 61]), asOf: "2023-05-01")
        #expect(single.state == .insufficientData)
        #expect(single.stale)
        #expect(single.message == "Not enough data: only 61 in 2021 between 2020 and 2025; two observations are needed. The 2022 figure is overdue: it was due by 2023-04-30.")
    }

    @Test func fewerThanTwoObservationsIsInsufficientData() {
        let one = evaluate(level(65), indicator: urb, rows(urb, "CN-AH", ["2021": 61]), asOf: "2022-06-30")
        #expect(one.state == .insufficientData)
        #expect(one.latestPeriod == "2021")
        #expect(one.latestValue == 61)
        #expect(one.baselinePeriod == nil)
        #expect(one.paceRatio == nil)
        #expect(one.projectedValue == nil)
        #expect(one.projectedPeriod == nil)
        #expect(one.message == "Not enough data: only 61 in 2021 between 2020 and 2025; two observations are needed.")

        // Only the baseline itself.
        let base = evaluate(level(65), indicator: urb, rows(urb, "CN-AH", ["2020": 60]), asOf: "2021-06-30")
        #expect(base.state == .insufficientData)
        #expect(base.baselinePeriod == "2020")
        #expect(base.projectedValue == nil)
    }

    @Test func noObservationIsInsufficientData() {
        let e = evaluate(level(65), indicator: urb, [], asOf: "2023-06-30")
        #expect(e.state == .insufficientData)
        #expect(e.movingAway == false)
        #expect(e.latestPeriod == nil)
        #expect(e.latestValue == nil)
        #expect(e.baselinePeriod == nil)
        #expect(e.targetValue == nil)
        #expect(e.message == "Not enough data: no observation between 2020 and 2025.")
        // Observations outside [b, D] do not count.
        let outside = evaluate(level(65), indicator: urb, rows(urb, "CN-AH", ["2019": 59, "2026": 70]), asOf: "2027-06-30")
        #expect(outside.state == .insufficientData)
        #expect(outside.latestPeriod == nil)
    }

    @Test func missingBaselineFallsBackToTheEarliestLaterObservation() {
        // 2020 not observed (2019 is outside [b, D] and ignored): the baseline is 2021.
        let e = evaluate(level(65), indicator: urb, rows(urb, "CN-AH", ["2019": 59, "2021": 61, "2023": 63]), asOf: "2024-06-30")
        #expect(e.baselinePeriod == "2021")
        #expect(e.baselineValue == 61)
        // required = (65 − 61) / (2025 − 2021) = 1; actual = (63 − 61) / (2023 − 2021) = 1; ratio 1 → on_track.
        #expect(e.requiredPace == 1)
        #expect(e.actualPace == 1)
        #expect(e.paceRatio == 1)
        #expect(e.state == .onTrack)
        // Line through (2021, 61), (2023, 63): slope 1 → 65 in 2025, reaching 65 in 2025.
        #expect(e.projectedValue == 65)
        #expect(e.projectedPeriod == 2025)
    }

    @Test func observationsAfterTheDeadlineDoNotCount() {
        // D = 2025 not observed; 2026 is outside [b, D], so t = 2024 and the 2025 figure is overdue:
        // 2025-12-31 + P3M + 30 days = 2026-04-30 < 2027-06-30 → stale.
        let e = evaluate(level(65), indicator: urb, rows(urb, "CN-AH", ["2020": 60, "2024": 64, "2026": 70]), asOf: "2027-06-30")
        #expect(e.latestPeriod == "2024")
        #expect(e.state == .onTrack)
        #expect(e.overdue == Overdue(period: "2025", since: "2026-04-30"))
    }

    @Test func strictComparatorAtExactlyTheTargetIsNotMet() {
        // `>`: met iff v − T > 0. v(D) = 65 = T → missed.
        let atDeadline = evaluate(level(.greater, 65), indicator: urb, rows(urb, "CN-AH", ["2020": 60, "2025": 65]), asOf: "2026-06-30")
        #expect(atDeadline.state == .missed)
        #expect(atDeadline.message == "Missed: 65 in 2025 falls short of the target > 65.")
        // Before D: v(2023) = 65 is not met → ratio: required (65 − 60) / 5 = 1, actual (65 − 60) / 3 = 5/3 → on_track.
        let before = evaluate(level(.greater, 65), indicator: urb, rows(urb, "CN-AH", ["2020": 60, "2023": 65]), asOf: "2024-06-30")
        #expect(before.state == .onTrack)
        #expect(approx(before.paceRatio, 5.0 / 3))
        // Just above it is met.
        #expect(evaluate(level(.greater, 65), indicator: urb, rows(urb, "CN-AH", ["2020": 60, "2023": 65.01]), asOf: "2024-06-30").state == .met)
        // `<` likewise: v(D) = 8 = T → missed.
        let less = evaluate(level(.less, 8), indicator: "energy_intensity", rows("energy_intensity", "CN-AH", ["2020": 10, "2025": 8]), asOf: "2026-12-31")
        #expect(less.state == .missed)
    }

    @Test func compoundPaceAndLogarithmicProjection() {
        // GDP-like: T = 50,000, v(2020) = 40,000, 42,000 (2021), 44,100 (2022), D = 2025, pace: compound.
        let e = evaluate(
            level(50_000, pace: .compound), indicator: "gdp",
            rows("gdp", "CN-AH", ["2020": 40_000, "2021": 42_000, "2022": 44_100]), asOf: "2023-06-30")
        // required = (50000 / 40000)^(1/5) − 1 = 1.25^0.2 − 1 = 0.045639552591273…
        #expect(approx(e.requiredPace, 0.04563955259127317))
        // actual = (44100 / 40000)^(1/2) − 1 = 1.1025^0.5 − 1 = 1.05 − 1 = 0.05
        #expect(approx(e.actualPace, 0.05))
        // ratio = 0.05 / 0.0456395526 = 1.09554097…  ≥ 0.95 → on_track
        #expect(approx(e.paceRatio, 0.05 / 0.04563955259127317))
        #expect(e.state == .onTrack)
        #expect(e.targetValue == 50_000)
        // log values lie on a line of slope ln 1.05 through (2020, ln 40000):
        // projected_value = exp(line at 2025) = 40000 · 1.05^5 = 51,051.2625;
        // projected_period: ln 50000 = ln 40000 + ln 1.05 · (x − 2020) → x = 2020 + ln 1.25 / ln 1.05 = 2024.5735355703…
        #expect(approx(e.projectedValue, 51_051.2625))
        #expect(approx(e.projectedPeriod, 2024.573535570393))
        // Still needed: (50000 / 44100)^(1/3) − 1 = 0.0427… a year; covered (44100 − 40000) / 10000 = 41%.
        #expect(approx(e.remainingPace, 0.04274265235425934))
        #expect(approx(e.distanceCovered, 0.41))
        #expect(e.message == "On track: 44,100 in 2022; pace 5% a year against 4.56% a year needed to reach the target ≥ 50,000 by 2025 (110%); projected 51,051 in 2025. 40% of the time, 41% of the distance; needs +4.27% a year from now, against +5% a year so far.")
    }

    @Test func compoundPaceWithANonPositiveValueFallsBackToLinear() {
        // v(2020) = −10 (e.g. a net balance), T = 10, v(2022) = 0: compound needs positive values → linear.
        let e = evaluate(level(10, pace: .compound), indicator: "gdp", rows("gdp", "CN-AH", ["2020": -10, "2022": 0]), asOf: "2023-06-30")
        // required = (10 − (−10)) / 5 = 4; actual = (0 − (−10)) / 2 = 5; ratio 1.25 → on_track.
        #expect(e.requiredPace == 4)
        #expect(e.actualPace == 5)
        #expect(e.paceRatio == 1.25)
        #expect(e.state == .onTrack)
        // Linear projection: slope 5 → −10 + 5 · 5 = 15 in 2025; reaches 10 at 2020 + 20 / 5 = 2024.
        #expect(e.projectedValue == 15)
        #expect(e.projectedPeriod == 2024)
    }

    @Test func lowerIsBetterLevel() {
        // `<=` (s = −1): energy intensity ≤ 8 by 2025 from 10 in 2020.
        let ei = "energy_intensity"
        let e = evaluate(level(.lessOrEqual, 8), indicator: ei, rows(ei, "CN-AH", ["2020": 10, "2022": 9]), asOf: "2023-06-30")
        // required = (8 − 10) / 5 = −0.4; actual = (9 − 10) / 2 = −0.5; ratio = −0.5 / −0.4 = 1.25 → on_track.
        #expect(e.requiredPace == -0.4)
        #expect(e.actualPace == -0.5)
        #expect(approx(e.paceRatio, 1.25))
        #expect(e.state == .onTrack)
        #expect(e.movingAway == false)
        // Line through (2020, 10), (2022, 9): slope −0.5 (the good way for s = −1) → 10 − 2.5 = 7.5 in 2025;
        // reaches 8 at 2020 + 2 / 0.5 = 2024.
        #expect(e.projectedValue == 7.5)
        #expect(e.projectedPeriod == 2024)
        #expect(e.message == "On track: 9 in 2022; pace -0.5 a year against -0.4 a year needed to reach the target ≤ 8 by 2025 (125%); projected 7.5 in 2025. 40% of the time, 50% of the distance; needs -0.33 a year from now, against -0.5 a year so far.")

        // Rising instead: actual = (10.5 − 10) / 2 = 0.25; ratio = 0.25 / −0.4 = −0.625 → off_track, moving away.
        let away = evaluate(level(.lessOrEqual, 8), indicator: ei, rows(ei, "CN-AH", ["2020": 10, "2022": 10.5]), asOf: "2023-06-30")
        #expect(away.state == .offTrack)
        #expect(away.movingAway)
        #expect(approx(away.paceRatio, -0.625))
        #expect(away.projectedPeriod == nil)

        // 7.5 ≤ 8 → met.
        #expect(evaluate(level(.lessOrEqual, 8), indicator: ei, rows(ei, "CN-AH", ["2020": 10, "2023": 7.5]), asOf: "2024-06-30").state == .met)
    }
}
