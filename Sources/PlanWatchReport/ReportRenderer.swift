import Foundation
import Mustache
import PlanWatchCore

/// One file of the report: its path inside the report folder and its bytes as text.
public struct ReportPage: Sendable, Equatable {
    public var path: String
    public var html: String
}

/// Renders the report: the evaluations, series and catalogue in, HTML out. Pure: it reads no file, no clock and
/// no database; the I/O is `ReportWriter`'s (PlanWatchRuntime).
public struct ReportRenderer: Sendable {
    private let library: MustacheLibrary

    public init() {
        var library = MustacheLibrary()
        // The templates are constants of this module, so a parse error is a bug a test catches, not an input.
        try! library.register(ReportTemplates.index, named: "index")
        try! library.register(ReportTemplates.target, named: "target")
        self.library = library
    }

    /// `index.html` and `targets/ID.html` for every target, in plan order.
    public func render(_ input: ReportInput) -> [ReportPage] {
        let labels = ReportLabels(language: input.language)
        var pages = [ReportPage(path: "index.html", html: index(input, labels))]
        for target in input.targets {
            pages.append(ReportPage(path: "targets/\(target.target.id).html", html: page(target, input, labels)))
        }
        return pages
    }

    /// The overview: every plan with its targets as rows.
    func index(_ input: ReportInput, _ labels: ReportLabels? = nil) -> String {
        let labels = labels ?? ReportLabels(language: input.language)
        let byPlan = Dictionary(grouping: input.targets, by: \.plan.id)
        let plans = input.plans.compactMap { plan -> PlanView? in
            guard let targets = byPlan[plan.id], !targets.isEmpty else { return nil }
            return PlanView(
                id: plan.id, title: labels.planTitle(plan), issued: plan.issued.description,
                counts: counts(targets.map(\.evaluation.state), labels),
                rows: targets.map { row($0, input, labels) })
        }
        let view = IndexView(
            lang: input.language.rawValue, css: ReportTemplates.css, labels: LabelView(labels), asOf: input.asOf.description,
            dataChanged: input.dataChanged, counts: counts(input.targets.map(\.evaluation.state), labels), plans: plans)
        return library.render(view, withTemplate: "index") ?? ""
    }

    /// One target's page.
    func page(_ target: ReportTarget, _ input: ReportInput, _ labels: ReportLabels? = nil) -> String {
        let labels = labels ?? ReportLabels(language: input.language)
        let evaluation = target.evaluation
        let catalog = input.catalog
        let indicator = catalog.indicators[evaluation.indicator]
        let shown = evaluation.shown
        var facts = [
            FactView(label: labels.indicator, value: "\(labels.indicatorName(evaluation.indicator, catalog)) (\(indicator?.unit ?? ""))"),
            FactView(label: labels.region, value: "\(labels.regionName(evaluation.region, catalog)) (\(evaluation.region))"),
            FactView(label: labels.kind, value: evaluation.kind),
        ]
        if let period = evaluation.baselinePeriod {
            facts.append(FactView(label: labels.baseline, value: evaluation.baselineValue.map { "\(formatForPeople($0)) (\(period))" } ?? period))
        }
        facts += [
            FactView(label: labels.deadline, value: evaluation.deadline),
            FactView(label: labels.latest, value: shown.latest),
            FactView(label: labels.targetValue, value: target.referenceName.map { "\(labels.referenceWord): \($0)" } ?? shown.target),
            FactView(label: labels.pace, value: shown.pace),
            FactView(label: target.reference == nil ? labels.projected : labels.projectedGap, value: shown.projected),
        ]
        let view = TargetView(
            lang: input.language.rawValue, css: ReportTemplates.css, labels: LabelView(labels), id: evaluation.target,
            title: evaluation.title ?? evaluation.target, planTitle: labels.planTitle(target.plan), state: evaluation.state.rawValue,
            stateLabel: labels.stateName(evaluation.state), message: evaluation.message, facts: facts,
            chart: chart(target, input, labels), values: valueRows(target, labels), members: members(target, catalog, labels),
            notes: target.target.notes, asOf: input.asOf.description)
        return library.render(view, withTemplate: "target") ?? ""
    }

    private func counts(_ states: [TargetState], _ labels: ReportLabels) -> [CountView] {
        TargetState.allCases.compactMap { state in
            let count = states.filter { $0 == state }.count
            return count == 0 ? nil : CountView(state: state.rawValue, label: labels.stateName(state), count: count)
        }
    }

    private func row(_ target: ReportTarget, _ input: ReportInput, _ labels: ReportLabels) -> RowView {
        let evaluation = target.evaluation
        let shown = evaluation.shown
        return RowView(
            id: evaluation.target, href: "targets/\(evaluation.target).html", title: evaluation.title ?? "",
            state: evaluation.state.rawValue, stateLabel: labels.stateName(evaluation.state),
            region: labels.regionName(evaluation.region, input.catalog), latest: shown.latest,
            targetValue: target.referenceName ?? shown.target, pace: shown.pace, projected: shown.projected,
            sparkline: Sparkline(target.used.map { ($0.period, $0.value) }, target: target.reference == nil ? evaluation.targetValue : nil)
                .map { SparklineView(path: $0.path, lastX: coordinate($0.last.x), lastY: coordinate($0.last.y), targetY: $0.target.map(coordinate), label: sparkLabel(target)) },
            noData: labels.noData)
    }

    private func sparkLabel(_ target: ReportTarget) -> String {
        target.used.map { "\($0.period) \(formatForPeople($0.value))" }.joined(separator: ", ")
    }

    private func chart(_ target: ReportTarget, _ input: ReportInput, _ labels: ReportLabels) -> ChartView {
        let chart = TargetChart(target, asOf: input.asOf)
        let frame = chart.frame
        let evaluation = target.evaluation
        let unit = input.catalog.indicators[evaluation.indicator]?.unit ?? ""
        let points = chart.points.map { point in
            var cls = "pw-point"
            if point.shape != .circle { cls += " pw-marker-\(point.shape.rawValue)" }
            if point.secondary { cls += " pw-secondary" }
            if point.revised { cls += " pw-revised" }
            let value = formatForPeople(point.value)
            return PointView(
                circle: point.shape == .circle, x: coordinate(point.x), y: coordinate(point.y), d: point.markerPath, cls: cls,
                period: point.period.description, value: value, source: point.source,
                tip: "\(point.period): \(value) (\(point.source)\(point.revised ? ", " + labels.revised : ""))")
        }
        // The sources' markers in a row under the axis labels, each as wide as its label (about 6.5 units a
        // character at 12px).
        var legendX = frame.left
        let legendY = frame.height - 8
        let legend = chart.legend.map { entry in
            let x = legendX + 4
            let mark = ChartPoint(x: x, y: legendY - 4, shape: entry.shape, revised: false, secondary: false, period: Period(year: 2000), value: 0, source: "")
            legendX += 28 + Double(entry.label.count) * 6.5
            return LegendView(circle: entry.shape == .circle, d: mark.markerPath, label: entry.label, x: coordinate(x), y: coordinate(legendY - 4),
                              textX: coordinate(x + 10), textY: coordinate(legendY))
        }
        let deadline = target.target.kind.deadline
        return ChartView(
            width: coordinate(frame.width), height: coordinate(frame.height),
            title: "\(evaluation.target): \(labels.indicatorName(evaluation.indicator, input.catalog)), \(labels.regionName(evaluation.region, input.catalog)) — \(labels.stateName(evaluation.state))",
            desc: description(target, chart, input, labels),
            left: coordinate(frame.left), right: coordinate(frame.width - frame.right), top: coordinate(frame.top),
            bottom: coordinate(frame.height - frame.bottom), points: points, series: chart.series, reference: chart.reference,
            target: chart.target.map(LineView.init), required: chart.required, projection: chart.projection,
            baselineX: chart.baseline.map { coordinate($0.x) }, baselineY: chart.baseline.map { coordinate($0.y) },
            deadline: LineView(chart.deadline), today: LineView(chart.today), xTicks: chart.xTicks.map { TickView(at: coordinate($0.at), label: $0.label) },
            yTicks: chart.yTicks.map { TickView(at: coordinate($0.at), label: $0.label) }, unit: unit, legend: legend,
            deadlineLabel: "\(labels.deadline) \(deadline)", todayLabel: "\(labels.today) \(input.asOf)",
            todayLabelX: coordinate(chart.today.x1))
    }

    /// The chart's text alternative: the same numbers in words.
    func description(_ target: ReportTarget, _ chart: TargetChart, _ input: ReportInput, _ labels: ReportLabels) -> String {
        let evaluation = target.evaluation
        var parts: [String] = []
        let used = target.used
        if used.isEmpty {
            parts.append(labels.language == .zh ? "尚无数据。" : "No values yet.")
        } else {
            parts.append((labels.language == .zh ? "数据：" : "Values: ") + used.map { "\($0.period) \(formatForPeople($0.value))" }.joined(separator: ", ") + ".")
        }
        let others = target.values.filter { $0.status == .otherSource || $0.status == .revised }
        if !others.isEmpty {
            parts.append((labels.language == .zh ? "其他来源与修订前数值：" : "Other sources and revised values: ")
                + others.map { "\($0.period) \(formatForPeople($0.value)) (\($0.source), \(labels.statusName($0.status)))" }.joined(separator: ", ") + ".")
        }
        if let reference = target.reference, let name = target.referenceName {
            parts.append("\(labels.referenceWord) \(name): " + reference.sorted { $0.key < $1.key }.map { "\($0.key) \(formatForPeople($0.value))" }.joined(separator: ", ") + ".")
        } else if let value = evaluation.targetValue {
            parts.append("\(labels.targetValue): \(formatForPeople(value)) (\(evaluation.deadline)).")
        }
        if chart.required != nil, let period = evaluation.baselinePeriod, let value = evaluation.baselineValue {
            parts.append("\(labels.requiredPath): \(formatForPeople(value)) (\(period)) → \(evaluation.deadline).")
        }
        if let projected = evaluation.projectedValue {
            parts.append("\(labels.projected): \(formatForPeople(projected)) (\(evaluation.deadline)).")
        }
        parts.append("\(labels.today) \(input.asOf).")
        return parts.joined(separator: " ")
    }

    private func valueRows(_ target: ReportTarget, _ labels: ReportLabels) -> [ValueRowView] {
        target.values.sorted { ($0.period, $0.status == .used ? 0 : 1) < ($1.period, $1.status == .used ? 0 : 1) }.map { value in
            ValueRowView(
                period: value.period.description, value: formatForPeople(value.value), source: value.source, vintage: value.vintage,
                file: value.row.map { "\(value.file) row \($0)" } ?? value.file, status: labels.statusName(value.status), plotted: "1")
        }
    }

    private func members(_ target: ReportTarget, _ catalog: Catalog, _ labels: ReportLabels) -> MembersView? {
        guard !target.members.isEmpty else { return nil }
        let periods = Set(target.members.flatMap(\.values.keys)).sorted()
        return MembersView(
            regions: target.members.map { labels.regionName($0.region, catalog) },
            rows: periods.map { period in
                MemberRowView(period: period.description, cells: target.members.map { member in
                    member.values[period].map { MemberCellView(text: formatForPeople($0), missing: false) }
                        ?? MemberCellView(text: labels.missing, missing: true)
                })
            })
    }
}

/// A sparkline's geometry in a 120 × 28 box: the series as a line, its last point, the target level if it has one.
public struct Sparkline: Sendable, Equatable {
    public var path: String
    public var last: (x: Double, y: Double)
    public var target: Double?

    public static func == (a: Sparkline, b: Sparkline) -> Bool {
        a.path == b.path && a.last.x == b.last.x && a.last.y == b.last.y && a.target == b.target
    }

    /// Nil without any value.
    public init?(_ values: [(Period, Double)], target: Double?, width: Double = 120, height: Double = 28) {
        guard let lastValue = values.last else { return nil }
        let numbers = values.map(\.1) + (target.map { [$0] } ?? [])
        let low = numbers.min()!
        let high = numbers.max()!
        let times = values.map { axisTime($0.0) }
        let start = times.first!
        let end = max(times.last!, start + 1)
        let x = LinearScale(domain: start...end, from: 3, to: width - 3)
        let y = LinearScale(domain: low...high, from: height - 3, to: 3)
        path = values.enumerated().map { index, point in
            (index == 0 ? "M" : "L") + coordinate(x(axisTime(point.0))) + " " + coordinate(y(point.1))
        }.joined(separator: " ")
        last = (x(axisTime(lastValue.0)), y(lastValue.1))
        self.target = target.map { y($0) }
    }
}
