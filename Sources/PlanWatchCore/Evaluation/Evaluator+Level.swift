import Foundation

/// A `level`-like target reduced to its essentials: a series moving toward a target level (SPEC §5). Constant
/// levels, gaps to a reference (target 0), cumulative changes and milestones all become one of these.
struct LevelProblem {
    var values: [Period: Double]
    /// +1 when higher is better.
    var sign: Double
    var strict: Bool
    var pace: Pace
    var baseline: Period
    var deadline: Period
    /// Milestones: the baseline value is 0 when none is reported.
    var implicitZeroBaseline: Bool
    /// The target level, given the baseline value (cumulative changes depend on it).
    var target: (Double?) -> Double?
    /// For a gap to a reference: the two figures behind each gap, (v(p), r(p)). "Met" compares those, so that the
    /// relative tolerance is relative to them and not to the gap (which is near 0 exactly when it matters).
    var compared: [Period: (own: Double, other: Double)] = [:]

    /// `s · (v − T) ≥ 0` (`> 0` when strict), up to rounding error (`isAtLeast`); for a gap, `s · (v − r) ≥ 0`.
    func met(at period: Period, _ value: Double, _ level: Double) -> Bool {
        let (a, b) = compared[period] ?? (value, level)
        return strict ? isAbove(sign * a, sign * b) : isAtLeast(sign * a, sign * b)
    }
}

extension Evaluator {
    func evaluateLevel(
        _ problem: LevelProblem, into result: inout Evaluation, compare: String, gaps: [Period: [MissingValue]],
        reference: (own: [Period: Double], other: [Period: Double], name: String)? = nil
    ) {
        let b = problem.baseline
        let d = problem.deadline
        var points = problem.values.filter { $0.key >= b && $0.key <= d }.sorted { $0.key < $1.key }.map { (period: $0.key, value: $0.value) }
        let observed = points.count
        guard let latest = points.last else {
            result.state = .insufficientData
            result.missing = missingMembers(gaps, after: nil, within: b...d)
            if problem.implicitZeroBaseline {
                // A milestone: v(b) = 0 is implied only once some completion has been reported (SPEC §5).
                result.message = "Not enough data: no completion reported \(betweenText(b, d))" + missingText(result.missing)
                    + "; report the percentage complete as a CSV row `indicator,region,period,value`, e.g. `"
                    + "\(result.indicator),\(result.region),\(examplePeriod(from: b, to: d)),40`."
            } else {
                result.message = "Not enough data: no observation \(betweenText(b, d))" + missingText(result.missing) + "."
            }
            return
        }
        var baseline: (period: Period, value: Double)?
        if let value = problem.values[b] {
            baseline = (b, value)
        } else if problem.implicitZeroBaseline {
            baseline = (b, 0)
            points.insert((b, 0), at: 0)
        } else if points.count >= 2 {
            baseline = points[0]
        }
        let t = latest.period
        let vt = latest.value
        let level = problem.target(baseline?.value)
        result.latestPeriod = t.description
        result.latestValue = reference?.own[t] ?? vt
        result.baselinePeriod = baseline?.period.description
        result.baselineValue = baseline.map { reference?.own[$0.period] ?? $0.value }
        result.targetValue = reference.map { $0.other[t] } ?? level
        result.missing = missingMembers(gaps, after: t, within: b...d)

        // Paces: linear by default, compound when asked and every value involved is positive.
        var compound = false
        if let level {
            compound = problem.pace == .compound && vt > 0 && level > 0 && (baseline?.value ?? 1) > 0
            if t < d {
                // The pace still needed from t to reach the target at D (for a reference: on the gap).
                result.remainingPace =
                    compound ? pow(level / vt, 1 / (d.time - t.time)) - 1 : (level - vt) / (d.time - t.time)
            }
        }
        if let baseline, let level {
            let vb = baseline.value
            let span = d.time - baseline.period.time
            if span > 0 { result.timeElapsed = (t.time - baseline.period.time) / span }
            if level != vb { result.distanceCovered = (vt - vb) / (level - vb) }
        }
        if let baseline, let level, baseline.period < t {
            let vb = baseline.value
            let span = d.time - baseline.period.time
            let elapsed = t.time - baseline.period.time
            if compound {
                result.requiredPace = pow(level / vb, 1 / span) - 1
                result.actualPace = pow(vt / vb, 1 / elapsed) - 1
            } else {
                result.requiredPace = (level - vb) / span
                result.actualPace = (vt - vb) / elapsed
            }
            if let required = result.requiredPace, let actual = result.actualPace, required != 0 {
                result.paceRatio = actual / required
            }
        }
        // Projection: least squares through the points in [b, t], on logarithms for compound pace. For a reference,
        // the line through the gaps gives the projected gap and when it closes; the lines through the target's own
        // values and the reference's over the same periods give the two projected levels.
        let useLogs = compound && points.allSatisfy { $0.value > 0 }
        if let line = LeastSquaresLine(points.map { (x: $0.period.time, y: useLogs ? log($0.value) : $0.value) }) {
            let atDeadline = useLogs ? exp(line.value(at: d.time)) : line.value(at: d.time)
            if let level { result.projectedGap = atDeadline - level }
            if let level, problem.sign * line.slope > 0, !(useLogs && level <= 0) {
                result.projectedPeriod = line.time(reaching: useLogs ? log(level) : level)
            }
            if let reference {
                let own = LeastSquaresLine(
                    points.compactMap { point in reference.own[point.period].map { (x: point.period.time, y: $0) } })
                let other = LeastSquaresLine(
                    points.compactMap { point in reference.other[point.period].map { (x: point.period.time, y: $0) } })
                result.projectedValue = own?.value(at: d.time)
                result.projectedReference = other?.value(at: d.time)
            } else {
                result.projectedValue = atDeadline
            }
        }
        let symbol = ["<=": "≤", ">=": "≥"][compare] ?? compare
        let target = level.map { "the target \(symbol) \(formatForPeople($0))" } ?? "the target"
        let describe = reference.map { "\(formatForPeople(result.latestValue ?? vt)) against \(formatForPeople(result.targetValue ?? 0)) for \($0.name)" }
        func shown(_ period: Period, _ value: Double) -> String {
            if let reference, let own = reference.own[period], let other = reference.other[period] {
                return "\(formatForPeople(own)) in \(period) against \(formatForPeople(other)) for \(reference.name)"
            }
            return "\(formatForPeople(value)) in \(period)"
        }

        if let atDeadline = problem.values[d], let level {
            result.state = problem.met(at: d, atDeadline, level) ? .achieved : .missed
            result.message = (result.state == .achieved ? "Achieved: " : "Missed: ") + shown(d, atDeadline)
                + (reference == nil ? (result.state == .achieved ? " meets " : " falls short of ") + target : "") + "."
        } else if let level, problem.met(at: t, vt, level) {
            result.state = .met
            result.message = "Met ahead of the \(d) deadline: " + (describe ?? "\(shown(t, vt)) meets \(target)") + "."
        } else if observed + (problem.implicitZeroBaseline && problem.values[b] == nil ? 1 : 0) < 2 || baseline == nil || level == nil {
            result.state = .insufficientData
            result.message = "Not enough data: only \(shown(t, vt)) \(betweenText(b, d)); two observations are needed"
                + missingText(result.missing) + "."
        } else if let required = result.requiredPace, problem.sign * required <= 0 {
            result.state = .offTrack
            result.movingAway = true
            result.message = "Off track and moving away: the baseline \(shown(baseline!.period, baseline!.value)) met \(target), but \(shown(t, vt)) does not."
        } else if let ratio = result.paceRatio {
            result.state = state(forRatio: ratio)
            let unit = compound ? "% a year" : " a year"
            let scale = compound ? 100.0 : 1.0
            var text = "\(result.state.label): \(shown(t, vt)); "
            if let reference, let base = baseline {
                let before = abs(base.value)
                let now = abs(vt)
                let moved = now < before ? "narrowed" : now > before ? "widened" : "stayed"
                text +=
                    "the gap to \(reference.name) \(moved) from \(formatForPeople(before)) to \(formatForPeople(now)) "
                    + "(\(percentForPeople(ratio)) of the pace needed to close it by \(d))"
            } else {
                text += "pace \(formatForPeople(result.actualPace! * scale))\(unit) against "
                    + "\(formatForPeople(result.requiredPace! * scale))\(unit) needed to reach \(target) by \(d) (\(percentForPeople(ratio)))"
            }
            text += projectionText(result, deadline: d, reference: reference?.name)
            text += disagreement(
                result, sign: problem.sign, target: reference.map { "\($0.name)" } ?? target,
                level: reference == nil ? level : result.projectedReference)
            result.message = text + ". " + progressText(result, unit: unit, scale: scale, gapTo: reference?.name)
        } else {
            result.state = .insufficientData
            result.message = "Not enough data to measure the pace \(betweenText(b, t))."
        }
        // A negative pace ratio means moving away in every state but met and achieved, missed included (SPEC §5);
        // the baseline-already-met rule above sets it too.
        if result.state != .met, result.state != .achieved, let ratio = result.paceRatio, ratio < 0 {
            result.movingAway = true
        }
    }

    /// `; projected 2.42 in 2025`, or for a reference `; projected 2.42 against 2.81 in 2025`.
    func projectionText(_ result: Evaluation, deadline: Period, reference: String?) -> String {
        guard let projected = result.projectedValue else { return "" }
        let against = reference == nil ? "" : result.projectedReference.map { " against \(formatForPeople($0))" } ?? ""
        return "; projected \(formatForPeople(projected))\(against) in \(deadline)"
    }

    /// When the pace and the trend line disagree (on track by pace while the line misses the target at the
    /// deadline, or the reverse), a clause that says so with both numbers; else nothing. The line meets the target
    /// when its value at the deadline does (`projected_value` against the target, or against `projected_reference`
    /// for a relative target), compared as published figures are (`isAtLeast`).
    func disagreement(_ result: Evaluation, sign: Double, target: String, level: Double?) -> String {
        guard let ratio = result.paceRatio, let projected = result.projectedValue, let level,
              [.onTrack, .atRisk, .offTrack].contains(result.state) else { return "" }
        let lineMeets = isAtLeast(sign * projected, sign * level)
        let byPace = "\(result.state.label.lowercased()) by pace (\(percentForPeople(ratio)))"
        if result.state == .onTrack, !lineMeets {
            return "; the two disagree: \(byPace), but the trend line projects \(formatForPeople(projected)) in "
                + "\(result.deadline), short of \(target)"
        }
        if result.state != .onTrack, lineMeets {
            return "; the two disagree: \(byPace), but the trend line projects \(formatForPeople(projected)) in "
                + "\(result.deadline), which reaches \(target)"
        }
        return ""
    }

    /// "60% of the time, 13% of the distance; needs +0.2 a year from now, against +0.02 a year so far." — the
    /// mid-term review's comparison of time and task.
    func progressText(_ result: Evaluation, unit: String, scale: Double, gapTo reference: String?) -> String {
        var parts: [String] = []
        if let time = result.timeElapsed, let distance = result.distanceCovered {
            parts.append("\(percentForPeople(time)) of the time, \(percentForPeople(distance)) of the distance")
        }
        if let remaining = result.remainingPace {
            let sofar = result.actualPace.map { ", against \(signedForPeople($0 * scale))\(unit) so far" } ?? ""
            let on = reference.map { " on the gap to \($0)" } ?? ""
            parts.append("needs \(signedForPeople(remaining * scale))\(unit)\(on) from now\(sofar)")
        }
        return parts.isEmpty ? "" : sentence(parts.joined(separator: "; "))
    }

    /// A period for the example row of a "report it" message: the latest in `[first, last]` that has ended by the
    /// as-of date (else `first`).
    func examplePeriod(from first: Period, to last: Period) -> Period {
        var period = last
        var steps = 0
        while period > first, period.lastDay > asOf, steps < 10_000 {
            period = period.previous
            steps += 1
        }
        return period
    }

    func missingText(_ missing: MissingValues?) -> String {
        guard let missing, !missing.values.isEmpty else { return "" }
        return "; a group value cannot be computed: " + missing.sentence
    }
}

extension TargetState {
    /// The state as a sentence opener.
    var label: String {
        switch self {
        case .achieved: "Achieved"
        case .met: "Met"
        case .onTrack: "On track"
        case .atRisk: "At risk"
        case .offTrack: "Off track"
        case .missed: "Missed"
        case .insufficientData: "Not enough data"
        case .stale: "Stale"
        }
    }
}

/// A number rounded for a sentence: thousands grouped and no decimals from 1,000 up, at most two decimals down to
/// 0.1, and two significant digits below that.
public func formatForPeople(_ value: Double) -> String {
    guard value.isFinite else { return String(value) }
    if abs(value) >= 1000 {
        let rounded = Int64(snapped(value).rounded())
        let digits = String(abs(rounded))
        var grouped = ""
        for (index, character) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { grouped.append(",") }
            grouped.append(character)
        }
        return (rounded < 0 ? "-" : "") + grouped
    }
    var text: String
    if value != 0, abs(value) < 0.1 {
        // Small numbers keep two significant digits, so 0.001 is not printed as "0".
        let decimals = min(12, Int(-(log10(abs(value))).rounded(.down)) + 2)
        text = String(format: "%.\(decimals)f", value)
    } else {
        // Whole cents in integers (what "%.2f" of the value rounded to cents prints, without the C formatter,
        // which the report calls a million times).
        let cents = Int64(snapped(value * 100).rounded())
        let whole = abs(cents) / 100
        let fraction = abs(cents) % 100
        text = (cents < 0 ? "-" : "") + String(whole) + "." + (fraction < 10 ? "0" : "") + String(fraction)
    }
    while text.hasSuffix("0") { text.removeLast() }
    if text.hasSuffix(".") { text.removeLast() }
    return text == "-0" ? "0" : text
}

/// A ratio as a percentage for people, `86%`: the one rounding of every output (the status table, the report,
/// messages, the alert log), so 0.865 read back from JSON and 0.8649999999999999 computed print the same. The
/// binary noise below a billionth is dropped before rounding half away from zero.
public func percentForPeople(_ ratio: Double) -> String {
    guard ratio.isFinite else { return "—" }
    return "\(Int(snapped(ratio * 100).rounded()))%"
}

/// A number with its sign, `+0.2`, `-1.5`, `0`.
public func signedForPeople(_ value: Double) -> String {
    let text = formatForPeople(value)
    return text.hasPrefix("-") || text == "0" ? text : "+" + text
}

/// `value` without the binary noise of the last digits (below a billionth of a unit for figures under a million),
/// so a value computed in memory and the same value read back from 12-digit JSON round alike.
func snapped(_ value: Double) -> Double {
    abs(value) < 1e6 ? (value * 1e9).rounded() / 1e9 : value
}
