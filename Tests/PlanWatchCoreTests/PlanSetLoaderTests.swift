import Foundation
import Testing

@testable import PlanWatchCore

/// The per-file rules of the plan loader: syntax, keys, types, kinds and their keys, periods.
@Suite struct PlanSetLoaderTests {
    // MARK: a good plan

    static let everyKind = PlanFiles.header + """
          - id: level-constant
            title: Urbanization reaches 70%
            kind: level
            indicator: urbanization_rate
            region: CN-AH
            compare: ">="
            value: 70
            baseline: 2020
            deadline: 2025
            severity: critical
            pace: compound
          - id: level-reference
            kind: level
            indicator: urbanization_rate
            region: CN-CENTRAL
            compare: ">="
            reference: {region: CN}
            baseline: 2020
            deadline: 2025
          - id: level-aggregate
            kind: level
            indicator: gdp
            region: CN-AH
            compare: ">"
            reference: {regions: [CN-HA, CN-HB], aggregate: weighted_mean, weight: population, indicator: gdp}
            baseline: 2020
            deadline: 2025
          - id: change-consecutive
            kind: annual_change
            indicator: unemployment_rate
            region: CN
            change: relative
            min_change: -0.5
            from: 2021
            to: 2025
            mode: consecutive
            count: 3
          - id: growth-monthly
            kind: growth
            indicator: retail_sales
            region: CN
            min_rate: 5
            from: 2021-01
            to: 2025-12
            repeat_interval: P1M
          - id: cut-gdp
            kind: cumulative_change
            indicator: gdp
            region: CN-CENTRAL
            percent: -13.5
            baseline: 2020
            deadline: 2025
            notes: free text
          - id: modern-economy
            title: A modern economy
            kind: milestone
            region: CN-CENTRAL
            deadline: 2035

        """

    @Test func loadsAPlanWithATargetOfEveryKind() throws {
        let set = try PlanFiles.load(PlanFiles.file(Self.everyKind))
        let plan = try #require(set.plans.first)
        #expect(set.plans.count == 1)
        #expect(plan.id == "test-plan")
        #expect(plan.title == "Test plan")
        #expect(plan.issued == CalendarDate(year: 2021, month: 4, day: 23))
        #expect(plan.file == "plan.yaml")
        let year = { (year: Int) in Period(year: year) }
        #expect(plan.targets == [
            Target(
                id: "level-constant", title: "Urbanization reaches 70%",
                kind: .level(compare: .greaterOrEqual, reference: .constant(70), baseline: year(2020), deadline: year(2025), pace: .compound),
                indicator: "urbanization_rate", region: "CN-AH", severity: .critical, file: "plan.yaml", line: 6),
            Target(
                id: "level-reference",
                kind: .level(compare: .greaterOrEqual, reference: .region("CN", indicator: nil), baseline: year(2020), deadline: year(2025), pace: .linear),
                indicator: "urbanization_rate", region: "CN-CENTRAL", file: "plan.yaml", line: 17),
            Target(
                id: "level-aggregate",
                kind: .level(
                    compare: .greater,
                    reference: .aggregate(regions: ["CN-HA", "CN-HB"], aggregation: .weightedMean, weight: "population", indicator: "gdp"),
                    baseline: year(2020), deadline: year(2025), pace: .linear),
                indicator: "gdp", region: "CN-AH", file: "plan.yaml", line: 25),
            Target(
                id: "change-consecutive",
                kind: .annualChange(change: .relative, minChange: -0.5, from: year(2021), to: year(2025), mode: .consecutive(count: 3)),
                indicator: "unemployment_rate", region: "CN", file: "plan.yaml", line: 33),
            Target(
                id: "growth-monthly",
                kind: .growth(
                    minRate: 5, from: Period(year: 2021, frequency: .monthly, index: 1),
                    to: Period(year: 2025, frequency: .monthly, index: 12)),
                indicator: "retail_sales", region: "CN", repeatInterval: CalendarDuration(months: 1), file: "plan.yaml", line: 43),
            Target(
                id: "cut-gdp", kind: .cumulativeChange(percent: -13.5, baseline: year(2020), deadline: year(2025)),
                indicator: "gdp", region: "CN-CENTRAL", notes: "free text", file: "plan.yaml", line: 51),
            Target(
                id: "modern-economy", title: "A modern economy", kind: .milestone(baseline: year(2021), deadline: year(2035)),
                indicator: "modern-economy", region: "CN-CENTRAL", file: "plan.yaml", line: 59),
        ])
    }

    @Test func givesAMilestoneWithoutIndicatorItsOwnCompletionIndicator() throws {
        let set = try PlanFiles.load(PlanFiles.file(Self.everyKind))
        #expect(set.catalog.indicators["modern-economy"] == Indicator(
            id: "modern-economy", name: "A modern economy", unit: "%", publicationLag: CalendarDuration(months: 3)))
        #expect(set.catalog.indicator(named: "A modern economy")?.id == "modern-economy")
    }

    @Test func loadsTheCatalogueFixtureOnItsOwn() throws {
        let set = try PlanSet.load([try Fixtures.configFile("catalog.yaml")])
        #expect(set.plans.isEmpty)
        #expect(set.catalog.indicators.keys.sorted() == ["gdp", "population", "retail_sales", "unemployment_rate", "urbanization_rate"])
        #expect(set.catalog.regions.keys.sorted() == ["CN", "CN-AH", "CN-CENTRAL", "CN-HA", "CN-HB", "CN-PAIR"])
        #expect(set.catalog.indicators["unemployment_rate"] == Indicator(
            id: "unemployment_rate", name: "Surveyed urban unemployment rate", unit: "%", direction: .decrease,
            publicationLag: CalendarDuration(months: 3)))
        #expect(set.catalog.regions["CN-AH"] == Region(
            code: "CN-AH", name: "Anhui", nameZh: "安徽省", gbCode: "340000", parent: "CN", aliases: ["安徽"]))
        #expect(set.catalog.regions["CN-PAIR"] == Region(
            code: "CN-PAIR", name: "Anhui and Henan", level: .group, group: RegionGroup(members: ["CN-AH", "CN-HA"])))
    }

    @Test(arguments: ["", "# nothing here yet\n", "\n\n"])
    func acceptsAFileThatDefinesNothing(text: String) throws {
        #expect(try PlanFiles.diagnostics(PlanFiles.file(text)) == [])
    }

    // MARK: syntax and shape

    @Test func rejectsAFileThatIsNotUTF8() throws {
        let file = ConfigFile(path: "latin1.yaml", bytes: Array("plan:\n  title: caf".utf8) + [0xE9, 0x0A])
        #expect(try PlanFiles.diagnostics(file) == ["latin1.yaml: is not valid UTF-8; save it as UTF-8"])
    }

    @Test func rejectsInvalidYAMLNamingTheLine() throws {
        let text = """
            plan:
              id: test-plan
              title: [unclosed
              issued: 2021-04-23

            """
        #expect(try PlanFiles.diagnostics(PlanFiles.file(text)) == [
            "plan.yaml:4: is not valid YAML: while parsing a flow sequence did not find expected ',' or ']'",
        ])
    }

    @Test func rejectsATopLevelListInsteadOfAMapping() throws {
        #expect(try PlanFiles.diagnostics(PlanFiles.file("- id: a\n- id: b\n")) == [
            "plan.yaml:1: the file must be a mapping of keys to values",
        ])
    }

    @Test func rejectsATopLevelScalarInsteadOfAMapping() throws {
        #expect(try PlanFiles.diagnostics(PlanFiles.file("\n\njust some text\n")) == [
            "plan.yaml:3: the file must be a mapping of keys to values",
        ])
    }

    @Test func rejectsAnUnknownTopLevelKeySuggestingTheClosest() throws {
        #expect(try PlanFiles.diagnostics(PlanFiles.file("plans:\n  id: x\n")) == [
            "plan.yaml:1: the file has the unknown key 'plans'; did you mean 'plan'?",
        ])
    }

    @Test func rejectsAnUnknownTargetKeySuggestingTheClosest() throws {
        #expect(try PlanFiles.diagnostics(PlanFiles.plan(PlanFiles.levelTarget + "    dedline: 2026\n")) == [
            "plan.yaml:14: target 't1' has the unknown key 'dedline'; did you mean 'deadline'?",
        ])
    }

    @Test func rejectsAnUnknownTargetKeyListingTheKnownKeysWhenNothingIsClose() throws {
        #expect(try PlanFiles.diagnostics(PlanFiles.plan(PlanFiles.levelTarget + "    colour: red\n")) == [
            "plan.yaml:14: target 't1' has the unknown key 'colour'; known keys: baseline, compare, deadline, id, indicator, kind, missing_data, notes, pace, reference, region, repeat_interval, severity, title, value",
        ])
    }

    @Test func rejectsAKeyThatBelongsToAnotherKind() throws {
        #expect(try PlanFiles.diagnostics(PlanFiles.plan(PlanFiles.levelTarget + "    min_change: 1\n")) == [
            "plan.yaml:14: target 't1' has the unknown key 'min_change'; known keys: baseline, compare, deadline, id, indicator, kind, missing_data, notes, pace, reference, region, repeat_interval, severity, title, value",
        ])
    }

    @Test func rejectsADuplicateKeyNamingItsLine() throws {
        let text = PlanFiles.header + """
              - id: t1
                kind: level
                indicator: urbanization_rate
                kind: growth

            """
        #expect(try PlanFiles.diagnostics(PlanFiles.file(text)) == [
            "plan.yaml:7: is not valid YAML: the key 'kind' appears more than once in the same mapping; keep one",
        ])
    }

    @Test func rejectsTargetsThatAreNotAList() throws {
        #expect(try PlanFiles.diagnostics(PlanFiles.plan("  id: t1\n")) == ["plan.yaml:6: 'targets' must be a list"])
    }

    @Test func rejectsATargetThatIsNotAMapping() throws {
        #expect(try PlanFiles.diagnostics(PlanFiles.plan("  - t1\n")) == ["plan.yaml:6: target '?' must be a mapping of keys to values"])
    }

    @Test func rejectsAListWhereASingleValueBelongs() throws {
        let target = PlanFiles.levelTarget.replacingOccurrences(of: "value: 70", with: "value: [70, 71]")
        #expect(try PlanFiles.diagnostics(PlanFiles.plan(target)) == ["plan.yaml:11: 'value' of target 't1' must be a single value"])
    }

    @Test func rejectsAValueThatIsNotANumber() throws {
        let target = PlanFiles.levelTarget.replacingOccurrences(of: "value: 70", with: "value: seventy")
        #expect(try PlanFiles.diagnostics(PlanFiles.plan(target)) == ["plan.yaml:11: 'value' of target 't1' must be a number, not 'seventy'"])
    }

    @Test func rejectsAnInfiniteValue() throws {
        let target = PlanFiles.levelTarget.replacingOccurrences(of: "value: 70", with: "value: 1e999")
        #expect(try PlanFiles.diagnostics(PlanFiles.plan(target)) == ["plan.yaml:11: 'value' of target 't1' must be a number, not '1e999'"])
    }

    @Test func rejectsATargetIdWithSpaces() throws {
        let target = PlanFiles.levelTarget.replacingOccurrences(of: "id: t1", with: "id: t 1")
        #expect(try PlanFiles.diagnostics(PlanFiles.plan(target)) == [
            "plan.yaml:6: target id 't 1' may hold only letters, digits, '_', '-' and '.'",
        ])
    }

    @Test func rejectsAnEmptyRequiredValue() throws {
        let target = PlanFiles.levelTarget.replacingOccurrences(of: "region: CN-AH", with: "region: \"\"")
        #expect(try PlanFiles.diagnostics(PlanFiles.plan(target)) == ["plan.yaml:9: 'region' of target 't1' must not be empty"])
    }

    // MARK: required keys

    @Test func rejectsATargetWithoutKind() throws {
        let target = PlanFiles.levelTarget.replacingOccurrences(of: "    kind: level\n", with: "")
        #expect(try PlanFiles.diagnostics(PlanFiles.plan(target)) == ["plan.yaml:6: target 't1' is missing the required key 'kind'"])
    }

    @Test func rejectsATargetWithoutIndicatorOrRegion() throws {
        let target = PlanFiles.levelTarget
            .replacingOccurrences(of: "    indicator: urbanization_rate\n", with: "")
            .replacingOccurrences(of: "    region: CN-AH\n", with: "")
        #expect(try PlanFiles.diagnostics(PlanFiles.plan(target)) == [
            "plan.yaml:6: target 't1' is missing the required key 'indicator'",
            "plan.yaml:6: target 't1' is missing the required key 'region'",
        ])
    }

    @Test func rejectsALevelTargetWithoutCompare() throws {
        let target = PlanFiles.levelTarget.replacingOccurrences(of: "    compare: \">=\"\n", with: "")
        #expect(try PlanFiles.diagnostics(PlanFiles.plan(target)) == ["plan.yaml:6: target 't1' is missing the required key 'compare'"])
    }

    @Test func rejectsALevelTargetWithoutValueOrReference() throws {
        let target = PlanFiles.levelTarget.replacingOccurrences(of: "    value: 70\n", with: "")
        #expect(try PlanFiles.diagnostics(PlanFiles.plan(target)) == [
            "plan.yaml:6: target 't1' needs exactly one of 'value' (a number) or 'reference' (e.g. {region: CN})",
        ])
    }

    @Test func rejectsALevelTargetWithBothValueAndReference() throws {
        #expect(try PlanFiles.diagnostics(PlanFiles.plan(PlanFiles.levelTarget + "    reference: {region: CN}\n")) == [
            "plan.yaml:6: target 't1' needs exactly one of 'value' (a number) or 'reference' (e.g. {region: CN})",
        ])
    }

    @Test func rejectsALevelTargetWithoutBaselineAndDeadline() throws {
        let target = PlanFiles.levelTarget
            .replacingOccurrences(of: "    baseline: 2020\n", with: "")
            .replacingOccurrences(of: "    deadline: 2025\n", with: "")
        #expect(try PlanFiles.diagnostics(PlanFiles.plan(target)) == [
            "plan.yaml:6: target 't1' is missing the required key 'baseline'",
            "plan.yaml:6: target 't1' is missing the required key 'deadline'",
        ])
    }

    static let annualChange = """
          - id: t1
            kind: annual_change
            indicator: urbanization_rate
            region: CN-AH
            min_change: 1.0
            from: 2021
            to: 2025

        """

    @Test func rejectsAnAnnualChangeTargetWithoutMinChange() throws {
        let target = Self.annualChange.replacingOccurrences(of: "    min_change: 1.0\n", with: "")
        #expect(try PlanFiles.diagnostics(PlanFiles.plan(target)) == ["plan.yaml:6: target 't1' is missing the required key 'min_change'"])
    }

    @Test func rejectsAnAnnualChangeTargetWithoutFromAndTo() throws {
        let target = Self.annualChange
            .replacingOccurrences(of: "    from: 2021\n", with: "")
            .replacingOccurrences(of: "    to: 2025\n", with: "")
        #expect(try PlanFiles.diagnostics(PlanFiles.plan(target)) == [
            "plan.yaml:6: target 't1' is missing the required key 'from'",
            "plan.yaml:6: target 't1' is missing the required key 'to'",
        ])
    }

    @Test func rejectsAConsecutiveTargetWithoutCount() throws {
        #expect(try PlanFiles.diagnostics(PlanFiles.plan(Self.annualChange + "    mode: consecutive\n")) == [
            "plan.yaml:6: target 't1' is missing the required key 'count'",
        ])
    }

    @Test(arguments: ["0", "2.5", "-1"])
    func rejectsACountThatIsNotAWholeNumberOfPeriods(count: String) throws {
        #expect(try PlanFiles.diagnostics(PlanFiles.plan(Self.annualChange + "    mode: consecutive\n    count: \(count)\n")) == [
            "plan.yaml:14: 'count' of target 't1' must be a whole number of periods, at least 1",
        ])
    }

    @Test func rejectsACountLargerThanTheWindow() throws {
        #expect(try PlanFiles.diagnostics(PlanFiles.plan(Self.annualChange + "    mode: consecutive\n    count: 6\n")) == [
            "plan.yaml:14: 'count' of target 't1' is 6 but the window 2021–2025 has only 5 periods",
        ])
    }

    @Test func acceptsACountEqualToTheWindow() throws {
        let set = try PlanFiles.load(PlanFiles.plan(Self.annualChange + "    mode: consecutive\n    count: 5\n"))
        #expect(set.plans.first?.targets.first?.kind == .annualChange(
            change: .absolute, minChange: 1, from: Period(year: 2021), to: Period(year: 2025), mode: .consecutive(count: 5)))
    }

    @Test func rejectsACountInAModeThatHasNone() throws {
        #expect(try PlanFiles.diagnostics(PlanFiles.plan(Self.annualChange + "    mode: average\n    count: 3\n")) == [
            "plan.yaml:14: target 't1' has the unknown key 'count'; known keys: change, from, id, indicator, kind, min_change, missing_data, mode, notes, region, repeat_interval, severity, title, to",
        ])
    }

    @Test func rejectsAnAnnualChangeThatEndsBeforeItStarts() throws {
        let target = Self.annualChange
            .replacingOccurrences(of: "from: 2021", with: "from: 2025")
            .replacingOccurrences(of: "to: 2025", with: "to: 2021")
        #expect(try PlanFiles.diagnostics(PlanFiles.plan(target)) == [
            "plan.yaml:12: target 't1' ends ('to' 2021) before it starts ('from' 2025)",
        ])
    }

    static let growth = """
          - id: t1
            kind: growth
            indicator: gdp
            region: CN-AH
            min_rate: 6
            from: 2021
            to: 2025

        """

    @Test func rejectsAGrowthTargetWithoutMinRate() throws {
        let target = Self.growth.replacingOccurrences(of: "    min_rate: 6\n", with: "")
        #expect(try PlanFiles.diagnostics(PlanFiles.plan(target)) == ["plan.yaml:6: target 't1' is missing the required key 'min_rate'"])
    }

    @Test(arguments: ["2025", "2021"])
    func rejectsAGrowthTargetWhoseToIsNotAfterFrom(to: String) throws {
        let target = Self.growth
            .replacingOccurrences(of: "from: 2021", with: "from: 2025")
            .replacingOccurrences(of: "to: 2025", with: "to: \(to)")
        #expect(try PlanFiles.diagnostics(PlanFiles.plan(target)) == [
            "plan.yaml:12: 'to' of target 't1' (\(to)) must come after 'from' (2025)",
        ])
    }

    static let cumulativeChange = """
          - id: t1
            kind: cumulative_change
            indicator: gdp
            region: CN-AH
            percent: -13.5
            baseline: 2020
            deadline: 2025

        """

    @Test func rejectsACumulativeChangeTargetWithoutPercent() throws {
        let target = Self.cumulativeChange.replacingOccurrences(of: "    percent: -13.5\n", with: "")
        #expect(try PlanFiles.diagnostics(PlanFiles.plan(target)) == ["plan.yaml:6: target 't1' is missing the required key 'percent'"])
    }

    @Test(arguments: ["0", "-100", "-150"])
    func rejectsAPercentThatIsNoChange(percent: String) throws {
        let target = Self.cumulativeChange.replacingOccurrences(of: "percent: -13.5", with: "percent: \(percent)")
        #expect(try PlanFiles.diagnostics(PlanFiles.plan(target)) == [
            "plan.yaml:10: 'percent' of target 't1' must be a change other than 0 and above -100",
        ])
    }

    @Test func rejectsACumulativeChangeWhoseDeadlineIsBeforeItsBaseline() throws {
        let target = Self.cumulativeChange.replacingOccurrences(of: "deadline: 2025", with: "deadline: 2019")
        #expect(try PlanFiles.diagnostics(PlanFiles.plan(target)) == [
            "plan.yaml:12: 'deadline' of target 't1' (2019) must come after its baseline (2020)",
        ])
    }

    static let milestone = """
          - id: t1
            kind: milestone
            region: CN-AH
            deadline: 2035

        """

    @Test func rejectsAMilestoneWithoutDeadline() throws {
        let target = Self.milestone.replacingOccurrences(of: "    deadline: 2035\n", with: "")
        #expect(try PlanFiles.diagnostics(PlanFiles.plan(target)) == ["plan.yaml:6: target 't1' is missing the required key 'deadline'"])
    }

    @Test func rejectsAMilestoneDueBeforeThePlanWasIssued() throws {
        let target = Self.milestone.replacingOccurrences(of: "deadline: 2035", with: "deadline: 2020")
        #expect(try PlanFiles.diagnostics(PlanFiles.plan(target)) == [
            "plan.yaml:9: 'deadline' of target 't1' (2020) must come after its baseline (2021)",
        ])
    }

    @Test func startsAMilestoneInThePlansIssueYearUnlessGivenABaseline() throws {
        let set = try PlanFiles.load(PlanFiles.plan(Self.milestone + Self.milestone
            .replacingOccurrences(of: "id: t1", with: "id: t2")
            .replacingOccurrences(of: "    deadline: 2035\n", with: "    deadline: 2035\n    baseline: 2019\n")))
        #expect(set.plans.first?.targets.map(\.kind) == [
            .milestone(baseline: Period(year: 2021), deadline: Period(year: 2035)),
            .milestone(baseline: Period(year: 2019), deadline: Period(year: 2035)),
        ])
    }

    // MARK: values

    @Test(arguments: [
        ("severity: urgent", "'severity' of target 't1' is 'urgent'; use one of 'info', 'warning', 'critical'"),
        ("pace: fast", "'pace' of target 't1' is 'fast'; use one of 'linear', 'compound'"),
    ])
    func rejectsAnUnknownChoice(line: String, message: String) throws {
        #expect(try PlanFiles.diagnostics(PlanFiles.plan(PlanFiles.levelTarget + "    \(line)\n")) == ["plan.yaml:14: \(message)"])
    }

    @Test func rejectsAnUnknownComparison() throws {
        let target = PlanFiles.levelTarget.replacingOccurrences(of: "compare: \">=\"", with: "compare: \"=>\"")
        #expect(try PlanFiles.diagnostics(PlanFiles.plan(target)) == [
            "plan.yaml:10: 'compare' of target 't1' is '=>'; use one of '>=', '>', '<=', '<'",
        ])
    }

    @Test func rejectsAnUnknownKind() throws {
        let target = PlanFiles.levelTarget.replacingOccurrences(of: "kind: level", with: "kind: levle")
        #expect(try PlanFiles.diagnostics(PlanFiles.plan(target)) == [
            "plan.yaml:7: 'kind' of target 't1' is 'levle'; use one of 'level', 'annual_change', 'growth', 'cumulative_change', 'milestone'",
        ])
    }

    @Test func rejectsAnUnknownChangeAndMode() throws {
        #expect(try PlanFiles.diagnostics(PlanFiles.plan(Self.annualChange + "    change: percent\n    mode: sometimes\n")) == [
            "plan.yaml:13: 'change' of target 't1' is 'percent'; use one of 'absolute', 'relative'",
            "plan.yaml:14: 'mode' of target 't1' is 'sometimes'; use one of 'every_period', 'average', 'consecutive'",
        ])
    }

    @Test func rejectsAMalformedRepeatInterval() throws {
        #expect(try PlanFiles.diagnostics(PlanFiles.plan(PlanFiles.levelTarget + "    repeat_interval: monthly\n")) == [
            "plan.yaml:14: 'repeat_interval' of target 't1' is 'monthly', not a duration; write e.g. P6M, P30D or PT5M",
        ])
    }

    @Test(arguments: [("baseline", "2020-13", 12), ("deadline", "2025-Q5", 13), ("baseline", "20", 12), ("deadline", "2025/12", 13)])
    func rejectsAMalformedPeriod(key: String, text: String, line: Int) throws {
        let original = key == "baseline" ? "baseline: 2020" : "deadline: 2025"
        let target = PlanFiles.levelTarget.replacingOccurrences(of: original, with: "\(key): \(text)")
        #expect(try PlanFiles.diagnostics(PlanFiles.plan(target)) == [
            "plan.yaml:\(line): '\(key)' of target 't1' is '\(text)', not a period; write 2025, 2025-Q4 or 2025-12",
        ])
    }

    @Test(arguments: ["2025", "2019"])
    func rejectsALevelTargetWhoseDeadlineIsNotAfterItsBaseline(deadline: String) throws {
        let target = PlanFiles.levelTarget
            .replacingOccurrences(of: "baseline: 2020", with: "baseline: 2025")
            .replacingOccurrences(of: "deadline: 2025", with: "deadline: \(deadline)")
        #expect(try PlanFiles.diagnostics(PlanFiles.plan(target)) == [
            "plan.yaml:13: 'deadline' of target 't1' (\(deadline)) must come after its baseline (2025)",
        ])
    }

    // MARK: plans

    @Test func rejectsAPlanWithABadIssueDate() throws {
        let text = PlanFiles.header.replacingOccurrences(of: "issued: 2021-04-23", with: "issued: 2021-02-30") + PlanFiles.levelTarget
        #expect(try PlanFiles.diagnostics(PlanFiles.file(text)) == [
            "plan.yaml:4: 'issued' of plan 'test-plan' is '2021-02-30', not a date; write YYYY-MM-DD",
        ])
    }

    @Test func rejectsAPlanWithoutItsRequiredKeys() throws {
        let text = "plan:\n  id: test-plan\n  url: https://example.org\ntargets:\n" + PlanFiles.levelTarget
        #expect(try PlanFiles.diagnostics(PlanFiles.file(text)) == [
            "plan.yaml:2: plan 'test-plan' is missing the required key 'issued'",
            "plan.yaml:2: plan 'test-plan' is missing the required key 'title'",
        ])
    }

    @Test func rejectsAPlanWithoutTargets() throws {
        #expect(try PlanFiles.diagnostics(PlanFiles.file("plan:\n  id: lonely\n  title: Lonely\n  issued: 2021-01-01\n")) == [
            "plan.yaml:2: plan 'lonely' has no 'targets'; add at least one target",
        ])
    }

    @Test func rejectsTargetsWithoutAPlan() throws {
        #expect(try PlanFiles.diagnostics(PlanFiles.file("targets:\n" + PlanFiles.levelTarget)) == [
            "plan.yaml:2: has 'targets' but no 'plan'; add a 'plan:' section with id, title and issued",
        ])
    }

    // MARK: catalogue entries

    @Test func rejectsAnIndicatorWithoutItsRequiredKeys() throws {
        let text = """
            indicators:
              - id: exports
                name_zh: 出口
                direction: up
                frequency: yearly
                aggregate: median

            """
        #expect(try PlanFiles.diagnostics(PlanFiles.file(text, path: "more.yaml")) == [
            "more.yaml:2: indicator 'exports' is missing the required key 'name'",
            "more.yaml:2: indicator 'exports' is missing the required key 'publication_lag'",
            "more.yaml:2: indicator 'exports' is missing the required key 'unit'",
            "more.yaml:4: 'direction' of indicator 'exports' is 'up'; use one of 'increase', 'decrease'",
            "more.yaml:5: 'frequency' of indicator 'exports' is 'yearly'; use one of 'annual', 'quarterly', 'monthly'",
            "more.yaml:6: 'aggregate' of indicator 'exports' is 'median'; use one of 'sum', 'mean', 'weighted_mean'",
        ])
    }

    @Test func rejectsAnIndicatorWeightedMeanWithoutWeight() throws {
        let text = """
            indicators:
              - id: life_expectancy
                name: Life expectancy
                unit: years
                publication_lag: P12M
                aggregate: weighted_mean

            """
        #expect(try PlanFiles.diagnostics(PlanFiles.file(text, path: "more.yaml")) == [
            "more.yaml:6: indicator 'life_expectancy' has aggregate 'weighted_mean' but no 'weight'; name the weight indicator, e.g. weight: population",
        ])
    }

    @Test func rejectsAGroupWeightedMeanWithoutWeightAndWithoutMembers() throws {
        let text = """
            groups:
              - code: CN-EMPTY
                name: Nobody
                members: []
                aggregate: weighted_mean

            """
        #expect(try PlanFiles.diagnostics(PlanFiles.file(text, path: "more.yaml")) == [
            "more.yaml:4: group 'CN-EMPTY' has no members",
            "more.yaml:5: group 'CN-EMPTY' has aggregate 'weighted_mean' but no 'weight'; name the weight indicator",
        ])
    }

    @Test func rejectsARegionWithoutNameAndABadLevel() throws {
        let text = """
            regions:
              - code: CN-HN
                level: state
              - code: CN-JX
                name: Jiangxi
                level: group

            """
        #expect(try PlanFiles.diagnostics(PlanFiles.file(text, path: "more.yaml")) == [
            "more.yaml:2: region 'CN-HN' is missing the required key 'name'",
            "more.yaml:3: 'level' of region 'CN-HN' is 'state'; use one of 'country', 'province', 'city', 'county', 'zone', 'group'",
            "more.yaml:6: region 'CN-JX' has level 'group'; define groups under 'groups:'",
        ])
    }

    @Test func rejectsAGroupWithoutMembers() throws {
        #expect(try PlanFiles.diagnostics(PlanFiles.file("groups:\n  - code: CN-X\n    name: X\n", path: "more.yaml")) == [
            "more.yaml:2: group 'CN-X' is missing the required key 'members'",
        ])
    }

    @Test func rejectsAliasesThatAreNotAList() throws {
        #expect(try PlanFiles.diagnostics(PlanFiles.file("regions:\n  - code: CN-X\n    name: X\n    aliases: {a: b}\n", path: "more.yaml")) == [
            "more.yaml:4: 'aliases' of region 'CN-X' must be a list",
        ])
    }

    // MARK: every problem at once

    @Test func reportsEveryProblemOfABrokenFileInLineOrder() throws {
        #expect(try PlanFiles.diagnostics(try Fixtures.configFile("broken-plan.yaml")) == [
            "broken-plan.yaml:2: plan 'broken-plan' is missing the required key 'title'",
            "broken-plan.yaml:3: plan 'broken-plan' has the unknown key 'titel'; did you mean 'title'?",
            "broken-plan.yaml:7: target 'urbanization-up' uses the unknown region 'CN-AHH'; did you mean 'CN-AH (Anhui)' or 'CN-HA (Henan)' or 'CN-HB (Hubei)'?",
            "broken-plan.yaml:9: 'min_change' of target 'urbanization-up' must be a number, not 'one'",
            "broken-plan.yaml:11: target 'urbanization-up' ends ('to' 2021) before it starts ('from' 2025)",
            "broken-plan.yaml:15: 'compare' of target 'gdp-level' is '=='; use one of '>=', '>', '<=', '<'",
            "broken-plan.yaml:16: target 'gdp-level' uses the unknown indicator 'gdpp'; did you mean 'gdp (Gross domestic product)'?",
            "broken-plan.yaml:17: 'deadline' of target 'gdp-level' is '2025-13', not a period; write 2025, 2025-Q4 or 2025-12",
            "broken-plan.yaml:18: target 'gdp-level' has the unknown key 'severty'; did you mean 'severity'?",
            "broken-plan.yaml:22: target 'urbanization-up' is already defined at broken-plan.yaml:6; target ids must be unique across plans",
        ])
    }

    @Test func sortsDiagnosticsByFileThenLine() throws {
        let late = PlanFiles.file("regions:\n  - code: CN-Z\n    name: Z\n    colour: red\n", path: "b.yaml")
        let early = PlanFiles.file("\n\nindicators: nope\nregions: nope\n", path: "a.yaml")
        #expect(try PlanFiles.diagnostics(late, early) == [
            "a.yaml:3: 'indicators' must be a list",
            "a.yaml:4: 'regions' must be a list",
            "b.yaml:4: region 'CN-Z' has the unknown key 'colour'; known keys: aliases, code, gb_code, level, name, name_zh, parent",
        ])
    }
}
