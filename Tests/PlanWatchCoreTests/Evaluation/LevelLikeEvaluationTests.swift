import Foundation
import Testing

@testable import PlanWatchCore

/// SPEC §5: `level` with a reference series (the gap toward 0), `cumulative_change` and `milestone`.
@Suite("Evaluation: references, cumulative change, milestones")
struct LevelLikeEvaluationTests: EvaluationTesting {
    // MARK: level with a reference

    /// Anhui's R&D intensity ≥ the national one by 2025 (rd_intensity: lag P6M).
    let rd = "rd_intensity"
    var towardNational: TargetKind {
        .level(compare: .greaterOrEqual, reference: .region("CN", indicator: nil), baseline: period("2020"), deadline: period("2025"), pace: .linear)
    }
    var anhuiAndNational: [EvalRow] {
        rows(rd, "CN-AH", ["2020": 2.0, "2021": 2.25, "2022": 2.5, "2023": 2.5])
            + rows(rd, "CN", ["2020": 2.5, "2021": 2.5, "2022": 2.75, "2023": 2.75])
    }

    @Test func referenceRegionWorksOnTheGap() {
        let e = evaluate(towardNational, indicator: rd, anhuiAndNational, asOf: "2024-09-30")
        // g = v − r: −0.5 (2020), −0.25 (2021), −0.25 (2022), −0.25 (2023).
        // required = (0 − (−0.5)) / 5 = 0.1; actual = (−0.25 − (−0.5)) / 3 = 0.08333…; ratio 0.8333… → at_risk.
        #expect(e.requiredPace == 0.1)
        #expect(approx(e.actualPace, 0.25 / 3))
        #expect(approx(e.paceRatio, 0.25 / 3 / 0.1))
        #expect(e.state == .atRisk)
        #expect(e.movingAway == false)
        // target_value = r(t) = r(2023) = 2.75; latest and baseline values are Anhui's own.
        #expect(e.targetValue == 2.75)
        #expect(e.latestPeriod == "2023")
        #expect(e.latestValue == 2.5)
        #expect(e.baselinePeriod == "2020")
        #expect(e.baselineValue == 2.0)
        // Least squares on the gaps: mean x 2021.5, mean g −0.3125, Sxx = 5,
        // Sxy = (−1.5)(−0.1875) + (−0.5)(0.0625) + (0.5)(0.0625) + (1.5)(0.0625) = 0.375 → slope 0.075;
        // projected gap at 2025 = −0.3125 + 0.075 · 3.5 = −0.05; gap 0 at 2021.5 + 0.3125 / 0.075 = 2025.666…
        #expect(approx(e.projectedGap, -0.05))
        #expect(approx(e.projectedPeriod, 2021.5 + 0.3125 / 0.075))
        // The two levels, each the line through its own values over the same periods: Anhui's (mean 2.3125,
        // Sxy 0.875, slope 0.175) at 2025 = 2.3125 + 0.175 · 3.5 = 2.925; the nation's (mean 2.625, Sxy 0.5,
        // slope 0.1) = 2.625 + 0.35 = 2.975; their difference is the projected gap.
        #expect(approx(e.projectedValue, 2.925))
        #expect(approx(e.projectedReference, 2.975))
        // Progress on the gap: 3 / 5 = 60% of the time; (−0.25 − (−0.5)) / (0 − (−0.5)) = 50% of the distance;
        // (0 − (−0.25)) / 2 = 0.125 a year still needed.
        #expect(approx(e.timeElapsed, 0.6))
        #expect(approx(e.distanceCovered, 0.5))
        #expect(approx(e.remainingPace, 0.125))
        // The trend arrow follows Anhui's own series (2.0 → 2.5), not the gap.
        #expect(e.shown.trend == "↑")
        #expect(e.shown.projected == "2.93 against 2.98 (2025)")
    }

    @Test func referenceDeadlineNeedsBothSeries() {
        // Both observed at D: g(2025) = 3.0 − 2.75 = 0.25 ≥ 0 → achieved; target_value r(2025) = 2.75.
        let achieved = evaluate(
            towardNational, indicator: rd, anhuiAndNational + rows(rd, "CN-AH", ["2025": 3.0]) + rows(rd, "CN", ["2025": 2.75]),
            asOf: "2026-09-30")
        #expect(achieved.state == .achieved)
        #expect(achieved.targetValue == 2.75)
        #expect(achieved.latestValue == 3.0)
        #expect(achieved.message == "Achieved: 3 in 2025 against 2.75 for China.")
        // g(2025) = 2.75 − 3.0 = −0.25 < 0 → missed.
        let missed = evaluate(
            towardNational, indicator: rd, anhuiAndNational + rows(rd, "CN-AH", ["2025": 2.75]) + rows(rd, "CN", ["2025": 3.0]),
            asOf: "2026-09-30")
        #expect(missed.state == .missed)
        #expect(missed.message == "Missed: 2.75 in 2025 against 3 for China.")
        // Anhui's 2025 figure without the national one: no gap in 2025, so D is not observed and t = 2023 (the
        // gap exists only where both series do). The 2024 gap was due 2024-12-31 + P6M + 30 days = 2025-07-30 →
        // stale, beside the state judged on 2023.
        let halfway = evaluate(towardNational, indicator: rd, anhuiAndNational + rows(rd, "CN-AH", ["2025": 3.0]), asOf: "2026-06-30")
        #expect(halfway.latestPeriod == "2023")
        #expect(halfway.state == .atRisk)
        #expect(halfway.overdue == Overdue(period: "2024", since: "2025-07-30"))
        #expect(halfway.message == "At risk: 2.5 in 2023 against 2.75 for China; the gap to China narrowed from 0.5 to 0.25 (83% of the pace needed to close it by 2025); projected 2.93 against 2.98 in 2025. 60% of the time, 50% of the distance; needs +0.13 a year on the gap to China from now, against +0.0833 a year so far. The 2024 figure is overdue: it was due by 2025-07-30.")
    }

    /// The zone's urbanization > the mean of Hunan and Jiangxi by 2025 (an ad-hoc aggregate reference).
    var aboveHunanJiangxi: TargetKind {
        .level(
            compare: .greater, reference: .aggregate(regions: ["CN-HN", "CN-JX"], aggregation: .mean, weight: nil, indicator: nil),
            baseline: period("2020"), deadline: period("2025"), pace: .linear)
    }

    @Test func adHocAggregateReference() {
        let urb = "urbanization_rate"
        let data = rows(urb, "CN-ZONE-HJ", ["2020": 55, "2022": 59.5]) + rows(urb, "CN-HN", ["2020": 58, "2022": 60])
            + rows(urb, "CN-JX", ["2020": 60, "2022": 62])
        let e = evaluate(aboveHunanJiangxi, indicator: urb, region: "CN-ZONE-HJ", data, asOf: "2023-06-30")
        // r = mean(HN, JX): (58 + 60) / 2 = 59 (2020), (60 + 62) / 2 = 61 (2022); g = −4 (2020), −1.5 (2022).
        // required = (0 − (−4)) / 5 = 0.8; actual = (−1.5 − (−4)) / 2 = 1.25; ratio = 1.25 / 0.8 = 1.5625 → on_track.
        #expect(approx(e.requiredPace, 0.8))
        #expect(e.actualPace == 1.25)
        #expect(approx(e.paceRatio, 1.5625))
        #expect(e.state == .onTrack)
        #expect(e.targetValue == 61)
        #expect(e.latestValue == 59.5)
        // Gap line through (2020, −4), (2022, −1.5): slope 1.25 → −1.5 + 3 · 1.25 = 2.25 at 2025; 0 at 2022 + 1.5 / 1.25 = 2023.2.
        // The zone's own line: 59.5 + 3 · 2.25 = 66.25; the mean's: 61 + 3 · 1 = 64.
        #expect(approx(e.projectedGap, 2.25))
        #expect(approx(e.projectedValue, 66.25))
        #expect(approx(e.projectedReference, 64))
        #expect(approx(e.projectedPeriod, 2023.2))

        // 2023: zone 62, r = (61 + 62) / 2 = 61.5, g = 0.5 > 0 → met.
        let met = evaluate(
            aboveHunanJiangxi, indicator: urb, region: "CN-ZONE-HJ",
            data + rows(urb, "CN-ZONE-HJ", ["2023": 62]) + rows(urb, "CN-HN", ["2023": 61]) + rows(urb, "CN-JX", ["2023": 62]),
            asOf: "2024-06-30")
        #expect(met.state == .met)
        #expect(met.targetValue == 61.5)
        #expect(met.message == "Met ahead of the 2025 deadline: 62 against 61.5 for the mean of CN-HN, CN-JX.")

        // Zone exactly at the reference (g = 61.5 − 61.5 = 0) with `>`: not met. required 0.8,
        // actual = (0 − (−4)) / 3 = 1.333…; ratio 1.666… → on_track.
        let exact = evaluate(
            aboveHunanJiangxi, indicator: urb, region: "CN-ZONE-HJ",
            data + rows(urb, "CN-ZONE-HJ", ["2023": 61.5]) + rows(urb, "CN-HN", ["2023": 61]) + rows(urb, "CN-JX", ["2023": 62]),
            asOf: "2024-06-30")
        #expect(exact.state == .onTrack)
        #expect(approx(exact.paceRatio, (4.0 / 3) / 0.8))
    }

    // MARK: cumulative_change

    /// Energy use per unit of GDP down 13.5% over 2021–2025 (energy_intensity: direction decrease, lag P6M).
    let ei = "energy_intensity"
    var down13_5: TargetKind { .cumulativeChange(percent: -13.5, baseline: period("2020"), deadline: period("2025")) }

    @Test func cumulativeDecreaseUsesCompoundPaceTowardTheReducedBaseline() {
        let e = evaluate(down13_5, indicator: ei, rows(ei, "CN-AH", ["2020": 200, "2021": 195, "2022": 190]), asOf: "2023-06-30")
        // T = v(b) · (1 + c/100) = 200 · 0.865 = 173; s = −1 (c < 0).
        #expect(approx(e.targetValue, 173))
        // required = (173 / 200)^(1/5) − 1 = 0.865^0.2 − 1 = −0.0285885425992795…
        #expect(approx(e.requiredPace, -0.028588542599279565))
        // actual = (190 / 200)^(1/2) − 1 = 0.95^0.5 − 1 = −0.0253205655191036…
        #expect(approx(e.actualPace, -0.025320565519103666))
        // ratio = 0.0253205655 / 0.0285885426 = 0.88568927… → at_risk (0.60 ≤ ratio < 0.95)
        #expect(approx(e.paceRatio, 0.8856892732874654))
        #expect(e.state == .atRisk)
        #expect(e.movingAway == false)
        // Projection on logarithms: ln 200, ln 195, ln 190 at 2020–2022, mean x 2021, slope = (ln 190 − ln 200) / 2
        // (three equally spaced points); at 2025: exp(mean(ln v) + 4 · slope) = 175.948923168…
        // (falling, the good way for s = −1); reaches ln 173 at 2021 + (ln 173 − mean(ln v)) / slope = 2025.659039…
        let meanLog = (log(200.0) + log(195.0) + log(190.0)) / 3
        let slope = (log(190.0) - log(200.0)) / 2
        #expect(approx(e.projectedValue, exp(meanLog + 4 * slope)))
        #expect(approx(e.projectedValue, 175.94892316842672))
        #expect(approx(e.projectedPeriod, 2025.6590393287474))
        // 40% of the time; (190 − 200) / (173 − 200) = 37% of the distance; (173 / 190)^(1/3) − 1 = −3.08% a year needed.
        #expect(approx(e.remainingPace, pow(173.0 / 190, 1.0 / 3) - 1))
        #expect(e.message == "At risk: 190 in 2022; pace -2.53% a year against -2.86% a year needed to reach the target ≤ 173 by 2025 (89%); projected 175.95 in 2025. 40% of the time, 37% of the distance; needs -3.08% a year from now, against -2.53% a year so far.")
    }

    @Test func cumulativeDecreaseAtTheDeadline() {
        // s · (v(D) − T) = −(172 − 173) = 1 ≥ 0 → achieved; −(180 − 173) = −7 < 0 → missed.
        let achieved = evaluate(down13_5, indicator: ei, rows(ei, "CN-AH", ["2020": 200, "2025": 172]), asOf: "2026-12-31")
        #expect(achieved.state == .achieved)
        #expect(achieved.message == "Achieved: 172 in 2025 meets the target ≤ 173.")
        let missed = evaluate(down13_5, indicator: ei, rows(ei, "CN-AH", ["2020": 200, "2025": 180]), asOf: "2026-12-31")
        #expect(missed.state == .missed)
        #expect(missed.message == "Missed: 180 in 2025 falls short of the target ≤ 173.")
    }

    @Test func cumulativeIncreaseAndBaselineFallback() {
        // +10% from 2020: baseline 2020 missing → 2021 (1,000) is the baseline; T = 1000 · 1.1 = 1100, s = +1.
        let kind = TargetKind.cumulativeChange(percent: 10, baseline: period("2020"), deadline: period("2025"))
        let e = evaluate(kind, indicator: "gdp", rows("gdp", "CN-AH", ["2021": 1000, "2023": 1050]), asOf: "2024-06-30")
        #expect(e.baselinePeriod == "2021")
        #expect(approx(e.targetValue, 1100))
        // required = 1.1^(1/4) − 1 = 0.0241136890…; actual = 1.05^(1/2) − 1 = 0.0246950766; ratio 1.02411… → on_track
        #expect(approx(e.requiredPace, 0.02411368908444511))
        #expect(approx(e.actualPace, 0.02469507659595993))
        #expect(e.state == .onTrack)
        // 1150 ≥ 1100 → met.
        #expect(evaluate(kind, indicator: "gdp", rows("gdp", "CN-AH", ["2021": 1000, "2023": 1150]), asOf: "2024-06-30").state == .met)
    }

    // MARK: milestone

    /// Completion 0–100 under the target's own id; the plan was issued 2021-04-23, so b = 2021.
    let ms = "central-modern-economy-2035"
    var milestone2035: TargetKind { .milestone(baseline: period("2021"), deadline: period("2035")) }

    @Test func milestoneWithOneReportedValuePacesFromZero() {
        let e = evaluate(milestone2035, indicator: ms, region: "CN-CENTRAL", rows(ms, "CN-CENTRAL", ["2026": 20]), asOf: "2027-06-30")
        // v(b) = v(2021) = 0 (not reported); T = 100.
        #expect(e.baselinePeriod == "2021")
        #expect(e.baselineValue == 0)
        #expect(e.latestPeriod == "2026")
        #expect(e.latestValue == 20)
        #expect(e.targetValue == 100)
        // required = (100 − 0) / (2035 − 2021) = 7.142857…; actual = (20 − 0) / (2026 − 2021) = 4;
        // ratio = 4 / 7.142857 = 0.56 < 0.60 → off_track.
        #expect(approx(e.requiredPace, 100.0 / 14))
        #expect(e.actualPace == 4)
        #expect(approx(e.paceRatio, 0.56))
        #expect(e.state == .offTrack)
        #expect(e.movingAway == false)
        // Line through (2021, 0), (2026, 20): slope 4 → 20 + 4 · 9 = 56 in 2035; reaches 100 at 2021 + 100 / 4 = 2046.
        #expect(approx(e.projectedValue, 56))
        #expect(approx(e.projectedPeriod, 2046))
        // 5 / 14 = 36% of the time, 20 / 100 of the distance; (100 − 20) / 9 = 8.89 a year still needed.
        #expect(e.message == "Off track: 20 in 2026; pace 4 a year against 7.14 a year needed to reach the target ≥ 100 by 2035 (56%); projected 56 in 2035. 36% of the time, 20% of the distance; needs +8.89 a year from now, against +4 a year so far.")
    }

    @Test func milestoneWithAReportedBaseline() {
        let e = evaluate(
            milestone2035, indicator: ms, region: "CN-CENTRAL", rows(ms, "CN-CENTRAL", ["2021": 10, "2026": 40]), asOf: "2027-06-30")
        // v(b) = 10: required = (100 − 10) / 14 = 6.428571…; actual = (40 − 10) / 5 = 6; ratio = 6 · 14 / 90 = 0.9333… → at_risk.
        #expect(e.baselineValue == 10)
        #expect(approx(e.requiredPace, 90.0 / 14))
        #expect(e.actualPace == 6)
        #expect(approx(e.paceRatio, 84.0 / 90))
        #expect(e.state == .atRisk)
    }

    @Test func milestoneStates() {
        // Nothing reported → insufficient_data, and the message says how to report a completion.
        let none = evaluate(milestone2035, indicator: ms, region: "CN-CENTRAL", [], asOf: "2027-06-30")
        #expect(none.state == .insufficientData)
        #expect(none.message == "Not enough data: no completion reported between 2021 and 2035; report the percentage complete as a CSV row `indicator,region,period,value`, e.g. `central-modern-economy-2035,CN-CENTRAL,2026,40`.")
        // 100 reported before D → met; at D → achieved.
        #expect(evaluate(milestone2035, indicator: ms, region: "CN-CENTRAL", rows(ms, "CN-CENTRAL", ["2030": 100]), asOf: "2031-06-30").state == .met)
        #expect(evaluate(milestone2035, indicator: ms, region: "CN-CENTRAL", rows(ms, "CN-CENTRAL", ["2035": 100]), asOf: "2036-06-30").state == .achieved)
        #expect(evaluate(milestone2035, indicator: ms, region: "CN-CENTRAL", rows(ms, "CN-CENTRAL", ["2035": 95]), asOf: "2036-06-30").state == .missed)
    }

    @Test func milestoneBaselineDefaultsToThePlansIssueYear() throws {
        let catalog = ConfigFile(path: "catalog.yaml", text: """
            indicators:
              - id: urbanization_rate
                name: Urbanization rate
                unit: "%"
                publication_lag: P3M
            regions:
              - code: CN-AH
                name: Anhui
              - code: CN-HA
                name: Henan
            groups:
              - code: CN-CENTRAL
                name: Central region
                members: [CN-AH, CN-HA]
            """)
        let plan = ConfigFile(path: "plan.yaml", text: """
            plan:
              id: central-region-2021
              title: Central region
              issued: 2021-04-23
            targets:
              - id: central-modern-economy-2035
                title: A modern economic system in place
                kind: milestone
                region: CN-CENTRAL
                deadline: 2035
            """)
        let set = try PlanSet.load([catalog, plan])
        let (loadedPlan, target) = try #require(set.targets.first)
        // b = the plan's issue year, 2021.
        #expect(target.kind == .milestone(baseline: period("2021"), deadline: period("2035")))
        #expect(target.indicator == "central-modern-economy-2035")
        let evaluator = Evaluator(
            catalog: set.catalog, observations: observationSet(rows(target.indicator, "CN-CENTRAL", ["2026": 20]), asOf: "2027-06-30"),
            policy: EvaluationPolicy(), asOf: date("2027-06-30"))
        let e = evaluator.evaluate(target, in: loadedPlan)
        // Same arithmetic as milestoneWithOneReportedValuePacesFromZero: ratio 0.56 → off_track.
        #expect(e.baselinePeriod == "2021")
        #expect(e.baselineValue == 0)
        #expect(approx(e.paceRatio, 0.56))
        #expect(e.state == .offTrack)
    }
}
