import Foundation
import Testing

@testable import PlanWatchCore

/// Issue 12: indexes computed from published yearly changes (`derive:`), the way NBS publishes energy and CO₂
/// intensity, and judged by a `cumulative_change` target. Every expected number is computed by hand here.
@Suite("Evaluation: indexes derived from yearly changes")
struct DerivedIndexTests: EvaluationTesting {
    static let change = Indicator(
        id: "energy_change", name: "Energy intensity, change on the previous year", unit: "% y/y", direction: .decrease,
        publicationLag: CalendarDuration(months: 3))
    static let since = Indicator(
        id: "energy_since_2020", name: "Energy intensity, change since 2020", unit: "%", direction: .decrease,
        publicationLag: CalendarDuration(months: 6))
    static let index: Indicator = {
        var index = Indicator(
            id: "energy_index", name: "Energy intensity (2020 = 100)", unit: "index 2020=100", direction: .decrease,
            publicationLag: CalendarDuration(months: 3))
        index.derivation = Derivation(chain: "energy_change", base: Period(year: 2020), cumulative: "energy_since_2020")
        return index
    }()

    static let catalog: Catalog = {
        var catalog = EvalFixture.catalog
        for indicator in [change, since, index] { catalog.add(indicator) }
        return catalog
    }()

    /// The published changes of China's energy intensity: 2021 −2.7, 2022 −0.1, 2023 −0.5, 2024 −3.8 (NBS), and
    /// the NDRC's −11.6 for 2021–2024 as the 2024 change since 2020.
    var published: [EvalRow] {
        rows("energy_change", "CN", ["2020": -0.1, "2021": -2.7, "2022": -0.1, "2023": -0.5, "2024": -3.8])
    }

    func resolver(_ rows: [EvalRow], asOf: String = "2025-06-30") -> SeriesResolver {
        SeriesResolver(catalog: Self.catalog, observations: observationSet(rows, asOf: asOf))
    }

    @Test func chainsYearlyChangesFromTheBaseYear() throws {
        let series = resolver(published).series("energy_index", "CN")
        // 2020 = 100 (the 2020 change, on 2019, is before the base and unused).
        // 2021: 100 × 0.973 = 97.3; 2022: 97.3 × 0.999 = 97.2027; 2023: 97.2027 × 0.995 = 96.7166865;
        // 2024: 96.7166865 × 0.962 = 93.041452413.
        #expect(series.values.keys.sorted() == ["2020", "2021", "2022", "2023", "2024"].map(period))
        #expect(series.values[period("2020")] == 100)
        #expect(approx(series.values[period("2021")], 97.3))
        #expect(approx(series.values[period("2022")], 97.2027))
        #expect(approx(series.values[period("2023")], 96.7166865))
        #expect(approx(series.values[period("2024")], 93.041452413))
        #expect(series.gaps.isEmpty)
    }

    @Test func aPublishedCumulativeChangeWinsOverTheChainAndLaterYearsChainFromIt() throws {
        let rows = published + rows("energy_since_2020", "CN", ["2024": -11.6]) + rows("energy_change", "CN", ["2025": -5.1])
        let series = resolver(rows, asOf: "2026-06-30").series("energy_index", "CN")
        // 2024: 100 × (1 − 0.116) = 88.4, not the chained 93.04; 2025: 88.4 × (1 − 0.051) = 83.8916.
        #expect(approx(series.values[period("2024")], 88.4))
        #expect(approx(series.values[period("2025")], 83.8916))
        #expect(approx(series.values[period("2023")], 96.7166865))
    }

    @Test func aMissingYearBreaksTheChainUntilTheNextCumulativeFigure() throws {
        // CO₂-like: 2021 −3.8, 2022 −0.8, no 2023, 2024 −3.4.
        let rows = rows("energy_change", "CN", ["2021": -3.8, "2022": -0.8, "2024": -3.4])
        let series = resolver(rows).series("energy_index", "CN")
        // 2021: 96.2; 2022: 96.2 × 0.992 = 95.4304; 2023 and 2024 have no value.
        #expect(series.values.keys.sorted() == ["2020", "2021", "2022"].map(period))
        #expect(approx(series.values[period("2022")], 95.4304))
        #expect(series.gaps == [period("2023"): [MissingValue(indicator: "energy_change", region: "CN")]])
        // A cumulative figure for 2024 resumes the index there.
        let resumed = resolver(rows + self.rows("energy_since_2020", "CN", ["2024": -8])).series("energy_index", "CN")
        #expect(approx(resumed.values[period("2024")], 92))
        #expect(resumed.values[period("2023")] == nil)
    }

    @Test func noPublishedChangeMeansNoIndexNotEvenItsBase() throws {
        #expect(resolver([]).series("energy_index", "CN") == ResolvedSeries())
        #expect(resolver(rows("energy_change", "CN", ["2019": -1])).series("energy_index", "CN") == ResolvedSeries())
    }

    @Test func aValueStoredForTheIndexItselfWins() throws {
        let series = resolver(published + rows("energy_index", "CN", ["2022": 97])).series("energy_index", "CN")
        #expect(series.values[period("2022")] == 97)
        // The chain goes on from the computed 2022, not the stored one: 97.2027 × 0.995 = 96.7166865.
        #expect(approx(series.values[period("2023")], 96.7166865))
    }

    @Test func aCumulativeChangeTargetJudgesTheIndexAndNamesTheSourceOfItsInput() throws {
        var set = observationSet([], asOf: "2025-06-30")
        set.add(indicator: "energy_change", region: "CN", values: [period("2021"): -2.7, period("2022"): -0.1, period("2023"): -0.5],
                sources: [period("2021"): "nbs", period("2022"): "nbs", period("2023"): "nbs"], asOf: date("2025-06-30"))
        set.add(indicator: "energy_since_2020", region: "CN", values: [period("2024"): -11.6], sources: [period("2024"): "ndrc"], asOf: date("2025-06-30"))
        var catalog = Self.catalog
        catalog.add(DataSource(id: "nbs", name: "National Bureau of Statistics of China"))
        catalog.add(DataSource(id: "ndrc", name: "National Development and Reform Commission"))
        let evaluator = Evaluator(catalog: catalog, observations: set, policy: EvaluationPolicy(), asOf: date("2025-06-30"))
        let target = Target(
            id: "t", kind: .cumulativeChange(percent: -13.5, baseline: period("2020"), deadline: period("2025")),
            indicator: "energy_index", region: "CN")
        let result = evaluator.evaluate(target, in: EvalFixture.plan)
        // Target 100 × 0.865 = 86.5 by 2025, on the compound path from 100 in 2020: the required pace is
        // 0.865^(1/5) − 1 = −0.0285885 a year; the actual, 2020–2024, (88.4 / 100)^(1/4) − 1 = −0.0303543.
        // Pace ratio −0.0303543 / −0.0285885 = 1.0617653 ≥ 1 → on_track.
        #expect(approx(result.targetValue, 86.5))
        #expect(approx(result.requiredPace, pow(0.865, 0.2) - 1))
        #expect(approx(result.actualPace, pow(0.884, 0.25) - 1))
        #expect(approx(result.paceRatio, 1.061765263792179, tolerance: 1e-7))
        #expect(result.state == .onTrack)
        #expect(result.latestPeriod == "2024")
        #expect(approx(result.latestValue, 88.4))
        #expect(result.latestSource == "National Development and Reform Commission")
        #expect(result.message.hasSuffix(" Source of the 2024 figure: National Development and Reform Commission."))
    }
}
