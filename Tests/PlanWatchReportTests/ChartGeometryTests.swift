import Foundation
import Testing

@testable import PlanWatchCore
@testable import PlanWatchReport

/// The chart geometry, on values: every coordinate computed by hand in the comments.
@Suite struct ChartGeometryTests {
    @Test func ticksAreRoundStepsCoveringTheValues() {
        // (2.69 − 1.77) / 5 = 0.184 → magnitude 0.1, step 0.2; from ⌊1.77 / 0.2⌋ = 8 to ⌈2.69 / 0.2⌉ = 14.
        #expect(niceTicks(1.77, 2.69) == [1.6, 1.8, 2, 2.2, 2.4, 2.6, 2.8])
        // (80 − 50) / 5 = 6 → step 10.
        #expect(niceTicks(50, 80) == [50, 60, 70, 80])
        // (100 − 83.9) / 5 = 3.22 → step 5, from 80 to 100.
        #expect(niceTicks(83.9, 100) == [80, 85, 90, 95, 100])
        // (0.3 − 0.1) / 5 = 0.04 → step 0.05; 3 × 0.05 is 0.15000000000000002 unless rounded to the step's decimals.
        #expect(niceTicks(0.1, 0.3) == [0.1, 0.15, 0.2, 0.25, 0.3])
        // One value: ±5% around it, (21 − 19) / 5 = 0.4 → step 0.5.
        #expect(niceTicks(20, 20) == [19, 19.5, 20, 20.5, 21])
    }

    @Test func aScaleMapsItsDomainOntoItsRangeToATenth() {
        let y = LinearScale(domain: 50...80, from: 304, to: 16)
        #expect(y(50) == 304)
        #expect(y(80) == 16)
        #expect(y(55) == 256)  // 304 − 5 × 9.6
        #expect(y(61.51) == 193.5)  // 304 − 11.51 × 9.6 = 193.504
        #expect(coordinate(193.5) == "193.5")
        #expect(coordinate(16) == "16")
        #expect(coordinate(-3.14) == "-3.1")
    }

    @Test func periodsSitInTheMiddleOfTheirSpanAndDatesWhereTheyFall() {
        #expect(axisTime(Period(year: 2024)) == 2024.5)
        #expect(axisTime(Period(year: 2024, frequency: .quarterly, index: 3)) == 2024.625)
        #expect(axisEnd(Period(year: 2025)) == 2026)
        // 2025-07-02 is day 182 of 365 (0-based): 2025 + 182 / 365.
        #expect(axisTime(CalendarDate(year: 2025, month: 7, day: 2)) == 2025 + 182.0 / 365)
    }

    @Test func aFramePathsPointsInDataUnits() {
        let frame = ChartFrame(width: 720, height: 360, times: 2020...2026, values: [50, 80])
        // x: 2020…2026 onto 64…696, 105.33 a year; y: 50…80 onto 304…16.
        #expect(frame.path([(2020.5, 50), (2021.5, 55)]) == "M116.7 304 L222 256")
        #expect(frame.yTicks == [50, 60, 70, 80])
    }
}

/// A target's chart laid out in full, on a target simple enough to compute by hand.
@Suite struct TargetChartTests {
    /// Level ≥ 80 by 2025 from a 2020 baseline, linear pace; 50, 55, 60 in 2020–2022 from one source; a 2021
    /// value of 54 from a second source, and 2022's first release of 59 revised to 60.
    static func sample(asOf: CalendarDate = CalendarDate(year: 2023, month: 7, day: 2)) -> ReportTarget {
        let target = Target(
            id: "t", title: "Reaches 80", kind: .level(compare: .greaterOrEqual, reference: .constant(80), baseline: Period(year: 2020), deadline: Period(year: 2025), pace: .linear),
            indicator: "share", region: "CN-AH")
        var evaluation = Evaluation(
            plan: "p", target: "t", title: "Reaches 80", kind: "level", indicator: "share", region: "CN-AH", severity: .warning,
            state: .onTrack, movingAway: false, asOf: asOf.description, deadline: "2025", message: "On track.")
        evaluation.baselinePeriod = "2020"
        evaluation.baselineValue = 50
        evaluation.latestPeriod = "2022"
        evaluation.latestValue = 60
        evaluation.targetValue = 80
        evaluation.projectedValue = 75
        let values = [
            ReportValue(period: Period(year: 2020), value: 50, source: "NBS", vintage: "2021-02-28", file: "a.csv", row: 2, status: .used),
            ReportValue(period: Period(year: 2021), value: 55, source: "NBS", vintage: "2022-02-28", file: "a.csv", row: 3, status: .used),
            ReportValue(period: Period(year: 2021), value: 54, source: "WDI", vintage: "2023-12-18", file: "w.csv", row: 7, status: .otherSource),
            ReportValue(period: Period(year: 2022), value: 60, source: "NBS", vintage: "2024-02-29", file: "b.csv", row: 2, status: .used),
            ReportValue(period: Period(year: 2022), value: 59, source: "NBS", vintage: "2023-02-28", file: "a.csv", row: 4, status: .revised),
        ]
        return ReportTarget(plan: Plan(id: "p", title: "Plan", issued: CalendarDate(year: 2021, month: 1, day: 1)), target: target, evaluation: evaluation, values: values)
    }

    @Test func everyElementHasItsHandComputedCoordinates() {
        let chart = TargetChart(Self.sample(), asOf: CalendarDate(year: 2023, month: 7, day: 2))
        // Time axis: ⌊2020.5 − 0.5⌋ = 2020 to ⌈max(end of 2025 = 2026, 2023.5)⌉ = 2026 onto x 64…696 (105.33 a year).
        // Value axis: 50…80 (values 50–60, target 80, projection 75; ticks of 10) onto y 304…16 (9.6 a unit).
        #expect(chart.frame.x.domain == 2020...2026)
        #expect(chart.frame.y.domain == 50...80)
        // x(2020.5) = 64 + 0.5 × 105.33 = 116.7; x(2021.5) = 222; x(2022.5) = 327.3; y(55) = 256, y(60) = 208.
        #expect(chart.series == "M116.7 304 L222 256 L327.3 208")
        #expect(chart.points.map { "\(coordinate($0.x)),\(coordinate($0.y))" } == ["116.7,304", "222,256", "222,265.6", "327.3,208", "327.3,217.6"])
        #expect(chart.points.map(\.shape) == [.circle, .circle, .square, .circle, .circle])
        #expect(chart.points.map(\.revised) == [false, false, false, false, true])
        #expect(chart.points.map(\.secondary) == [false, false, true, false, true])
        #expect(chart.legend == [ChartLegendEntry(shape: .circle, label: "NBS"), ChartLegendEntry(shape: .square, label: "WDI")])
        // The target: y(80) = 16 across the plot.
        #expect(chart.target == ChartLine(x1: 64, y1: 16, x2: 696, y2: 16))
        // Required: straight from (2020.5, 50) to (2025.5, 80): x(2025.5) = 64 + 5.5 × 105.33 = 643.3.
        #expect(chart.required == "M116.7 304 L643.3 16")
        // Least squares through (2020, 50), (2021, 55), (2022, 60): slope 5; 75 in 2025: y = 304 − 25 × 9.6 = 64.
        #expect(chart.projection == "M116.7 304 L643.3 64")
        #expect(chart.baseline?.x == 116.7)
        #expect(chart.baseline?.y == 304)
        // Deadline at the end of 2025 (x 696); as of 2023-07-02 = 2023 + 182/365: 64 + 3.4986 × 105.33 = 432.5.
        #expect(chart.deadline == ChartLine(x1: 696, y1: 16, x2: 696, y2: 304))
        #expect(chart.today == ChartLine(x1: 432.5, y1: 16, x2: 432.5, y2: 304))
        #expect(chart.yTicks == [ChartTick(at: 304, label: "50"), ChartTick(at: 208, label: "60"), ChartTick(at: 112, label: "70"), ChartTick(at: 16, label: "80")])
        #expect(chart.xTicks.map(\.label) == ["2020", "2021", "2022", "2023", "2024", "2025"])
        #expect(chart.xTicks.first?.at == 116.7)
    }

    @Test func aCompoundPathCurvesAtAConstantRate() {
        let points = TargetChart.path(from: (2020.5, 100), to: (2025.5, 86.5), compound: true)
        // Ten steps a year: 51 points; half way (2023) 100 × 0.865^0.5 = 93.005.
        #expect(points.count == 51)
        #expect(abs(points[25].y - 93.00537618869137) < 1e-9)
        #expect(points[25].x == 2023)
        #expect(TargetChart.path(from: (2020.5, 50), to: (2025.5, 80), compound: false).count == 2)
    }

    @Test func aReferenceTargetDrawsTheReferenceAndClosesTheGap() {
        var sample = Self.sample()
        sample.target.kind = .level(compare: .greaterOrEqual, reference: .region("CN", indicator: nil), baseline: Period(year: 2020), deadline: Period(year: 2022), pace: .linear)
        sample.reference = [Period(year: 2020): 60, Period(year: 2021): 62]
        sample.referenceName = "CN"
        sample.evaluation.targetValue = nil
        sample.evaluation.deadline = "2022"
        let chart = TargetChart(sample, asOf: CalendarDate(year: 2023, month: 7, day: 2))
        #expect(chart.target == nil)
        #expect(chart.reference != nil)
        // Gap at 2020: 50 − 60 = −10, closed linearly by 2022: 2020 → 50, 2021 → 62 − 5 = 57, 2022 → 62 (held).
        let frame = chart.frame
        #expect(chart.required == frame.path([(2020.5, 50), (2021.5, 57), (2022.5, 62)]))
    }

    @Test func aSparklineFitsItsBox() throws {
        let line = try #require(Sparkline([(Period(year: 2020), 50), (Period(year: 2021), 55), (Period(year: 2022), 60)], target: 80))
        // x: 2020.5…2022.5 onto 3…117; y: 50…80 onto 25…3 (0.7333 a unit): 55 → 21.3, 60 → 17.7, 80 → 3.
        #expect(line.path == "M3 25 L60 21.3 L117 17.7")
        #expect(line.last.x == 117)
        #expect(line.last.y == 17.7)
        #expect(line.target == 3)
        #expect(Sparkline([], target: nil) == nil)
    }
}
