import Foundation
import Testing

@testable import PlanWatchCore

@Suite("Evaluation JSON")
struct EvaluationJSONTests {
    static var samples: [Evaluation] {
        var full = Evaluation(
            plan: "p", target: "t\"1", title: "Quote \" backslash \\ newline\n tab\t bell\u{7} 安徽 ✓", kind: "annual_change",
            indicator: "urbanization_rate", region: "CN-AH", severity: .critical, state: .atRisk, movingAway: true,
            asOf: "2025-06-30", deadline: "2025", message: "At risk: 1.06 in 2021")
        full.baselinePeriod = "2020"
        full.baselineValue = 58.33
        full.latestPeriod = "2024"
        full.latestValue = 62.57
        full.targetValue = 1e20
        full.requiredPace = 1
        full.actualPace = 1.0600000000000005
        full.paceRatio = -0.000012
        full.projectedValue = 63.56999999999971
        full.projectedGap = 0.24
        full.projectedPeriod = 2024.7735849056605
        full.changes = [
            PeriodChange(period: "2021", change: 1.0600000000000023, passed: true),
            PeriodChange(period: "2022", change: 0.759999999999998, passed: false),
        ]
        full.missing = MissingValues(period: "2024", values: [MissingValue(indicator: "population", region: "CN-SX")])
        let empty = Evaluation(
            plan: "p", target: "t2", kind: "level", indicator: "gdp", region: "CN", severity: .info,
            state: .insufficientData, movingAway: false, asOf: "2025-06-30", deadline: "2025", message: "")
        return [full, empty]
    }

    @Test func decodesBackToTheSameEvaluation() throws {
        for evaluation in EvaluationJSONTests.samples {
            let decoded = try JSONDecoder().decode(Evaluation.self, from: Data(evaluation.json.utf8))
            #expect(decoded == evaluation)
        }
    }

    @Test func saysTheSameAsJSONEncoder() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        for evaluation in EvaluationJSONTests.samples {
            let ours = try JSONSerialization.jsonObject(with: Data(evaluation.json.utf8)) as? NSDictionary
            let theirs = try JSONSerialization.jsonObject(with: encoder.encode(evaluation)) as? NSDictionary
            #expect(ours == theirs)
        }
    }

    @Test func writesEveryFieldWithUnknownNumbersAsNull() {
        let text = EvaluationJSONTests.samples[1].json
        #expect(text.hasPrefix("{\"actual_pace\":null,\"as_of\":\"2025-06-30\",\"baseline_period\":null,"))
        #expect(text.contains("\"changes\":null,"))
        #expect(text.contains("\"moving_away\":false,"))
        #expect(EvaluationJSONTests.samples[0].json.contains("\"title\":\"Quote \\\" backslash \\\\ newline\\n tab\\t bell\\u0007 安徽 ✓\""))
    }
}
