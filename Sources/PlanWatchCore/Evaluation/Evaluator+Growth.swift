import Foundation

extension Evaluator {
    /// `growth`: average compound growth over `[from, to]` against `min_rate` percent a year (SPEC §5).
    func evaluateGrowth(_ series: ResolvedSeries, minRate: Double, from: Period, to: Period, into result: inout Evaluation) {
        let points = series.values.filter { $0.key >= from && $0.key <= to }.sorted { $0.key < $1.key }.map { (period: $0.key, value: $0.value) }
        result.requiredPace = minRate
        guard let latest = points.last else {
            result.missing = missingMembers(series.gaps, after: nil, within: from...to)
            result.message = "Not enough data: no observation \(betweenText(from, to))" + missingText(result.missing) + "."
            return
        }
        let t = latest.period
        result.latestPeriod = t.description
        result.latestValue = latest.value
        result.missing = missingMembers(series.gaps, after: t, within: from...to)
        let baseline = series.values[from].map { (period: from, value: $0) } ?? (points.count >= 2 ? points[0] : nil)
        result.baselinePeriod = baseline?.period.description
        result.baselineValue = baseline?.value
        let positive = points.allSatisfy { $0.value > 0 }
        if let baseline, baseline.period < t, baseline.value > 0, latest.value > 0 {
            let actual = (pow(latest.value / baseline.value, 1 / (t.time - baseline.period.time)) - 1) * 100
            result.actualPace = actual
            if minRate != 0 { result.paceRatio = actual / minRate }
            let level = baseline.value * pow(1 + minRate / 100, to.time - baseline.period.time)
            result.targetValue = level
            if positive, let line = LeastSquaresLine(points.map { (x: $0.period.time, y: log($0.value)) }) {
                result.projectedValue = exp(line.value(at: to.time))
                result.projectedGap = result.projectedValue! - level
                if line.slope > 0 { result.projectedPeriod = line.time(reaching: log(level)) }
            }
        }
        let growth = result.actualPace.map { "growth \(formatForPeople($0))% a year \(rangeText(baseline!.period, t)) against \(formatForPeople(minRate))% needed" }
        if t == to, let actual = result.actualPace {
            result.state = isAtLeast(actual, minRate) ? .achieved : .missed
            result.message = "\(result.state.label): \(growth!)."
        } else if points.count < 2 || result.actualPace == nil {
            result.state = .insufficientData
            if points.count < 2 {
                result.message = "Not enough data: only \(formatForPeople(latest.value)) in \(t) \(betweenText(from, to)); two observations are needed"
                    + missingText(result.missing) + "."
            } else {
                let bad = [baseline, latest].compactMap { $0 }.filter { $0.value <= 0 }.map(\.period.description)
                result.message = bad.isEmpty
                    ? "Not enough data to measure growth \(betweenText(from, t))."
                    : "Not enough data: growth needs positive values, but the "
                        + (bad.count == 1 ? "\(bad[0]) figure is" : "\(bad.joined(separator: " and ")) figures are") + " not positive."
            }
        } else if let ratio = result.paceRatio {
            result.state = state(forRatio: ratio)
            result.message = "\(result.state.label): \(growth!) (\(percentForPeople(ratio)))"
                + projectionText(result, deadline: to, reference: nil)
                + disagreement(
                    result, sign: 1,
                    target:
                        "the \(formatForPeople(result.targetValue ?? 0)) that \(formatForPeople(minRate))% a year reaches",
                    level: result.targetValue) + "."
        } else {
            result.state = .insufficientData
            result.message = "Not enough data: a minimum growth rate of 0 gives no pace to compare with."
        }
        // A negative pace ratio means moving away in every state but achieved (SPEC §5).
        result.movingAway = result.state != .achieved && (result.paceRatio ?? 0) < 0
    }
}
