import Foundation
import Testing

@testable import PlanWatchCore

/// SPEC §5's comparisons (≥ min_change, ≥ min_rate, met, ratio ≥ 0.95 / 0.60) are on the figures as published,
/// which are decimals. In binary floating point 64.02 − 63.02 = 0.9999999999999929 and 150 / 125 − 1 =
/// 0.19999999999999996, so a figure exactly on the line must not be judged below it.
@Suite("Evaluation: figures exactly on a threshold")
struct RoundingEvaluationTests: EvaluationTesting {
    let urb = "urbanization_rate"

    @Test func aChangeOfExactlyMinChangePasses() {
        // 64.02 − 63.02 = 1.00 ≥ 1 → pass; the only change passed → on_track (not off_track).
        let e = evaluate(annualChange(min: 1.0), indicator: urb, rows(urb, "CN-AH", ["2020": 63.02, "2021": 64.02]), asOf: "2022-06-30")
        #expect(e.changes?.map(\.passed) == [true])
        #expect(e.state == .onTrack)
    }

    @Test func aRelativeChangeOfExactlyMinChangePasses() {
        // (125 / 100 − 1) · 100 = 25 and (150 / 125 − 1) · 100 = 20: both ≥ 20 → two consecutive → achieved.
        let kind = annualChange(.relative, min: 20, mode: .consecutive(count: 2))
        let e = evaluate(kind, indicator: "gdp", rows("gdp", "CN-AH", ["2020": 100, "2021": 125, "2022": 150]), asOf: "2023-06-30")
        #expect(e.changes?.map(\.passed) == [true, true])
        #expect(e.state == .achieved)
    }

    @Test func growthOfExactlyMinRateIsAchieved() {
        // 101 → 108.07 is 108.07 / 101 = 1.07: ((1.07)^(1/1) − 1) · 100 = 7 ≥ 7 → achieved.
        let e = evaluate(.growth(minRate: 7, from: period("2024"), to: period("2025")), indicator: "rd_spending",
            rows("rd_spending", "CN-AH", ["2024": 101, "2025": 108.07]), asOf: "2026-12-31")
        #expect(approx(e.actualPace, 7))
        #expect(e.state == .achieved)
    }

    @Test func aCumulativeTargetHitExactlyIsAchieved() {
        // T = 2.2 · (1 + 13.5 / 100) = 2.2 · 1.135 = 2.497; v(D) = 2.497 → s · (v(D) − T) = 0 ≥ 0 → achieved.
        let kind = TargetKind.cumulativeChange(percent: 13.5, baseline: period("2020"), deadline: period("2025"))
        let e = evaluate(kind, indicator: "rd_intensity", rows("rd_intensity", "CN-AH", ["2020": 2.2, "2025": 2.497]), asOf: "2026-12-31")
        #expect(approx(e.targetValue, 2.497))
        #expect(e.state == .achieved)
    }

    @Test func ratiosExactlyOnTheThresholds() {
        // T = 80, v(2020) = 60, D = 2040 → required = 20 / 20 = 1.
        // v(2024) = 63.8: actual = 3.8 / 4 = 0.95 → ratio 0.95 ≥ 0.95 → on_track.
        let onTrack = evaluate(level(80, deadline: "2040"), indicator: urb, rows(urb, "CN-AH", ["2020": 60, "2024": 63.8]), asOf: "2025-06-30")
        #expect(approx(onTrack.paceRatio, 0.95))
        #expect(onTrack.state == .onTrack)
        // v(2024) = 62.4: actual = 2.4 / 4 = 0.6 → ratio 0.60 ≥ 0.60 → at_risk.
        let atRisk = evaluate(level(80, deadline: "2040"), indicator: urb, rows(urb, "CN-AH", ["2020": 60, "2024": 62.4]), asOf: "2025-06-30")
        #expect(approx(atRisk.paceRatio, 0.6))
        #expect(atRisk.state == .atRisk)
    }

    @Test func strictComparisonsStayStrict() {
        // `>`: 0.1 + 0.2 is 0.30000000000000004 in binary; against 0.3 it is still exactly the target, so not met,
        // whichever side carries the rounding error.
        let e = evaluate(level(.greater, 0.1 + 0.2), indicator: urb, rows(urb, "CN-AH", ["2020": 0.1, "2025": 0.3]), asOf: "2026-06-30")
        #expect(e.state == .missed)
        let above = evaluate(level(.greater, 0.3), indicator: urb, rows(urb, "CN-AH", ["2020": 0.1, "2025": 0.1 + 0.2]), asOf: "2026-06-30")
        #expect(above.state == .missed)
    }
}
