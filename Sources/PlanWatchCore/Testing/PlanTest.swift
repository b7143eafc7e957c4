import Foundation
import Yams

/// A plan unit test file (`planwatch test FILE…`), like `promtool test rules`: input series, then cases evaluated
/// in order as a timeline, each at an as-of date, with the states (and numbers, and alerts) its targets must have:
///
/// ```yaml
/// plans: ../plans.d                    # optional: plan files or folders (default: the configured plans)
/// series:
///   urbanization_rate/CN-AH: {2020: 58.33, 2021: 59.39}
/// files: [anhui.csv]                   # optional: canonical CSV (indicator,region,period,value), beside this file
/// cases:
///   - as_of: 2025-06-30
///     series: {urbanization_rate/CN-AH: {2024: 62.57}}   # optional: added (or revised) before this case
///     targets:
///       anhui-urbanization-1pp: {state: at_risk, pace_ratio: 1.06 ± 0.01, moving_away: false}
///     alerts: [anhui-urbanization-1pp first_evaluation]  # optional: the alerts the case raises for the targets
///                                                        # it names (all targets when it names none), in order
/// ```
public struct PlanTest: Sendable {
    /// An expected number: a value, and how far from it a result may be (`1.06 ± 0.01`; else 1e-9 relative).
    public struct Number: Sendable, Equatable {
        public var value: Double
        public var tolerance: Double?

        public func matches(_ got: Double?) -> Bool {
            guard let got else { return false }
            let allowed = tolerance ?? 1e-9 * max(1, abs(value))
            return abs(got - value) <= allowed
        }

        public var description: String { formatJSONNumber(value) + (tolerance.map { " ± " + formatJSONNumber($0) } ?? "") }
    }

    /// What one target must be in one case.
    public struct Expectation: Sendable {
        public var target: String
        public var line: Int?
        public var state: TargetState?
        public var movingAway: Bool?
        /// Whether the target's next figure must be overdue (`stale: true`) or not.
        public var stale: Bool?
        public var numbers: [(field: String, expected: Number, line: Int?)]
    }

    public struct Case: Sendable {
        public var asOf: CalendarDate
        public var line: Int?
        public var series: [ObservationSet.Key: [Period: Double]]
        public var targets: [Expectation]
        /// `TARGET KIND` pairs, in order; nil when the case does not check alerts.
        public var alerts: [String]?
        public var alertsLine: Int?
    }

    public var path: String
    /// Plan files or folders the test names, resolved against its folder; empty: the configured plans.
    public var plans: [String]
    public var series: [ObservationSet.Key: [Period: Double]]
    /// CSV files, resolved against the test's folder.
    public var files: [String]
    public var cases: [Case]

    /// The numbers a target expectation may check, as evaluations name them.
    public static let numberFieldNames = [
        "actual_pace", "baseline_value", "distance_covered", "latest_value", "pace_ratio", "projected_gap",
        "projected_reference", "projected_value", "remaining_pace", "required_pace", "target_value", "time_elapsed",
    ]

    /// The number `field` of an evaluation.
    public static func number(_ field: String, of evaluation: Evaluation) -> Double? {
        switch field {
        case "pace_ratio": evaluation.paceRatio
        case "latest_value": evaluation.latestValue
        case "target_value": evaluation.targetValue
        case "projected_value": evaluation.projectedValue
        case "baseline_value": evaluation.baselineValue
        case "required_pace": evaluation.requiredPace
        case "actual_pace": evaluation.actualPace
        case "projected_gap": evaluation.projectedGap
        case "projected_reference": evaluation.projectedReference
        case "remaining_pace": evaluation.remainingPace
        case "distance_covered": evaluation.distanceCovered
        case "time_elapsed": evaluation.timeElapsed
        default: nil
        }
    }

    /// Reads a test file; every problem with its line.
    public static func load(_ file: ConfigFile, directory: String) throws(ConfigErrors) -> PlanTest {
        let sink = DiagnosticSink()
        var test = PlanTest(path: file.path, plans: [], series: [:], files: [], cases: [])
        guard let text = String(validating: file.bytes, as: UTF8.self) else {
            throw ConfigErrors([ConfigDiagnostic(file: file.path, line: nil, message: "is not valid UTF-8; save it as UTF-8")])
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text, Resolver.basic)
        } catch let error as YamlError {
            throw ConfigErrors([ConfigDiagnostic(file: file.path, line: PlanSetLoader.line(of: error), message: "is not valid YAML: \(PlanSetLoader.problem(of: error))")])
        } catch {
            throw ConfigErrors([ConfigDiagnostic(file: file.path, line: nil, message: "is not valid YAML: \(error)")])
        }
        guard let root, var top = YAMLMapping(root, what: "the test file", file: file.path, sink: sink) else {
            throw ConfigErrors(sink.diagnostics.isEmpty ? [ConfigDiagnostic(file: file.path, line: nil, message: "is empty; give it series: and cases:")] : sink.diagnostics)
        }
        if let node = top.node("plans") {
            let names = node.sequence.map { $0.compactMap(\.scalar?.string) } ?? node.scalar.map { [$0.string] } ?? []
            test.plans = names.map { Settings.resolve($0, against: directory) }
        }
        if let node = top.node("series") { test.series = readSeries(node, file: file.path, sink: sink) }
        test.files = (top.strings("files") ?? []).map { Settings.resolve($0, against: directory) }
        if let node = top.node("cases") {
            if let items = node.sequence {
                for item in items { if let test2 = readCase(item, file: file.path, sink: sink) { test.cases.append(test2) } }
            } else {
                sink.report(file.path, node.mark?.line, "'cases' must be a list, each with as_of: and targets:")
            }
        } else {
            sink.report(file.path, top.line, "the test file has no 'cases'; list them, each with as_of: and targets:")
        }
        top.finish()
        if !sink.diagnostics.isEmpty { throw ConfigErrors(sink.diagnostics) }
        return test
    }

    /// `indicator/REGION: {period: value, …}` pairs.
    static func readSeries(_ node: Node, file: String, sink: DiagnosticSink) -> [ObservationSet.Key: [Period: Double]] {
        var result: [ObservationSet.Key: [Period: Double]] = [:]
        guard let mapping = node.mapping else {
            sink.report(file, node.mark?.line, "'series' must map indicator/REGION to {period: value}, e.g. urbanization_rate/CN-AH: {2020: 58.33}")
            return result
        }
        for (key, value) in mapping {
            let name = key.scalar?.string ?? ""
            let parts = name.split(separator: "/", maxSplits: 1).map(String.init)
            guard parts.count == 2 else {
                sink.report(file, key.mark?.line, "series '\(name)' must be written indicator/REGION, e.g. urbanization_rate/CN-AH")
                continue
            }
            guard let values = value.mapping else {
                sink.report(file, value.mark?.line, "series '\(name)' must map periods to values, e.g. {2020: 58.33, 2021: 59.39}")
                continue
            }
            var series: [Period: Double] = [:]
            for (periodNode, numberNode) in values {
                let periodText = periodNode.scalar?.string ?? ""
                guard let period = Period(parsing: periodText) else {
                    sink.report(file, periodNode.mark?.line, "series '\(name)' has the period '\(periodText)'; write 2024, 2024-Q3 or 2024-07")
                    continue
                }
                guard let number = numberNode.scalar.flatMap({ Double($0.string) }), number.isFinite else {
                    sink.report(file, numberNode.mark?.line, "series '\(name)' has '\(numberNode.scalar?.string ?? "?")' for \(period), not a number")
                    continue
                }
                series[period] = number
            }
            result[ObservationSet.Key(parts[0], parts[1]), default: [:]].merge(series) { $1 }
        }
        return result
    }

    static func readCase(_ node: Node, file: String, sink: DiagnosticSink) -> Case? {
        guard var fields = YAMLMapping(node, what: "a case", file: file, sink: sink) else { return nil }
        let asOfText = fields.string("as_of", required: true)
        let asOf = asOfText.flatMap(CalendarDate.init(parsing:))
        if let asOfText, asOf == nil {
            fields.report(fields.lineOf("as_of"), "'as_of' of a case is '\(asOfText)'; write a date, e.g. 2025-06-30")
        }
        var result = Case(asOf: asOf ?? CalendarDate(year: 1970, month: 1, day: 1), line: fields.line, series: [:], targets: [], alerts: nil)
        if let node = fields.node("series") { result.series = readSeries(node, file: file, sink: sink) }
        if let node = fields.node("targets") {
            if let mapping = node.mapping {
                for (key, value) in mapping {
                    let target = key.scalar?.string ?? ""
                    guard var expected = YAMLMapping(value, what: "the expectation of target '\(target)'", file: file, sink: sink) else { continue }
                    var expectation = Expectation(target: target, line: key.mark?.line, state: nil, movingAway: nil, numbers: [])
                    if let state = expected.string("state") {
                        if state == TargetState.stale.rawValue {
                            expected.report(
                                expected.lineOf("state"),
                                "'state' of target '\(target)' is 'stale', which is a flag beside the state now; write stale: true (and the state)"
                            )
                        } else if let known = TargetState(rawValue: state) {
                            expectation.state = known
                        } else {
                            expected.report(
                                expected.lineOf("state"),
                                "'state' of target '\(target)' is '\(state)'; use one of \(TargetState.judged.map(\.rawValue).joined(separator: ", "))"
                            )
                        }
                    }
                    for flag in ["moving_away", "stale"] {
                        guard let text = expected.string(flag) else { continue }
                        let value: Bool?
                        switch text.lowercased() {
                        case "true", "yes": value = true
                        case "false", "no": value = false
                        default:
                            value = nil
                            expected.report(
                                expected.lineOf(flag),
                                "'\(flag)' of target '\(target)' is '\(text)'; write true or false")
                        }
                        if flag == "stale" { expectation.stale = value } else { expectation.movingAway = value }
                    }
                    for field in numberFieldNames {
                        guard let text = expected.string(field) else { continue }
                        if let number = parseNumber(text) {
                            expectation.numbers.append((field, number, expected.lineOf(field)))
                        } else {
                            expected.report(expected.lineOf(field), "'\(field)' of target '\(target)' is '\(text)'; write a number, or a number ± a tolerance, e.g. 1.06 ± 0.01")
                        }
                    }
                    expected.finish()
                    result.targets.append(expectation)
                }
            } else {
                fields.report(fields.lineOf("targets"), "'targets' of a case must map target ids to expectations, e.g. anhui-urbanization-1pp: {state: at_risk}")
            }
        }
        if fields.has("alerts") {
            result.alerts = fields.strings("alerts") ?? []
            result.alertsLine = fields.lineOf("alerts")
        }
        fields.finish()
        return result
    }

    /// `1.06`, `1.06 ± 0.01`, `1.06 +- 0.01`, `1.06+/-0.01`.
    static func parseNumber(_ text: String) -> Number? {
        let normalized = text.replacingOccurrences(of: "+/-", with: "±").replacingOccurrences(of: "+-", with: "±")
        let parts = normalized.split(separator: "±").map { $0.trimmingCharacters(in: .whitespaces) }
        guard let value = parts.first.flatMap({ Double($0) }), value.isFinite else { return nil }
        if parts.count == 1 { return Number(value: value, tolerance: nil) }
        guard parts.count == 2, let tolerance = Double(parts[1]), tolerance >= 0 else { return nil }
        return Number(value: value, tolerance: tolerance)
    }
}

/// One failed check: where, which target, which field, what was expected and what came out.
public struct PlanTestFailure: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var target: String
    public var field: String
    public var expected: String
    public var got: String

    public var description: String {
        "\(file)\(line.map { ":\($0)" } ?? ""): \(target): \(field): expected \(expected), got \(got)"
    }
}

/// Runs a plan test with the real evaluator and alert decisions, in memory.
public enum PlanTestRunner {
    /// The failures of `test` on `planSet`, and how many checks ran. `rows` are the CSV files' values.
    public static func run(
        _ test: PlanTest, planSet: PlanSet, rows: [ObservationSet.Key: [Period: Double]] = [:], policy: EvaluationPolicy
    ) -> (failures: [PlanTestFailure], checks: Int) {
        var failures: [PlanTestFailure] = []
        var checks = 0
        var data = test.series
        for (key, values) in rows { data[key, default: [:]].merge(values) { $1 } }
        var memory: [String: AlertMemory] = [:]
        let known = Dictionary(planSet.targets.map { ($0.target.id, $0) }, uniquingKeysWith: { first, _ in first })
        for testCase in test.cases {
            for (key, values) in testCase.series { data[key, default: [:]].merge(values) { $1 } }
            var observations = ObservationSet()
            for (key, values) in data { observations.add(indicator: key.indicator, region: key.region, values: values, asOf: testCase.asOf) }
            let evaluator = Evaluator(catalog: planSet.catalog, observations: observations, policy: policy, asOf: testCase.asOf)
            var raised: [String] = []
            var results: [String: Evaluation] = [:]
            let now = Double(testCase.asOf.daysSinceEpoch) * 86_400
            for (plan, target) in planSet.targets.map({ ($0.plan, $0.target) }) {
                let evaluation = evaluator.evaluate(target, in: plan)
                results[target.id] = evaluation
                let decision = AlertDecision.decide(evaluation, memory: memory[target.id] ?? AlertMemory(), repeatInterval: target.repeatInterval, now: now)
                memory[target.id] = decision.memory
                raised += decision.alerts.map { "\(target.id) \($0.kind.rawValue)" }
            }
            for expectation in testCase.targets {
                guard known[expectation.target] != nil, let evaluation = results[expectation.target] else {
                    checks += 1
                    let names = Catalog.closest(to: expectation.target, among: known.keys)
                    failures.append(PlanTestFailure(
                        file: test.path, line: expectation.line, target: expectation.target, field: "target",
                        expected: "a target of the plans" + (names.isEmpty ? "" : " (did you mean \(names.map { "'\($0)'" }.joined(separator: " or "))?)"),
                        got: "no such target"))
                    continue
                }
                if let state = expectation.state {
                    checks += 1
                    if evaluation.state != state {
                        failures.append(PlanTestFailure(
                            file: test.path, line: expectation.line, target: expectation.target, field: "state",
                            expected: state.rawValue, got: "\(evaluation.state.rawValue) (\(evaluation.message))"))
                    }
                }
                if let moving = expectation.movingAway {
                    checks += 1
                    if evaluation.movingAway != moving {
                        failures.append(PlanTestFailure(
                            file: test.path, line: expectation.line, target: expectation.target, field: "moving_away",
                            expected: String(moving), got: String(evaluation.movingAway)))
                    }
                }
                if let stale = expectation.stale {
                    checks += 1
                    if evaluation.stale != stale {
                        let overdue =
                            evaluation.overdue.map { " (the \($0.period) figure overdue since \($0.since))" } ?? ""
                        failures.append(PlanTestFailure(
                            file: test.path, line: expectation.line, target: expectation.target, field: "stale",
                            expected: String(stale), got: String(evaluation.stale) + overdue))
                    }
                }
                for (field, expected, line) in expectation.numbers {
                    checks += 1
                    let got = PlanTest.number(field, of: evaluation)
                    if !expected.matches(got) {
                        failures.append(PlanTestFailure(
                            file: test.path, line: line, target: expectation.target, field: field, expected: expected.description,
                            got: got.map(formatJSONNumber) ?? "none"))
                    }
                }
            }
            if let alerts = testCase.alerts {
                checks += 1
                // The alerts of the targets the case names (of every target when it names none).
                let named = Set(testCase.targets.map(\.target))
                if !named.isEmpty { raised = raised.filter { named.contains(String($0.prefix { $0 != " " })) } }
                if alerts != raised {
                    failures.append(PlanTestFailure(
                        file: test.path, line: testCase.alertsLine, target: "as of \(testCase.asOf)", field: "alerts",
                        expected: alerts.isEmpty ? "none" : alerts.joined(separator: ", "), got: raised.isEmpty ? "none" : raised.joined(separator: ", ")))
                }
            }
        }
        return (failures, checks)
    }
}
