import Foundation

extension Evaluator {
    /// `annual_change`: the change of each period in `[from, to]` over the one before, against `min_change`
    /// (SPEC §5), judged every period, on average, or as a run of consecutive passes.
    func evaluateAnnualChange(
        _ series: ResolvedSeries, change: ChangeKind, minChange: Double, from: Period, to: Period, mode: ChangeMode,
        into result: inout Evaluation
    ) {
        let sign: Double = catalog.indicators[result.indicator]?.direction == .decrease ? -1 : 1
        let values = series.values
        let f0 = from.previous
        var periods: [Period] = []
        var period = from
        while period <= to, periods.count <= 10_000 {
            periods.append(period)
            period = period.next
        }
        result.requiredPace = minChange
        let observed = values.filter { $0.key >= f0 && $0.key <= to }.sorted { $0.key < $1.key }
        let inWindow = observed.filter { $0.key >= from }
        let latest = inWindow.last
        result.latestPeriod = latest?.key.description
        result.latestValue = latest?.value
        result.missing = missingMembers(series.gaps, after: latest?.key, within: f0...to)
        // The base: the period before `from`, or else the earliest observation after it and before t.
        let base = values[f0].map { (period: f0, value: $0) }
            ?? observed.first.flatMap {
                latest != nil && $0.key < latest!.key ? (period: $0.key, value: $0.value) : nil
            }
        if let base {
            result.baselinePeriod = base.period.description
            result.baselineValue = base.value
            let steps = Double(Evaluator.steps(from: base.period, to: to))
            result.targetValue =
                change == .absolute ? base.value + minChange * steps : base.value * pow(1 + minChange / 100, steps)
        }
        // Every period between two consecutive observations gets the change between them spread evenly.
        var changes: [(period: Period, change: Double, passed: Bool)] = []
        var spread: [String] = []
        for (q, r) in zip(observed, observed.dropFirst()) {
            let k = Evaluator.steps(from: q.key, to: r.key)
            guard k > 0 else { continue }
            let delta: Double? = change == .absolute
                ? (r.value - q.value) / Double(k)
                : (q.value > 0 && r.value > 0 ? (pow(r.value / q.value, 1 / Double(k)) - 1) * 100 : nil)
            guard let delta else { continue }
            if k > 1 { spread.append("\(q.key)–\(r.key) over \(counted(k, "period"))") }
            // s · (change − min_change) ≥ 0, the two compared relatively; an absolute change also carries the
            // binary rounding error of the two values it came from, which is ignored (`isAtLeast`).
            let operands = change == .absolute ? max(abs(r.value), abs(q.value)) : 0
            let passed = isAtLeast(sign * delta, sign * minChange, operands: operands)
            var covered = q.key.next
            var guardSteps = 0
            while covered <= r.key, guardSteps <= 10_000 {
                if covered >= from { changes.append((covered, delta, passed)) }
                covered = covered.next
                guardSteps += 1
            }
        }
        result.changes = changes.map {
            PeriodChange(period: $0.period.description, change: $0.change, passed: $0.passed)
        }
        guard observed.count >= 2, !changes.isEmpty, let latest, let base, base.period < latest.key else {
            result.state = .insufficientData
            result.message = (from == to
                ? "Not enough data: the change in \(from) needs both the \(from) and the \(f0) figures"
                : "Not enough data: no period in \(from)–\(to) has both its value and an earlier one")
                + missingText(result.missing) + "."
            return
        }
        // The average change per period from the base to t.
        let n = Double(Evaluator.steps(from: base.period, to: latest.key))
        let mean: Double? = change == .absolute
            ? (latest.value - base.value) / n
            : (base.value > 0 && latest.value > 0 ? (pow(latest.value / base.value, 1 / n) - 1) * 100 : nil)
        result.actualPace = mean
        if let mean, minChange != 0 { result.paceRatio = mean / minChange }
        // A negative pace ratio means moving away in every state but achieved, missed included (SPEC §5).
        result.movingAway = (result.paceRatio ?? 0) < 0
        defer { if result.state == .achieved { result.movingAway = false } }
        projectAnnualChange(
            values: values, from: base.period, through: latest.key, to: to, relative: change == .relative, sign: sign,
            into: &result)

        let unit = change == .absolute ? "" : "%"
        let list = changes.map { "\(formatForPeople($0.change))\(unit) in \($0.period)" }.joined(separator: ", ")
        let failed = changes.filter { !$0.passed }
        let summary = "\(changes.count == 1 ? "change" : "changes") \(list) against \(formatForPeople(minChange))\(unit) a period"
        let gaps = spread.isEmpty ? "" : "; a gap in the data is spread evenly (\(spread.joined(separator: ", ")))"
        let toObserved = values[to] != nil
        switch mode {
        case .everyPeriod:
            if toObserved {
                result.state = failed.isEmpty ? .achieved : .missed
            } else if changes.last?.passed == false {
                result.state = .offTrack
            } else {
                result.state = failed.isEmpty ? .onTrack : .atRisk
            }
            let failures = failed.isEmpty ? "" : "; \(failed.map { $0.period.description }.joined(separator: ", ")) fell short"
            result.message = "\(result.state.label): \(summary)\(failures)\(gaps)."
        case .average:
            if toObserved, let mean {
                // The changes' own operands: the base and t.
                let operands = change == .absolute ? max(abs(base.value), abs(latest.value)) : 0
                result.state = isAtLeast(sign * mean, sign * minChange, operands: operands) ? .achieved : .missed
            } else if let ratio = result.paceRatio {
                result.state = state(forRatio: ratio)
            } else if let mean {
                result.state = sign * mean >= 0 ? .onTrack : .offTrack
            } else {
                result.state = .insufficientData
            }
            let average =
                mean.map { "average change \(formatForPeople($0))\(unit) a period since \(base.period)" }
                ?? "no average change"
            result.message =
                "\(result.state.label): \(average) against \(formatForPeople(minChange))\(unit) needed (\(list))\(gaps)"
                + disagreement(
                    result, sign: sign,
                    target:
                        "the \(formatForPeople(result.targetValue ?? 0)) that \(formatForPeople(minChange))\(unit) a period reaches",
                    level: result.targetValue) + "."
        case .consecutive(let count):
            var run = 0
            var best = 0
            var previous: Period?
            for item in changes {
                run = item.passed ? (previous.map { $0.next == item.period } ?? false ? run + 1 : 1) : 0
                best = max(best, run)
                previous = item.period
            }
            let last = changes.last!.period
            let left = periods.filter { $0 > last }.count
            if best >= count {
                result.state = .achieved
            } else if run + left < count {
                result.state = .missed
            } else {
                result.state = changes.last!.passed ? .onTrack : .atRisk
            }
            result.message =
                "\(result.state.label): \(summary); best run \(counted(best, "period")) in a row, \(count) needed\(gaps)."
        }
    }

    /// How many periods `last` is after `first` (0 when it is not after it).
    static func steps(from first: Period, to last: Period) -> Int {
        var period = first
        var count = 0
        while period < last, count <= 100_000 {
            period = period.next
            count += 1
        }
        return count
    }

    private func projectAnnualChange(
        values: [Period: Double], from: Period, through latest: Period, to: Period, relative: Bool, sign: Double,
        into result: inout Evaluation
    ) {
        let points = values.filter { $0.key >= from && $0.key <= latest }.sorted { $0.key < $1.key }
        let logs = relative && points.allSatisfy { $0.value > 0 }
        guard let line = LeastSquaresLine(points.map { (x: $0.key.time, y: logs ? log($0.value) : $0.value) }) else { return }
        result.projectedValue = logs ? exp(line.value(at: to.time)) : line.value(at: to.time)
        guard let level = result.targetValue else { return }
        result.projectedGap = result.projectedValue! - level
        if sign * line.slope > 0, !(logs && level <= 0) {
            result.projectedPeriod = line.time(reaching: logs ? log(level) : level)
        }
    }
}
