import Foundation
import Testing

@testable import PlanWatchCore

/// SPEC §2 / §5: group regions computed from their members, and sub-annual periods (time of a period, the as-of
/// filter, staleness).
@Suite("Evaluation: region groups and periods")
struct GroupAndPeriodEvaluationTests: EvaluationTesting {
    let urb = "urbanization_rate"  // weighted_mean by population, lag P3M

    /// CN-CENTRAL = CN-AH, CN-HA, CN-HB.
    /// 2020: urbanization 60, 55, 65; population 50, 100, 50.
    /// 2021: urbanization 61, 56, 66; population 50, 100, 50.
    /// 2022: urbanization 62, 57, 67; population 50, —, 50 (Henan's missing).
    /// 2023: urbanization 63, —, 68 (Henan's missing); population 50, 100, 50.
    var central: [EvalRow] {
        rows(urb, "CN-AH", ["2020": 60, "2021": 61, "2022": 62, "2023": 63])
            + rows(urb, "CN-HA", ["2020": 55, "2021": 56, "2022": 57])
            + rows(urb, "CN-HB", ["2020": 65, "2021": 66, "2022": 67, "2023": 68])
            + rows("population", "CN-AH", ["2020": 50, "2021": 50, "2022": 50, "2023": 50])
            + rows("population", "CN-HA", ["2020": 100, "2021": 100, "2023": 100])
            + rows("population", "CN-HB", ["2020": 50, "2021": 50, "2022": 50, "2023": 50])
    }

    func resolver(_ rows: [EvalRow], asOf: String = "2024-12-31") -> SeriesResolver {
        SeriesResolver(catalog: EvalFixture.catalog, observations: observationSet(rows, asOf: asOf))
    }

    @Test func weightedMeanNeedsEveryMemberAndWeight() {
        let series = resolver(central).series(urb, "CN-CENTRAL")
        // 2020: Σ w·v / Σ w = (50·60 + 100·55 + 50·65) / (50 + 100 + 50) = (3000 + 5500 + 3250) / 200 = 11750 / 200 = 58.75
        // 2021: (50·61 + 100·56 + 50·66) / 200 = (3050 + 5600 + 3300) / 200 = 11950 / 200 = 59.75
        #expect(series.values == [period("2020"): 58.75, period("2021"): 59.75])
        // 2022 lacks Henan's population, 2023 Henan's urbanization.
        #expect(series.gaps[period("2022")] == [MissingValue(indicator: "population", region: "CN-HA")])
        #expect(series.gaps[period("2023")] == [MissingValue(indicator: urb, region: "CN-HA")])
        // Population is summed: 50 + 100 + 50 = 200 in 2020; 2022 lacks Henan.
        let population = resolver(central).series("population", "CN-CENTRAL")
        #expect(population.values[period("2020")] == 200)
        #expect(population.values[period("2022")] == nil)
        #expect(population.gaps[period("2022")] == [MissingValue(indicator: "population", region: "CN-HA")])
    }

    @Test func groupTargetUsesTheComputedSeriesAndNamesTheMissingMember() {
        // Level ≥ 65 by 2025 on CN-CENTRAL, as of 2023-04-30 (2023 figures not yet counted; 2021's successor is due
        // 2022-12-31 + P3M + 30 days = 2023-04-30, so not stale yet).
        let e = evaluate(level(65), indicator: urb, region: "CN-CENTRAL", central, asOf: "2023-04-30")
        // v(2020) = 58.75, v(2021) = 59.75 (2022 has no group value).
        // required = (65 − 58.75) / 5 = 1.25; actual = (59.75 − 58.75) / 1 = 1; ratio 0.8 → at_risk.
        #expect(e.baselineValue == 58.75)
        #expect(e.latestPeriod == "2021")
        #expect(e.latestValue == 59.75)
        #expect(e.requiredPace == 1.25)
        #expect(e.actualPace == 1)
        #expect(e.paceRatio == 0.8)
        #expect(e.state == .atRisk)
        #expect(e.missing == MissingValues(period: "2022", values: [MissingValue(indicator: "population", region: "CN-HA")]))
    }

    @Test func insufficientGroupDataSaysWhichMemberIsMissing() {
        // 2021: Henan's urbanization and Hubei's population missing; only 2020 has a group value (58.75).
        let data = rows(urb, "CN-AH", ["2020": 60, "2021": 61]) + rows(urb, "CN-HA", ["2020": 55])
            + rows(urb, "CN-HB", ["2020": 65, "2021": 66]) + rows("population", "CN-AH", ["2020": 50, "2021": 50])
            + rows("population", "CN-HA", ["2020": 100, "2021": 100]) + rows("population", "CN-HB", ["2020": 50])
        // As of 2022-04-30: the 2021 group figure was due 2021-12-31 + P3M + 30 days = 2022-04-30, not yet stale.
        let e = evaluate(level(65), indicator: urb, region: "CN-CENTRAL", data, asOf: "2022-04-30")
        #expect(e.state == .insufficientData)
        #expect(e.missing?.period == "2021")
        #expect(e.missing?.values == [MissingValue(indicator: urb, region: "CN-HA"), MissingValue(indicator: "population", region: "CN-HB")])
        #expect(e.message == "Not enough data: only 58.75 in 2020 between 2020 and 2025; two observations are needed; a group value cannot be computed: no urbanization_rate for CN-HA and no population for CN-HB in 2021.")
    }

    @Test func dataSuppliedForTheGroupCodeIsUsedAsIs() {
        // Direct figures for CN-CENTRAL: 2021 = 60 (members would give 59.75), 2022 = 61 (members lack Henan's population).
        let data = central + rows(urb, "CN-CENTRAL", ["2021": 60, "2022": 61])
        let series = resolver(data).series(urb, "CN-CENTRAL")
        #expect(series.values == [period("2020"): 58.75, period("2021"): 60, period("2022"): 61])
        #expect(series.gaps[period("2022")] == nil)
        // As of 2023-06-30: required = (65 − 58.75) / 5 = 1.25; actual = (61 − 58.75) / 2 = 1.125; ratio 0.9 → at_risk.
        let e = evaluate(level(65), indicator: urb, region: "CN-CENTRAL", data, asOf: "2023-06-30")
        #expect(e.latestPeriod == "2022")
        #expect(e.latestValue == 61)
        #expect(e.actualPace == 1.125)
        #expect(e.paceRatio == 0.9)
        #expect(e.state == .atRisk)
        #expect(e.missing == nil)
    }

    @Test func sumAndMeanGroups() {
        // gdp sums: 100 + 200 + 300 = 600 (2020), 110 + 220 + 330 = 660 (2021).
        let gdp = rows("gdp", "CN-AH", ["2020": 100, "2021": 110]) + rows("gdp", "CN-HA", ["2020": 200, "2021": 220])
            + rows("gdp", "CN-HB", ["2020": 300, "2021": 330])
        #expect(resolver(gdp).series("gdp", "CN-CENTRAL").values == [period("2020"): 600, period("2021"): 660])
        // Growth on the group: ((660 / 600)^(1/1) − 1) · 100 = 10%; required 7 → ratio 10/7 → on_track.
        let growth = evaluate(.growth(minRate: 7, from: period("2020"), to: period("2025")), indicator: "gdp", region: "CN-CENTRAL", gdp, asOf: "2022-06-30")
        #expect(approx(growth.actualPace, 10))
        #expect(growth.state == .onTrack)
        // CN-HNJX-MEAN's own `aggregate: mean` wins over the indicator's weighted_mean (no population needed):
        // (58 + 60) / 2 = 59.
        let hnjx = rows(urb, "CN-HN", ["2020": 58]) + rows(urb, "CN-JX", ["2020": 60])
        #expect(resolver(hnjx).series(urb, "CN-HNJX-MEAN").values == [period("2020"): 59])
        // An ad-hoc weighted aggregate: (50·60 + 50·65) / (50 + 50) = 62.5.
        let adHoc = resolver(central).aggregate(urb, regions: ["CN-AH", "CN-HB"], aggregation: .weightedMean, weight: "population")
        #expect(adHoc.values[period("2020")] == 62.5)
    }

    // MARK: periods

    let retail = "retail_q"  // quarterly, lag P1M

    @Test func quarterlyPeriodsArePointsInTime() {
        // 2023-Q1 = 2023.0, 2023-Q3 = 2023.5, 2024-Q3 = 2024.5, 2025-Q4 = 2025.75.
        #expect(period("2024-Q3").time == 2024.5)
        #expect(period("2024-07").time == 2024.5)
        let kind = level(111, baseline: "2023-Q1", deadline: "2025-Q4")
        let data = rows(retail, "CN-AH", ["2023-Q1": 100, "2023-Q3": 102, "2024-Q3": 106])
        let e = evaluate(kind, indicator: retail, data, asOf: "2024-11-15")
        // required = (111 − 100) / (2025.75 − 2023.0) = 11 / 2.75 = 4; actual = (106 − 100) / (2024.5 − 2023.0) = 6 / 1.5 = 4;
        // ratio 1 → on_track.
        #expect(e.requiredPace == 4)
        #expect(e.actualPace == 4)
        #expect(e.paceRatio == 1)
        #expect(e.state == .onTrack)
        #expect(e.latestPeriod == "2024-Q3")
        // The points lie on 100 + 4 (x − 2023): 111 at 2025.75, which is also where the line reaches T.
        #expect(approx(e.projectedValue, 111))
        #expect(approx(e.projectedPeriod, 2025.75))
        // Stale: the period after 2024-Q3 is 2024-Q4, ending 2024-12-31; + P1M = 2025-01-31; + 30 days = 2025-03-02.
        #expect(evaluate(kind, indicator: retail, data, asOf: "2025-03-02").state == .onTrack)
        let stale = evaluate(kind, indicator: retail, data, asOf: "2025-03-03")
        #expect(stale.state == .onTrack)
        #expect(stale.stale)
        #expect(stale.message.hasSuffix(" The 2024-Q4 figure is overdue: it was due by 2025-03-02."))
    }

    @Test func monthlyPeriodsArePointsInTime() {
        // 2024-01 = 2024.0, 2024-07 = 2024.5, 2024-12 = 2024 + 11/12.
        // required = (111 − 100) / (11/12) = 12; actual = (106 − 100) / 0.5 = 12; ratio 1 → on_track.
        let e = evaluate(
            level(111, baseline: "2024-01", deadline: "2024-12"), indicator: "retail_m",
            rows("retail_m", "CN-AH", ["2024-01": 100, "2024-07": 106]), asOf: "2024-08-20")
        #expect(approx(e.requiredPace, 12))
        #expect(e.actualPace == 12)
        #expect(approx(e.paceRatio, 1))
        #expect(e.state == .onTrack)
    }

    @Test func periodsEndingAfterAsOfAreIgnored() {
        let data = rows(retail, "CN-AH", ["2023-Q1": 100, "2025-Q1": 107, "2025-Q2": 108, "2025-Q3": 109])
        // 2025-Q2 ends 2025-06-30: it counts as of 2025-06-30; 2025-Q3 (ends 2025-09-30) does not.
        let set = observationSet(data, asOf: "2025-06-30")
        #expect(set.values(retail, "CN-AH").keys.sorted() == [period("2023-Q1"), period("2025-Q1"), period("2025-Q2")])
        let kind = level(120, baseline: "2023-Q1", deadline: "2025-Q4")
        #expect(evaluate(kind, indicator: retail, data, asOf: "2025-06-30").latestPeriod == "2025-Q2")
        #expect(evaluate(kind, indicator: retail, data, asOf: "2025-06-29").latestPeriod == "2025-Q1")
        #expect(evaluate(kind, indicator: retail, data, asOf: "2025-09-30").latestPeriod == "2025-Q3")
        // Annual: 2025 ends 2025-12-31, so as of 2025-12-30 the 2025 figure is ignored and D is not observed.
        let annual = rows(urb, "CN-AH", ["2020": 60, "2024": 64, "2025": 65])
        #expect(evaluate(level(65), indicator: urb, annual, asOf: "2025-12-30").latestPeriod == "2024")
        #expect(evaluate(level(65), indicator: urb, annual, asOf: "2025-12-31").state == .achieved)
    }

    @Test func evaluatesEveryTargetOfAPlanSet() {
        var plan = EvalFixture.plan
        plan.targets = [
            Target(id: "a", kind: level(65), indicator: urb, region: "CN-AH"),
            Target(id: "b", kind: annualChange(min: 1), indicator: urb, region: "CN-AH"),
        ]
        let asOf = "2023-06-30"
        let evaluator = Evaluator(
            catalog: EvalFixture.catalog, observations: observationSet(rows(urb, "CN-AH", ["2020": 60, "2021": 61, "2022": 62]), asOf: asOf),
            policy: EvaluationPolicy(), asOf: date(asOf))
        let results = evaluator.evaluate(PlanSet(catalog: EvalFixture.catalog, plans: [plan]))
        #expect(results.map(\.target) == ["a", "b"])
        #expect(results.map(\.plan) == ["test-plan", "test-plan"])
        // a: ratio 1 → on_track (see LevelEvaluationTests); b: changes 1, 1 both ≥ 1 → on_track.
        #expect(results.map(\.state) == [.onTrack, .onTrack])
    }
}
