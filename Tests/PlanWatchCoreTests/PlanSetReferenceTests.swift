import Foundation
import Testing

@testable import PlanWatchCore

/// The rules that span files: duplicate ids, clashing names, and references to indicators, regions and groups.
@Suite struct PlanSetReferenceTests {
    // MARK: duplicates

    @Test func rejectsAnIndicatorIdDefinedTwiceNamingTheFirstSite() throws {
        let text = "indicators:\n  - id: gdp\n    name: GDP again\n    unit: CNY 100m\n    publication_lag: P3M\n"
        #expect(try PlanFiles.diagnostics(PlanFiles.file(text, path: "more.yaml")) == [
            "more.yaml:2: indicator 'gdp' is already defined at catalog.yaml:15; keep one",
        ])
    }

    @Test func rejectsARegionCodeDefinedTwiceNamingTheFirstSite() throws {
        #expect(try PlanFiles.diagnostics(PlanFiles.file("regions:\n  - code: CN-AH\n    name: Anhui again\n", path: "more.yaml")) == [
            "more.yaml:2: region code 'CN-AH' is already defined at catalog.yaml:35; keep one",
        ])
    }

    @Test func rejectsAGroupReusingARegionCode() throws {
        #expect(try PlanFiles.diagnostics(PlanFiles.file("groups:\n  - code: CN-HA\n    name: Henan group\n    members: [CN-AH]\n", path: "more.yaml")) == [
            "more.yaml:2: region code 'CN-HA' is already defined at catalog.yaml:41; keep one",
        ])
    }

    @Test func rejectsAPlanIdDefinedTwice() throws {
        let second = PlanFiles.plan(PlanFiles.levelTarget.replacingOccurrences(of: "id: t1", with: "id: t2"), path: "b.yaml")
        #expect(try PlanFiles.diagnostics(PlanFiles.plan(PlanFiles.levelTarget, path: "a.yaml"), second) == [
            "b.yaml:2: plan 'test-plan' is already defined at a.yaml:2; plan ids must be unique",
        ])
    }

    @Test func rejectsATargetIdUsedByTwoPlans() throws {
        let second = PlanFiles.file(
            PlanFiles.header.replacingOccurrences(of: "id: test-plan", with: "id: other-plan") + PlanFiles.levelTarget,
            path: "b.yaml")
        #expect(try PlanFiles.diagnostics(PlanFiles.plan(PlanFiles.levelTarget, path: "a.yaml"), second) == [
            "b.yaml:6: target 't1' is already defined at a.yaml:6; target ids must be unique across plans",
        ])
    }

    @Test func rejectsATargetIdUsedTwiceInOnePlan() throws {
        #expect(try PlanFiles.diagnostics(PlanFiles.plan(PlanFiles.levelTarget + PlanFiles.levelTarget)) == [
            "plan.yaml:14: target 't1' is already defined at plan.yaml:6; target ids must be unique across plans",
        ])
    }

    @Test func rejectsARegionAliasThatAnotherRegionAlreadyUses() throws {
        let text = "regions:\n  - code: CN-AQ\n    name: Anqing\n    aliases: [安庆, 安徽]\n"
        #expect(try PlanFiles.diagnostics(PlanFiles.file(text, path: "more.yaml")) == [
            "more.yaml:2: region 'CN-AQ' uses the name '安徽', which already means region 'CN-AH'; names and aliases must be unique",
        ])
    }

    @Test func rejectsAnIndicatorAliasThatAnotherIndicatorAlreadyUses() throws {
        let text = "indicators:\n  - id: grp_index\n    name: GRP index\n    unit: index\n    publication_lag: P3M\n    aliases: [grp]\n"
        #expect(try PlanFiles.diagnostics(PlanFiles.file(text, path: "more.yaml")) == [
            "more.yaml:2: indicator 'grp_index' uses the name 'grp', which already means indicator 'gdp'; names and aliases must be unique",
        ])
    }

    // MARK: references

    @Test func rejectsAnUnknownIndicatorSuggestingTheClosest() throws {
        let target = PlanFiles.levelTarget.replacingOccurrences(of: "indicator: urbanization_rate", with: "indicator: urbanisation_rate")
        #expect(try PlanFiles.diagnostics(PlanFiles.plan(target)) == [
            "plan.yaml:8: target 't1' uses the unknown indicator 'urbanisation_rate'; did you mean 'urbanization_rate (Urbanization rate)'?",
        ])
    }

    @Test func rejectsAnUnknownRegionSuggestingTheClosest() throws {
        let target = PlanFiles.levelTarget.replacingOccurrences(of: "region: CN-AH", with: "region: CN-HBB")
        #expect(try PlanFiles.diagnostics(PlanFiles.plan(target)) == [
            "plan.yaml:9: target 't1' uses the unknown region 'CN-HBB'; did you mean 'CN-HB (Hubei)' or 'CN-HA (Henan)'?",
        ])
    }

    @Test func rejectsAnUnknownRegionWithoutSuggestionsWhenNothingIsClose() throws {
        let target = PlanFiles.levelTarget.replacingOccurrences(of: "region: CN-AH", with: "region: Atlantis")
        #expect(try PlanFiles.diagnostics(PlanFiles.plan(target)) == ["plan.yaml:9: target 't1' uses the unknown region 'Atlantis'"])
    }

    @Test func rejectsAReferenceToUnknownRegionsAndIndicators() throws {
        let target = PlanFiles.levelTarget.replacingOccurrences(
            of: "    value: 70\n", with: "    reference: {regions: [CN-HA, CX], aggregate: weighted_mean, weight: populaton, indicator: retail_sale}\n")
        #expect(try PlanFiles.diagnostics(PlanFiles.plan(target)) == [
            "plan.yaml:11: the reference of target 't1' uses the unknown indicator 'populaton'; did you mean 'population (Resident population)'?",
            "plan.yaml:11: the reference of target 't1' uses the unknown indicator 'retail_sale'; did you mean 'retail_sales (Retail sales)'?",
            "plan.yaml:11: the reference of target 't1' uses the unknown region 'CX'; did you mean 'CN (China)'?",
        ])
    }

    @Test func rejectsAReferenceListingRegionsWithoutAggregate() throws {
        let target = PlanFiles.levelTarget.replacingOccurrences(of: "    value: 70\n", with: "    reference: {regions: [CN-HA, CN-HB]}\n")
        #expect(try PlanFiles.diagnostics(PlanFiles.plan(target)) == [
            "plan.yaml:11: the reference of target 't1' lists regions but no 'aggregate'; add aggregate: mean, sum or weighted_mean",
        ])
    }

    @Test func rejectsAReferenceWithBothRegionAndRegions() throws {
        let target = PlanFiles.levelTarget.replacingOccurrences(of: "    value: 70\n", with: "    reference: {region: CN, regions: [CN-HB]}\n")
        #expect(try PlanFiles.diagnostics(PlanFiles.plan(target)) == [
            "plan.yaml:11: the reference of target 't1' needs exactly one of 'region' (e.g. CN) or 'regions' (a list with 'aggregate')",
        ])
    }

    @Test func rejectsAnAggregateOnASingleRegionReference() throws {
        let target = PlanFiles.levelTarget.replacingOccurrences(of: "    value: 70\n", with: "    reference: {region: CN, aggregate: mean}\n")
        #expect(try PlanFiles.diagnostics(PlanFiles.plan(target)) == [
            "plan.yaml:11: the reference of target 't1' names one region; 'aggregate' and 'weight' apply to 'regions' only",
        ])
    }

    @Test func rejectsAnUnknownParentSuggestingTheClosest() throws {
        let text = "regions:\n  - code: CN-HN\n    name: Hunan\n    parent: CM\n"
        #expect(try PlanFiles.diagnostics(PlanFiles.file(text, path: "more.yaml")) == [
            "more.yaml:4: region 'CN-HN' has the unknown parent 'CM'; did you mean 'CN (China)'?",
        ])
    }

    @Test func rejectsAnUnknownGroupMemberSuggestingTheClosest() throws {
        let text = "groups:\n  - code: CN-NORTH\n    name: North\n    members: [CN-AH, CN-HBB]\n    aggregate: sum\n"
        #expect(try PlanFiles.diagnostics(PlanFiles.file(text, path: "more.yaml")) == [
            "more.yaml:4: group 'CN-NORTH' has the unknown member 'CN-HBB'; did you mean 'CN-HB (Hubei)' or 'CN-HA (Henan)'?",
        ])
    }

    @Test func rejectsAnUnknownWeightOnAnIndicatorAndAGroup() throws {
        let text = """
            indicators:
              - id: life_expectancy
                name: Life expectancy
                unit: years
                publication_lag: P12M
                aggregate: weighted_mean
                weight: populaton
            groups:
              - code: CN-NORTH
                name: North
                members: [CN-HA, CN-HB]
                aggregate: weighted_mean
                weight: gdpp

            """
        #expect(try PlanFiles.diagnostics(PlanFiles.file(text, path: "more.yaml")) == [
            "more.yaml:7: indicator 'life_expectancy' is weighted by the unknown indicator 'populaton'; did you mean 'population (Resident population)'?",
            "more.yaml:13: group 'CN-NORTH' is weighted by the unknown indicator 'gdpp'; did you mean 'gdp (Gross domestic product)'?",
        ])
    }

    @Test func rejectsGroupsThatContainThemselves() throws {
        let text = """
            groups:
              - code: CN-A
                name: A
                members: [CN-B]
              - code: CN-B
                name: B
                members: [CN-AH, CN-A]
              - code: CN-SELF
                name: Self
                members: [CN-SELF]

            """
        #expect(try PlanFiles.diagnostics(PlanFiles.file(text, path: "more.yaml")) == [
            "more.yaml:2: group 'CN-A' contains itself through its members; remove the cycle",
            "more.yaml:5: group 'CN-B' contains itself through its members; remove the cycle",
            "more.yaml:8: group 'CN-SELF' contains itself through its members; remove the cycle",
        ])
    }

    @Test func acceptsAGroupOfGroups() throws {
        let text = "groups:\n  - code: CN-ALL\n    name: All\n    members: [CN-CENTRAL, CN-PAIR, CN]\n"
        let set = try PlanFiles.load(PlanFiles.file(text, path: "more.yaml"))
        #expect(set.catalog.regions["CN-ALL"]?.group == RegionGroup(members: ["CN-CENTRAL", "CN-PAIR", "CN"]))
    }

    @Test func rejectsATargetOnAGroupThatNothingSaysHowToCombine() throws {
        let target = PlanFiles.levelTarget
            .replacingOccurrences(of: "indicator: urbanization_rate", with: "indicator: unemployment_rate")
            .replacingOccurrences(of: "region: CN-AH", with: "region: CN-PAIR")
        #expect(try PlanFiles.diagnostics(PlanFiles.plan(target)) == [
            "plan.yaml:9: target 't1' is on the group 'CN-PAIR', but neither the group nor indicator 'unemployment_rate' says how to combine members; add 'aggregate:' to one of them",
        ])
    }

    @Test func acceptsATargetOnAGroupWhenTheIndicatorSaysHowToCombine() throws {
        let target = PlanFiles.levelTarget.replacingOccurrences(of: "region: CN-AH", with: "region: CN-PAIR")
        #expect(try PlanFiles.diagnostics(PlanFiles.plan(target)) == [])
    }

    @Test func acceptsAMilestoneOnAGroupWithoutAggregation() throws {
        let target = "  - id: m1\n    kind: milestone\n    indicator: unemployment_rate\n    region: CN-PAIR\n    deadline: 2030\n"
        #expect(try PlanFiles.diagnostics(PlanFiles.plan(target)) == [])
    }

    @Test func rejectsPeriodsOfAnotherFrequencyThanTheIndicators() throws {
        let target = """
              - id: t1
                kind: growth
                indicator: retail_sales
                region: CN
                min_rate: 5
                from: 2021
                to: 2025-Q4

            """
        #expect(try PlanFiles.diagnostics(PlanFiles.plan(target)) == [
            "plan.yaml:6: 'from' of target 't1' is 2021, an annual period, but indicator 'retail_sales' is monthly; write the period as the indicator's data has it",
            "plan.yaml:6: 'to' of target 't1' is 2025-Q4, a quarterly period, but indicator 'retail_sales' is monthly; write the period as the indicator's data has it",
        ])
    }

    @Test func checksTheTargetsOfAPlanWhoseOwnKeysAreBroken() throws {
        let text = "plan:\n  id: broken\n  issued: someday\ntargets:\n" + PlanFiles.levelTarget.replacingOccurrences(of: "region: CN-AH", with: "region: CN-AHX")
        #expect(try PlanFiles.diagnostics(PlanFiles.file(text)) == [
            "plan.yaml:2: plan 'broken' is missing the required key 'title'",
            "plan.yaml:3: 'issued' of plan 'broken' is 'someday', not a date; write YYYY-MM-DD",
            "plan.yaml:8: target 't1' uses the unknown region 'CN-AHX'; did you mean 'CN-AH (Anhui)' or 'CN-HA (Henan)' or 'CN-HB (Hubei)'?",
        ])
    }

    @Test func resolvesReferencesToACatalogueInAnyFile() throws {
        let catalogLast = PlanFiles.file(
            "indicators:\n  - id: exports\n    name: Exports\n    unit: USD bn\n    publication_lag: P1M\n", path: "zz-catalog.yaml")
        let target = PlanFiles.levelTarget.replacingOccurrences(of: "indicator: urbanization_rate", with: "indicator: exports")
        let set = try PlanFiles.load(PlanFiles.plan(target, path: "aa-plan.yaml"), catalogLast)
        #expect(set.targets.map(\.target.indicator) == ["exports"])
        #expect(set.targets.map(\.plan.id) == ["test-plan"])
    }
}
