import Foundation
import PlanWatchCore

/// A mark on a chart: one observed value.
public struct ChartPoint: Sendable, Equatable {
    public enum Shape: String, Sendable {
        case circle, square, triangle, diamond
    }

    public var x: Double
    public var y: Double
    public var shape: Shape
    /// Drawn hollow: a revised (superseded) value.
    public var revised: Bool
    /// A value evaluation does not use: another source's, or a revised one.
    public var secondary: Bool
    public var period: Period
    public var value: Double
    public var source: String

    /// The SVG path of a non-circle marker centred on the point.
    public var markerPath: String {
        let (x, y) = (self.x, self.y)
        switch shape {
        case .circle:
            return ""
        case .square:
            return "M\(coordinate(x - 3.5)) \(coordinate(y - 3.5)) h7 v7 h-7 Z"
        case .triangle:
            return "M\(coordinate(x)) \(coordinate(y - 4.5)) L\(coordinate(x + 4)) \(coordinate(y + 3)) L\(coordinate(x - 4)) \(coordinate(y + 3)) Z"
        case .diamond:
            return "M\(coordinate(x)) \(coordinate(y - 4.5)) L\(coordinate(x + 4.5)) \(coordinate(y)) L\(coordinate(x)) \(coordinate(y + 4.5)) L\(coordinate(x - 4.5)) \(coordinate(y)) Z"
        }
    }
}

/// A straight line segment in drawing coordinates.
public struct ChartLine: Sendable, Equatable {
    public var x1: Double
    public var y1: Double
    public var x2: Double
    public var y2: Double
}

/// A labelled tick on an axis, at a drawing coordinate.
public struct ChartTick: Sendable, Equatable {
    public var at: Double
    public var label: String
}

/// One entry of a chart's legend: a source and its marker.
public struct ChartLegendEntry: Sendable, Equatable {
    public var shape: ChartPoint.Shape
    public var label: String
}

/// The geometry of a target's chart, ready to draw: every coordinate computed, nothing left to the template.
public struct TargetChart: Sendable, Equatable {
    public var frame: ChartFrame
    public var points: [ChartPoint]
    /// The series evaluation uses, as a line through its values.
    public var series: String?
    /// The reference series, for a target relative to another region or group.
    public var reference: String?
    /// The target level, for a target with a level of its own.
    public var target: ChartLine?
    /// The required path from the baseline to the target at the deadline.
    public var required: String?
    /// The least-squares projection from the baseline to the deadline.
    public var projection: String?
    /// For a target relative to another series: that series' projection over the same periods, to the deadline.
    public var referenceProjection: String?
    public var baseline: (x: Double, y: Double)?
    public var deadline: ChartLine
    public var today: ChartLine
    public var xTicks: [ChartTick]
    public var yTicks: [ChartTick]
    public var legend: [ChartLegendEntry]

    public static func == (a: TargetChart, b: TargetChart) -> Bool {
        a.frame == b.frame && a.points == b.points && a.series == b.series && a.reference == b.reference && a.target == b.target
            && a.required == b.required && a.projection == b.projection
            && a.referenceProjection == b.referenceProjection
            && a.baseline?.x == b.baseline?.x
            && a.baseline?.y == b.baseline?.y && a.deadline == b.deadline && a.today == b.today && a.xTicks == b.xTicks
            && a.yTicks == b.yTicks && a.legend == b.legend
    }

    /// Lays out the chart of `target` as of `asOf` in a `width` × `height` drawing.
    public init(_ target: ReportTarget, asOf: CalendarDate, width: Double = 720, height: Double = 360) {
        let evaluation = target.evaluation
        let deadline = target.target.kind.deadline
        let baseline = evaluation.baselinePeriod.flatMap { Period(parsing: $0) }
        let used = target.used
        let plotted = target.values

        // What the path toward the target is: its start, end and whether it compounds.
        let compound = TargetChart.compounds(target.target.kind)
        var requiredPoints: [(x: Double, y: Double)] = []
        var targetLevel: Double?
        if target.reference == nil {
            targetLevel = evaluation.targetValue
            if let baseline, let start = evaluation.baselineValue, let end = evaluation.targetValue {
                requiredPoints = TargetChart.path(from: (axisTime(baseline), start), to: (axisTime(deadline), end), compound: compound && start > 0 && end > 0)
            }
        } else if let reference = target.reference, let baseline, let own = evaluation.baselineValue, let other = reference[baseline] {
            // Closing the gap linearly: reference(t) + gap(b)·(1 − (t − b)/(d − b)); after the reference's last
            // value it is held at that value.
            let gap = own - other
            let span = axisTime(deadline) - axisTime(baseline)
            var last = other
            var period = baseline
            while period <= deadline {
                if let value = reference[period] { last = value }
                let fraction = span == 0 ? 1 : (axisTime(period) - axisTime(baseline)) / span
                requiredPoints.append((axisTime(period), last + gap * (1 - fraction)))
                period = period.next
            }
        }

        // The least-squares line through the used values from the baseline on, to the deadline.
        var projectionPoints: [(x: Double, y: Double)] = []
        let window = used.filter { baseline == nil || $0.period >= baseline! }
        let logs = compound && target.reference == nil && window.allSatisfy { $0.value > 0 }
        if window.count >= 2, let line = LeastSquaresLine(window.map { (x: $0.period.time, y: logs ? log($0.value) : $0.value) }) {
            let first = window[0].period
            let value = { (p: Period) in logs ? exp(line.value(at: p.time)) : line.value(at: p.time) }
            projectionPoints = [(axisTime(first), value(first)), (axisTime(deadline), value(deadline))]
        }
        var referencePoints: [(x: Double, y: Double)] = []
        if let reference = target.reference {
            let same = window.compactMap { value in reference[value.period].map { (period: value.period, value: $0) } }
            if same.count >= 2, let line = LeastSquaresLine(same.map { (x: $0.period.time, y: $0.value) }) {
                let first = same[0].period
                referencePoints = [
                    (axisTime(first), line.value(at: first.time)), (axisTime(deadline), line.value(at: deadline.time)),
                ]
            }
        }

        // The axes: time from the first value (or baseline) to the end of the deadline period or the as-of date.
        var starts = plotted.map { axisTime($0.period) - 0.5 / Double($0.period.frequency.count) }
        if let baseline { starts.append(baseline.time) }
        let firstTime = (starts.min() ?? deadline.time).rounded(.down)
        let lastTime = max(axisEnd(deadline), axisTime(asOf), (plotted.map { axisEnd($0.period) }.max() ?? 0)).rounded(.up)
        var values =
            plotted.map(\.value) + requiredPoints.map(\.y) + projectionPoints.map(\.y) + referencePoints.map(\.y)
        if let targetLevel { values.append(targetLevel) }
        if let reference = target.reference { values += reference.values }
        frame = ChartFrame(width: width, height: height, times: firstTime...lastTime, values: values)
        let frame = self.frame

        // Sources, in the order of the values table: the used one first, each its own marker.
        var shapes: [String: ChartPoint.Shape] = [:]
        let order: [ChartPoint.Shape] = [.circle, .square, .triangle, .diamond]
        legend = []
        for value in plotted.sorted(by: { ($0.status == .used || $0.status == .computed ? 0 : 1, $0.period) < ($1.status == .used || $1.status == .computed ? 0 : 1, $1.period) })
        where shapes[value.source] == nil {
            let shape = order[shapes.count % order.count]
            shapes[value.source] = shape
            legend.append(ChartLegendEntry(shape: shape, label: value.source))
        }
        points = plotted.map { value in
            ChartPoint(
                x: frame.x(axisTime(value.period)), y: frame.y(value.value), shape: shapes[value.source] ?? .circle,
                revised: value.status == .revised, secondary: value.status == .revised || value.status == .otherSource,
                period: value.period, value: value.value, source: value.source)
        }
        series = used.count >= 2 ? frame.path(used.map { (axisTime($0.period), $0.value) }) : nil
        if let reference = target.reference, !reference.isEmpty {
            self.reference = frame.path(reference.sorted { $0.key < $1.key }.map { (axisTime($0.key), $0.value) })
        } else {
            self.reference = nil
        }
        if let targetLevel {
            self.target = ChartLine(x1: frame.left, y1: frame.y(targetLevel), x2: frame.width - frame.right, y2: frame.y(targetLevel))
        } else {
            self.target = nil
        }
        required = requiredPoints.count >= 2 ? frame.path(requiredPoints) : nil
        projection = projectionPoints.count >= 2 ? frame.path(projectionPoints) : nil
        referenceProjection = referencePoints.count >= 2 ? frame.path(referencePoints) : nil
        if let baseline, let value = evaluation.baselineValue {
            self.baseline = (frame.x(axisTime(baseline)), frame.y(value))
        } else {
            self.baseline = nil
        }
        let bottom = frame.height - frame.bottom
        let deadlineX = frame.x(axisEnd(deadline))
        self.deadline = ChartLine(x1: deadlineX, y1: frame.top, x2: deadlineX, y2: bottom)
        let todayX = frame.x(min(max(axisTime(asOf), frame.x.domain.lowerBound), frame.x.domain.upperBound))
        today = ChartLine(x1: todayX, y1: frame.top, x2: todayX, y2: bottom)
        yTicks = frame.yTicks.map { ChartTick(at: frame.y($0), label: formatForPeople($0)) }
        // A label under every year, or every second or fifth one on a long axis.
        let years = Int(firstTime)..<Int(lastTime)
        let every = years.count <= 12 ? 1 : years.count <= 24 ? 2 : 5
        xTicks = years.filter { ($0 - years.lowerBound) % every == 0 }.map { ChartTick(at: frame.x(Double($0) + 0.5), label: String($0)) }
    }

    /// Whether the required path of a target kind compounds (a constant rate) rather than adds.
    static func compounds(_ kind: TargetKind) -> Bool {
        switch kind {
        case .level(_, _, _, _, let pace): pace == .compound
        case .cumulativeChange, .growth: true
        case .annualChange(let change, _, _, _, _): change == .relative
        case .milestone: false
        }
    }

    /// Points along the path from `start` to `end`: a straight line, or a constant-rate curve sampled ten times
    /// a year.
    static func path(from start: (x: Double, y: Double), to end: (x: Double, y: Double), compound: Bool) -> [(x: Double, y: Double)] {
        guard compound, end.x > start.x else { return [start, end] }
        let steps = max(2, Int(((end.x - start.x) * 10).rounded()))
        return (0...steps).map { step in
            let fraction = Double(step) / Double(steps)
            return (start.x + (end.x - start.x) * fraction, start.y * pow(end.y / start.y, fraction))
        }
    }
}
