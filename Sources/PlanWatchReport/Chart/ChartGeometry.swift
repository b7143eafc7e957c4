import Foundation
import PlanWatchCore

/// A linear map from data values (`domain`) to drawing coordinates (`range`); the range may run backwards, as the
/// y axis of an SVG does (larger values higher up, so smaller coordinates).
public struct LinearScale: Sendable, Equatable {
    public var domain: ClosedRange<Double>
    public var from: Double
    public var to: Double

    public init(domain: ClosedRange<Double>, from: Double, to: Double) {
        self.domain = domain
        self.from = from
        self.to = to
    }

    /// The coordinate of `value`, rounded to a tenth (what the SVG writes, and what tests compare).
    public func callAsFunction(_ value: Double) -> Double {
        let span = domain.upperBound - domain.lowerBound
        let fraction = span == 0 ? 0.5 : (value - domain.lowerBound) / span
        return tenth(from + fraction * (to - from))
    }
}

/// Rounds to one decimal place, the precision of every coordinate the report writes.
func tenth(_ value: Double) -> Double { (value * 10).rounded() / 10 }

/// Round tick values covering `low…high`: steps of 1, 2 or 5 times a power of ten, at most `count` + 1 of them,
/// from the last step at or below `low` to the first at or above `high`.
public func niceTicks(_ low: Double, _ high: Double, count: Int = 5) -> [Double] {
    guard low.isFinite, high.isFinite, count > 0 else { return [] }
    var (low, high) = (min(low, high), max(low, high))
    if low == high {
        let pad = low == 0 ? 1 : abs(low) * 0.05
        low -= pad
        high += pad
    }
    let raw = (high - low) / Double(count)
    let magnitude = pow10(Int(Foundation.log10(raw).rounded(.down)))
    let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw * (1 - 1e-9) } ?? 10 * magnitude
    let first = (low / step).rounded(.down)
    let last = (high / step).rounded(.up)
    // Multiply integer step counts (never accumulate) so 0.1 + 0.2 noise never shows in a label.
    return stride(from: first, through: last, by: 1).map { clean($0 * step, step: step) }
}

private func pow10(_ exponent: Int) -> Double {
    var result = 1.0
    if exponent >= 0 { for _ in 0..<exponent { result *= 10 } } else { for _ in 0..<(-exponent) { result /= 10 } }
    return result
}

/// `value` rounded to the decimals the step has (0.30000000000000004 → 0.3 for a step of 0.1).
private func clean(_ value: Double, step: Double) -> Double {
    var digits = 0
    var scaled = step
    while digits < 12, abs(scaled - scaled.rounded()) > 1e-9 * max(1, abs(scaled)) {
        scaled *= 10
        digits += 1
    }
    let factor = pow10(digits)
    return (value * factor).rounded() / factor
}

/// The drawing area of a chart: its size, margins for the axes, and the scales of its two axes.
public struct ChartFrame: Sendable, Equatable {
    public var width: Double
    public var height: Double
    public var left: Double
    public var right: Double
    public var top: Double
    public var bottom: Double
    public var x: LinearScale
    public var y: LinearScale
    public var yTicks: [Double]

    /// A frame whose y axis covers `values` (extended to round ticks) and whose x axis covers `times`.
    public init(
        width: Double, height: Double, left: Double = 64, right: Double = 24, top: Double = 16, bottom: Double = 56,
        times: ClosedRange<Double>, values: [Double]
    ) {
        self.width = width
        self.height = height
        self.left = left
        self.right = right
        self.top = top
        self.bottom = bottom
        let finite = values.filter(\.isFinite)
        yTicks = niceTicks(finite.min() ?? 0, finite.max() ?? 1)
        let yDomain = (yTicks.first ?? 0)...(yTicks.last ?? 1)
        x = LinearScale(domain: times, from: left, to: width - right)
        y = LinearScale(domain: yDomain, from: height - bottom, to: top)
    }

    /// An SVG path through points in data units: `M x y L x y …`, coordinates to a tenth.
    public func path(_ points: [(x: Double, y: Double)]) -> String {
        var parts: [String] = []
        for (index, point) in points.enumerated() {
            parts.append((index == 0 ? "M" : "L") + coordinate(x(point.x)) + " " + coordinate(y(point.y)))
        }
        return parts.joined(separator: " ")
    }
}

/// A coordinate as the SVG writes it: `12`, `12.5`, `-3.1`.
public func coordinate(_ value: Double) -> String {
    let rounded = tenth(value)
    if rounded == rounded.rounded() { return String(Int(rounded)) }
    return String(rounded)
}

/// Where a period sits on a time axis: its middle (2024 → 2024.5, 2024-Q3 → 2024.625), so that a year's value is
/// centred over its label, the deadline line can stand at the end of the deadline period, and the as-of date at
/// its own point in the year.
public func axisTime(_ period: Period) -> Double {
    period.time + 0.5 / Double(period.frequency.count)
}

/// The end of a period on the same axis (2025 → 2026.0).
public func axisEnd(_ period: Period) -> Double {
    period.time + 1 / Double(period.frequency.count)
}

/// A date on the time axis: the year plus the fraction of it that has passed (2025-07-02 → 2025.5).
public func axisTime(_ date: CalendarDate) -> Double {
    let start = CalendarDate(year: date.year, month: 1, day: 1).daysSinceEpoch
    let end = CalendarDate(year: date.year + 1, month: 1, day: 1).daysSinceEpoch
    return Double(date.year) + Double(date.daysSinceEpoch - start) / Double(end - start)
}
