import Foundation
import Testing

@testable import PlanWatchCore

/// Issue 12: the catalogue's `derive:` (an index chained from yearly changes) and a target's `missing_data:`, as
/// the loader reads and checks them.
@Suite struct DerivationLoaderTests {
    static let indicators = """
        indicators:
          - id: energy_change
            name: Energy intensity, change on the previous year
            unit: "% y/y"
            direction: decrease
            publication_lag: P3M
          - id: energy_since_2020
            name: Energy intensity, change since 2020
            unit: "%"
            publication_lag: P6M
          - id: energy_index
            name: Energy intensity (2020 = 100)
            unit: index 2020=100
            direction: decrease
            publication_lag: P3M
            derive:
              chain: energy_change
              base: 2020
              cumulative: energy_since_2020

        """

    @Test func readsADerivationAndAMissingDataNote() throws {
        let plan = PlanFiles.plan("""
              - id: t1
                kind: cumulative_change
                indicator: energy_index
                region: CN-AH
                percent: -13.5
                baseline: 2020
                deadline: 2025
                missing_data: The 2023 change is not published.

            """)
        let set = try PlanFiles.load(PlanFiles.file(Self.indicators, path: "indicators.yaml"), plan)
        #expect(set.catalog.indicators["energy_index"]?.derivation == Derivation(
            chain: "energy_change", base: Period(year: 2020), cumulative: "energy_since_2020"))
        #expect(set.catalog.indicators["energy_change"]?.derivation == nil)
        #expect(set.targets.first?.target.missingData == "The 2023 change is not published.")
    }

    @Test func namesAnUnknownInputWithTheNearestIndicator() throws {
        let text = Self.indicators.replacingOccurrences(of: "chain: energy_change", with: "chain: energy_chnage")
        #expect(try PlanFiles.diagnostics(PlanFiles.file(text, path: "indicators.yaml")) == [
            "indicators.yaml:17: indicator 'energy_index' is derived from the unknown indicator 'energy_chnage'; did you mean 'energy_change (Energy intensity, change on the previous year)'?",
        ])
    }

    @Test func refusesABaseThatIsNotAYearAndAMissingChain() throws {
        let quarter = Self.indicators.replacingOccurrences(of: "base: 2020", with: "base: 2020-Q4")
        #expect(try PlanFiles.diagnostics(PlanFiles.file(quarter, path: "indicators.yaml")) == [
            "indicators.yaml:18: 'base' of 'derive' of indicator 'energy_index' is 2020-Q4; name the year the index is 100, e.g. base: 2020",
        ])
        let noChain = Self.indicators.replacingOccurrences(of: "      chain: energy_change\n", with: "")
        #expect(try PlanFiles.diagnostics(PlanFiles.file(noChain, path: "indicators.yaml")) == [
            "indicators.yaml:17: 'derive' of indicator 'energy_index' is missing the required key 'chain'",
        ])
    }

    @Test func refusesAnIndexDerivedFromAnotherIndexOrItself() throws {
        let itself = Self.indicators.replacingOccurrences(of: "cumulative: energy_since_2020", with: "cumulative: energy_index")
        #expect(try PlanFiles.diagnostics(PlanFiles.file(itself, path: "indicators.yaml")) == [
            "indicators.yaml:17: indicator 'energy_index' is derived from 'energy_index', which is itself; derive from stored changes",
        ])
    }

    @Test func refusesADerivedIndicatorThatIsNotAnnual() throws {
        let monthly = Self.indicators.replacingOccurrences(
            of: "    unit: index 2020=100\n", with: "    unit: index 2020=100\n    frequency: monthly\n")
        #expect(try PlanFiles.diagnostics(PlanFiles.file(monthly, path: "indicators.yaml")) == [
            "indicators.yaml:14: indicator 'energy_index' is derived from yearly changes ('derive'), so its frequency must be annual",
        ])
    }
}
