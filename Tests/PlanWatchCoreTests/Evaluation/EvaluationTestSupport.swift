import Foundation
import Testing

@testable import PlanWatchCore

/// A small catalogue, plan and data builder for the evaluation tests. Every expected number in these tests is
/// computed by hand from SPEC §5's formulas (the arithmetic is in a comment beside each assertion), never read
/// back from the implementation.
enum EvalFixture {
    /// Indicators: publication lags chosen so the stale due dates are easy to compute by hand.
    static let urbanization = Indicator(
        id: "urbanization_rate", name: "Urbanization rate", unit: "%", publicationLag: CalendarDuration(months: 3),
        aggregate: .weightedMean, weight: "population")
    static let population = Indicator(
        id: "population", name: "Resident population", unit: "10k persons", publicationLag: CalendarDuration(months: 3),
        aggregate: .sum)
    static let gdp = Indicator(
        id: "gdp", name: "Gross domestic product", unit: "CNY 100m", publicationLag: CalendarDuration(months: 3),
        aggregate: .sum)
    static let rdIntensity = Indicator(
        id: "rd_intensity", name: "R&D intensity", unit: "%", publicationLag: CalendarDuration(months: 6),
        aggregate: .weightedMean, weight: "gdp")
    static let rdSpending = Indicator(
        id: "rd_spending", name: "R&D spending", unit: "CNY 100m", publicationLag: CalendarDuration(months: 10),
        aggregate: .sum)
    static let energyIntensity = Indicator(
        id: "energy_intensity", name: "Energy use per unit of GDP", unit: "tce / CNY 10k", direction: .decrease,
        publicationLag: CalendarDuration(months: 6))
    static let retailQuarterly = Indicator(
        id: "retail_q", name: "Retail sales (quarterly)", unit: "CNY 100m", frequency: .quarterly,
        publicationLag: CalendarDuration(months: 1), aggregate: .sum)
    static let retailMonthly = Indicator(
        id: "retail_m", name: "Retail sales (monthly)", unit: "CNY 100m", frequency: .monthly,
        publicationLag: CalendarDuration(days: 15), aggregate: .sum)
    /// A milestone's completion series, named after its target (as the plan loader registers it).
    static let milestone = Indicator(
        id: "central-modern-economy-2035", name: "A modern economic system", unit: "%",
        publicationLag: CalendarDuration(months: 3))

    static let catalog: Catalog = {
        var catalog = Catalog()
        for indicator in [urbanization, population, gdp, rdIntensity, rdSpending, energyIntensity, retailQuarterly, retailMonthly, milestone] {
            catalog.add(indicator)
        }
        for (code, name) in [("CN", "China"), ("CN-AH", "Anhui"), ("CN-HA", "Henan"), ("CN-HB", "Hubei"), ("CN-HN", "Hunan"), ("CN-JX", "Jiangxi")] {
            catalog.add(Region(code: code, name: name, level: code == "CN" ? .country : .province))
        }
        catalog.add(Region(code: "CN-ZONE-HJ", name: "Hunan–Jiangxi zone", level: .zone))
        // Combines members by each indicator's own aggregation (urbanization: population-weighted; gdp: sum).
        catalog.add(Region(code: "CN-CENTRAL", name: "Central region", level: .group, group: RegionGroup(members: ["CN-AH", "CN-HA", "CN-HB"])))
        // The group's own aggregation wins over the indicator's.
        catalog.add(Region(code: "CN-HNJX-MEAN", name: "Hunan and Jiangxi, unweighted", level: .group, group: RegionGroup(members: ["CN-HN", "CN-JX"], aggregate: .mean)))
        return catalog
    }()

    static let plan = Plan(id: "test-plan", title: "Test plan", issued: CalendarDate(year: 2021, month: 4, day: 23))
}

/// One observation row: indicator, region, period text, value.
struct EvalRow {
    var indicator: String
    var region: String
    var period: String
    var value: Double
}

/// The helpers every evaluation suite uses, as protocol-extension methods so they add no global names to the
/// test module.
protocol EvaluationTesting {}

extension EvaluationTesting {
    /// Rows of one series, from `period: value` pairs.
    func rows(_ indicator: String, _ region: String, _ values: KeyValuePairs<String, Double>) -> [EvalRow] {
        values.map { EvalRow(indicator: indicator, region: region, period: $0.key, value: $0.value) }
    }

    func period(_ text: String) -> Period {
        guard let period = Period(parsing: text) else { fatalError("bad period \(text) in a test") }
        return period
    }

    func date(_ text: String) -> CalendarDate {
        guard let date = CalendarDate(parsing: text) else { fatalError("bad date \(text) in a test") }
        return date
    }

    /// The observation set as the store would hand it over at `asOf` (periods ending after it dropped).
    func observationSet(_ rows: [EvalRow], asOf: String) -> ObservationSet {
        var set = ObservationSet()
        for row in rows {
            set.add(indicator: row.indicator, region: row.region, period: period(row.period), value: row.value, asOf: date(asOf))
        }
        return set
    }

    /// Evaluates one target built from `kind` on the fixture catalogue.
    func evaluate(
        _ kind: TargetKind, indicator: String, region: String = "CN-AH", _ rows: [EvalRow], asOf: String,
        policy: EvaluationPolicy = EvaluationPolicy(), catalog: Catalog = EvalFixture.catalog, plan: Plan = EvalFixture.plan
    ) -> Evaluation {
        let evaluator = Evaluator(catalog: catalog, observations: observationSet(rows, asOf: asOf), policy: policy, asOf: date(asOf))
        return evaluator.evaluate(Target(id: "t", kind: kind, indicator: indicator, region: region), in: plan)
    }

    /// `a` equals `b` up to floating-point rounding (1e-9, relative above magnitude 1); nil never matches.
    func approx(_ a: Double?, _ b: Double, tolerance: Double = 1e-9) -> Bool {
        guard let a else { return false }
        return abs(a - b) <= tolerance * max(1, abs(b))
    }

    /// A `level` target on a constant.
    func level(
        _ compare: Comparison, _ value: Double, baseline: String = "2020", deadline: String = "2025", pace: Pace = .linear
    ) -> TargetKind {
        .level(compare: compare, reference: .constant(value), baseline: period(baseline), deadline: period(deadline), pace: pace)
    }

    /// A `level` target `>=` a constant.
    func level(_ value: Double, baseline: String = "2020", deadline: String = "2025", pace: Pace = .linear) -> TargetKind {
        level(.greaterOrEqual, value, baseline: baseline, deadline: deadline, pace: pace)
    }

    /// An `annual_change` target.
    func annualChange(
        _ change: ChangeKind = .absolute, min: Double, from: String = "2021", to: String = "2025", mode: ChangeMode = .everyPeriod
    ) -> TargetKind {
        .annualChange(change: change, minChange: min, from: period(from), to: period(to), mode: mode)
    }
}
