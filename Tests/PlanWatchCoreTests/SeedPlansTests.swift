import Foundation
import Testing

@testable import PlanWatchCore

/// The plans and catalogues that ship in `seeds/plans.d` load without a single diagnostic.
@Suite struct SeedPlansTests {
    static let directory = Fixtures.repository.appending(path: "seeds/plans.d")

    /// Every YAML file of the seed plans directory, named as the loader would show it.
    static func seedFiles() throws -> [ConfigFile] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { !$0.hasPrefix(".") && ($0.hasSuffix(".yaml") || $0.hasSuffix(".yml")) }
            .sorted()
        return try names.map { ConfigFile(path: $0, bytes: [UInt8](try Data(contentsOf: directory.appending(path: $0)))) }
    }

    static func seedSet() throws -> PlanSet {
        do {
            return try PlanSet.load(try seedFiles())
        } catch let errors as ConfigErrors {
            Issue.record("the seed plans have problems:\n\(errors)")
            throw errors
        }
    }

    @Test func findsEverySeedFile() throws {
        #expect(try Self.seedFiles().map(\.path) == [
            "anhui-development.yaml", "anhui-henan-adjacent-2025.yaml", "central-region-2021.yaml", "cn-14th-fyp.yaml",
            "hunan-jiangxi-zone-2021.yaml", "indicators.yaml", "regions.yaml", "sources.yaml",
        ])
    }

    @Test func loadsTheSeedPlansWithoutDiagnostics() throws {
        let set = try Self.seedSet()
        #expect(set.plans.map(\.id).sorted() == [
            "anhui-development", "anhui-henan-adjacent-2025", "central-region-2021", "cn-14th-fyp", "hunan-jiangxi-zone-2021",
        ])
        #expect(set.targets.count == 35)
        #expect(set.plans.map(\.targets.count) == [2, 5, 19, 7, 2])
        #expect(Set(set.targets.map(\.target.id)).count == 35)
    }

    @Test func resolvesTheCentralRegionUrbanizationTarget() throws {
        let set = try Self.seedSet()
        let target = try #require(set.targets.first { $0.target.id == "central-urbanization-1pp" })
        #expect(target.plan.id == "central-region-2021")
        #expect(target.target.kind == .annualChange(
            change: .absolute, minChange: 1.0, from: Period(year: 2021), to: Period(year: 2025), mode: .average))
        #expect(target.target.indicator == "urbanization_rate")
        #expect(target.target.region == "CN-CENTRAL")
        #expect(target.target.severity == .warning)
        #expect(target.target.file == "central-region-2021.yaml")
        #expect(target.target.line == 29)
    }

    @Test func resolvesTheNationalTargetsOfEachKind() throws {
        let set = try Self.seedSet()
        let kinds = Dictionary(uniqueKeysWithValues: set.targets.map { ($0.target.id, $0.target.kind) })
        #expect(kinds["central-rd-share-2025"] == .level(
            compare: .greaterOrEqual, reference: .region("CN", indicator: nil), baseline: Period(year: 2020),
            deadline: Period(year: 2025), pace: .linear))
        #expect(kinds["cn-unemployment-2025"] == .level(
            compare: .less, reference: .constant(5.5), baseline: Period(year: 2020), deadline: Period(year: 2025), pace: .linear))
        #expect(kinds["cn-energy-intensity-2025"] == .cumulativeChange(percent: -13.5, baseline: Period(year: 2020), deadline: Period(year: 2025)))
        #expect(kinds["cn-rd-spending-growth-7pct"] == .growth(minRate: 7, from: Period(year: 2020), to: Period(year: 2025)))
        #expect(kinds["anhui-auto-chain-20pct"] == .annualChange(
            change: .relative, minChange: 20, from: Period(year: 2022), to: Period(year: 2024), mode: .consecutive(count: 2)))
        #expect(kinds["central-modern-economy-2035"] == .milestone(baseline: Period(year: 2021), deadline: Period(year: 2035)))
    }

    @Test func catalogsEverySeedIndicatorRegionAndMilestone() throws {
        let set = try Self.seedSet()
        let milestones = set.targets.filter { if case .milestone = $0.target.kind { true } else { false } }
        #expect(milestones.count == 11)
        #expect(set.catalog.indicators.count == 33)
        #expect(set.catalog.indicators["energy_intensity"]?.derivation == Derivation(
            chain: "energy_intensity_change", base: Period(year: 2020), cumulative: "energy_intensity_change_since_2020"))
        #expect(set.catalog.indicators["co2_intensity"]?.derivation == Derivation(chain: "co2_intensity_change", base: Period(year: 2020)))
        #expect(set.catalog.regions.count == 49)
        #expect(set.catalog.indicator(named: "常住人口城镇化率（%）")?.id == "urbanization_rate")
        #expect(set.catalog.region(named: "安徽省")?.code == "CN-AH")
        #expect(set.catalog.regionSuggestions(for: "Anhwei") == ["CN-AH (Anhui)"])
        #expect(set.catalog.indicators["central-modern-economy-2035"]?.unit == "%")
    }
}
