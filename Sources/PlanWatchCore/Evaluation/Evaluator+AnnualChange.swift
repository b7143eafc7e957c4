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
        var changes: [(period: Period, change: Double, passed: Bool)] = []
        var periods: [Period] = []
        var period = from
        while period <= to, periods.count <= 10_000 {
            periods.append(period)
            if let value = values[period], let before = values[period.previous] {
                let delta: Double? = change == .absolute ? value - before : (before != 0 ? (value / before - 1) * 100 : nil)
                if let delta {
                    // s · (change − min_change) ≥ 0, the two compared relatively; an absolute change also carries
                    // the binary rounding error of the two values it came from, which is ignored (`isAtLeast`).
                    let operands = change == .absolute ? max(abs(value), abs(before)) : 0
                    changes.append((period, delta, isAtLeast(sign * delta, sign * minChange, operands: operands)))
                }
            }
            period = period.next
        }
        result.requiredPace = minChange
        result.changes = changes.map { PeriodChange(period: $0.period.description, change: $0.change, passed: $0.passed) }
        let base = from.previous
        let inWindow = values.filter { $0.key >= from && $0.key <= to }
        let latest = inWindow.max { $0.key < $1.key }
        result.latestPeriod = latest?.key.description
        result.latestValue = latest?.value
        result.missing = missingMembers(series.gaps, after: latest?.key, within: base...to)
        if let baseValue = values[base] {
            result.baselinePeriod = base.description
            result.baselineValue = baseValue
            let steps = Double(periods.count)
            result.targetValue = change == .absolute ? baseValue + minChange * steps : baseValue * pow(1 + minChange / 100, steps)
        }
        guard !changes.isEmpty, let latest else {
            result.state = .insufficientData
            result.message = (from == to
                ? "Not enough data: the change in \(from) needs both the \(from) and the \(base) figures"
                : "Not enough data: no period in \(from)–\(to) has both its value and the previous one")
                + missingText(result.missing) + "."
            return
        }
        let mean = changes.map(\.change).reduce(0, +) / Double(changes.count)
        result.actualPace = mean
        if minChange != 0 { result.paceRatio = mean / minChange }
        // A negative pace ratio means moving away in every state but achieved, stale and missed included (SPEC §5).
        result.movingAway = (result.paceRatio ?? 0) < 0
        defer { if result.state == .achieved { result.movingAway = false } }
        projectAnnualChange(values: values, from: base, through: latest.key, to: to, relative: change == .relative, sign: sign, into: &result)

        let unit = change == .absolute ? "" : "%"
        let list = changes.map { "\(formatForPeople($0.change))\(unit) in \($0.period)" }.joined(separator: ", ")
        let failed = changes.filter { !$0.passed }
        let summary = "\(changes.count == 1 ? "change" : "changes") \(list) against \(formatForPeople(minChange))\(unit) a period"
        let toObserved = values[to] != nil
        switch mode {
        case .everyPeriod:
            if toObserved {
                result.state = failed.isEmpty ? .achieved : .missed
            } else if staleOrNot(latest.key, into: &result) {
                return
            } else if changes.last?.passed == false {
                result.state = .offTrack
            } else {
                result.state = failed.isEmpty ? .onTrack : .atRisk
            }
            let failures = failed.isEmpty ? "" : "; \(failed.map { $0.period.description }.joined(separator: ", ")) fell short"
            result.message = "\(result.state.label): \(summary)\(failures)."
        case .average:
            if toObserved {
                // The changes' own operands: the window and the period before it.
                let operands = change == .absolute ? values.filter { $0.key >= base && $0.key <= to }.values.map(abs).max() ?? 0 : 0
                result.state = isAtLeast(sign * mean, sign * minChange, operands: operands) ? .achieved : .missed
            } else if staleOrNot(latest.key, into: &result) {
                return
            } else if let ratio = result.paceRatio {
                result.state = state(forRatio: ratio)
            } else {
                result.state = sign * mean >= 0 ? .onTrack : .offTrack
            }
            result.message = "\(result.state.label): average change \(formatForPeople(mean))\(unit) against \(formatForPeople(minChange))\(unit) needed (\(list))."
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
            } else if staleOrNot(latest.key, into: &result) {
                return
            } else {
                result.state = changes.last!.passed ? .onTrack : .atRisk
            }
            result.message = "\(result.state.label): \(summary); best run \(counted(best, "period")) in a row, \(count) needed."
        }
    }

    /// Sets `stale` when the latest figure is overdue; returns whether it did.
    private func staleOrNot(_ latest: Period, into result: inout Evaluation) -> Bool {
        guard let due = staleSince(latest, indicator: result.indicator) else { return false }
        result.state = .stale
        result.message = "Stale: the latest figure is for \(latest); the \(latest.next) figure was due by \(due)."
        return true
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
