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
        full.projectedReference = 2.8099999999999996
        full.timeElapsed = 0.6000000000000001
        full.distanceCovered = 0.137480259954
        full.remainingPace = 0.19995959767
        full.overdue = Overdue(period: "2025", since: "2026-04-30")
        let empty = Evaluation(
            plan: "p", target: "t2", kind: "level", indicator: "gdp", region: "CN", severity: .info,
            state: .insufficientData, movingAway: false, asOf: "2025-06-30", deadline: "2025", message: "")
        return [full, empty]
    }

    /// The evaluation with every number at the 12 significant digits JSON carries.
    static func rounded(_ evaluation: Evaluation) -> Evaluation {
        func twelve(_ value: Double?) -> Double? { value.map { Double(String(format: "%.12g", $0))! } }
        var copy = evaluation
        copy.baselineValue = twelve(copy.baselineValue)
        copy.latestValue = twelve(copy.latestValue)
        copy.targetValue = twelve(copy.targetValue)
        copy.requiredPace = twelve(copy.requiredPace)
        copy.actualPace = twelve(copy.actualPace)
        copy.paceRatio = twelve(copy.paceRatio)
        copy.projectedValue = twelve(copy.projectedValue)
        copy.projectedGap = twelve(copy.projectedGap)
        copy.projectedPeriod = twelve(copy.projectedPeriod)
        copy.projectedReference = twelve(copy.projectedReference)
        copy.timeElapsed = twelve(copy.timeElapsed)
        copy.distanceCovered = twelve(copy.distanceCovered)
        copy.remainingPace = twelve(copy.remainingPace)
        copy.changes = copy.changes?.map { PeriodChange(period: $0.period, change: twelve($0.change)!, passed: $0.passed) }
        return copy
    }

    @Test func decodesBackToTheSameEvaluationAtTwelveDigits() throws {
        for evaluation in EvaluationJSONTests.samples {
            let decoded = try JSONDecoder().decode(Evaluation.self, from: Data(evaluation.json.utf8))
            #expect(decoded == EvaluationJSONTests.rounded(evaluation))
        }
        let full = try JSONDecoder().decode(Evaluation.self, from: Data(EvaluationJSONTests.samples[0].json.utf8))
        #expect(full.actualPace == 1.06)
        #expect(full.projectedValue == 63.57)
        #expect(full.projectedPeriod == 2024.77358491)
        #expect(full.changes?.map(\.change) == [1.06, 0.76])
        #expect(full.targetValue == 1e20)
        #expect(full.paceRatio == -0.000012)
    }

    @Test func numbersHaveAtMostTwelveSignificantDigitsWithoutFloatNoise() {
        let text = EvaluationJSONTests.samples[0].json
        #expect(text.contains("\"actual_pace\":1.06,"))
        #expect(text.contains("\"projected_value\":63.57,"))
        #expect(text.contains("\"projected_period\":2024.77358491,"))
        #expect(text.contains("\"changes\":[{\"change\":1.06,\"passed\":true,\"period\":\"2021\"},{\"change\":0.76,"))
        #expect(text.contains("\"target_value\":1e+20,"))
        #expect(text.contains("\"pace_ratio\":-1.2e-05,"))
        #expect(formatJSONNumber(0.1 + 0.2) == "0.3")
        #expect(formatJSONNumber(64.02 - 63.02) == "1")
        #expect(formatJSONNumber(123456789012345) == "123456789012000")
        #expect(formatJSONNumber(-0.0) == "0")
    }

    @Test func saysTheSameAsJSONEncoderAtTwelveDigits() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        for evaluation in EvaluationJSONTests.samples.map(EvaluationJSONTests.rounded) {
            let ours = try JSONSerialization.jsonObject(with: Data(evaluation.json.utf8)) as? NSDictionary
            let theirs = try JSONSerialization.jsonObject(with: encoder.encode(evaluation)) as? NSDictionary
            #expect(ours == theirs)
        }
    }

    @Test func theStaleFlagAndTheProgressFiguresAreFieldsOfTheirOwn() {
        let text = EvaluationJSONTests.samples[0].json
        #expect(text.contains("\"stale\":true,"))
        #expect(text.contains("\"overdue\":{\"period\":\"2025\",\"since\":\"2026-04-30\"},"))
        #expect(text.contains("\"projected_reference\":2.81,"))
        #expect(text.contains("\"time_elapsed\":0.6,"))
        #expect(text.contains("\"distance_covered\":0.137480259954,"))
        #expect(text.contains("\"remaining_pace\":0.19995959767,"))
        let empty = EvaluationJSONTests.samples[1].json
        #expect(empty.contains("\"stale\":false,"))
        #expect(empty.contains("\"overdue\":null,"))
        #expect(empty.contains("\"time_elapsed\":null,"))
        // A record written before these fields existed still reads, fresh and without them.
        let old = #"{"as_of":"2025-06-30","deadline":"2025","indicator":"gdp","kind":"level","message":"","moving_away":false,"plan":"p","region":"CN","severity":"info","state":"stale","target":"t"}"#
        let decoded = try? JSONDecoder().decode(Evaluation.self, from: Data(old.utf8))
        #expect(decoded?.state == .stale)
        #expect(decoded?.stale == false)
        #expect(decoded?.timeElapsed == nil)
    }

    /// People read the same numbers everywhere: a ratio computed in memory and the same ratio read back from the
    /// 12-digit JSON the status table shows round alike (0.865 was 86% in one and 87% in the other).
    @Test func percentagesRoundAlikeInMemoryAndReadBack() {
        for ratio in [0.865, 0.825, 0.8649999999999999, 0.825 - 1e-16, 1.0600000000000005, -0.5, 0.005] {
            let readBack = Double(formatJSONNumber(ratio))!
            #expect(percentForPeople(ratio) == percentForPeople(readBack), "\(ratio)")
        }
        #expect(percentForPeople(0.865) == "87%")
        #expect(percentForPeople(0.8649999999999999) == "87%")
        #expect(percentForPeople(0.825) == "83%")
        #expect(percentForPeople(-0.5) == "-50%")
        #expect(percentForPeople(0.8649) == "86%")
        #expect(formatForPeople(2.675) == formatForPeople(Double(formatJSONNumber(2.675))!))
        #expect(signedForPeople(0.2) == "+0.2")
        #expect(signedForPeople(-0.0212) == "-0.0212")
        #expect(signedForPeople(0) == "0")
    }

    @Test func writesEveryFieldWithUnknownNumbersAsNull() {
        let text = EvaluationJSONTests.samples[1].json
        #expect(text.hasPrefix("{\"actual_pace\":null,\"as_of\":\"2025-06-30\",\"baseline_period\":null,"))
        #expect(text.contains("\"changes\":null,"))
        #expect(text.contains("\"moving_away\":false,"))
        #expect(EvaluationJSONTests.samples[0].json.contains("\"title\":\"Quote \\\" backslash \\\\ newline\\n tab\\t bell\\u0007 安徽 ✓\""))
    }
}
