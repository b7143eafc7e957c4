import Foundation
import Mustache
import PlanWatchCore

/// One file of the report: its path inside the report folder and its bytes as text (an HTML page, or a CSV
/// download that starts with a byte-order mark).
public struct ReportPage: Sendable, Equatable {
    public var path: String
    public var html: String
}

/// Renders the report: the evaluations, series and catalogue in, HTML out. Pure: it reads no file, no clock and
/// no database; the I/O is `ReportWriter`'s (PlanWatchOutputs).
public struct ReportRenderer: Sendable {
    private let library: MustacheLibrary

    public init() {
        var library = MustacheLibrary()
        // The templates are constants of this module, so a parse error is a bug a test catches, not an input.
        try! library.register(ReportTemplates.index, named: "index")
        try! library.register(ReportTemplates.target, named: "target")
        try! library.register(ReportTemplates.method, named: "method")
        self.library = library
    }

    /// `index.html`, `targets/ID.html` for every target in plan order, `method.html`, then the downloads:
    /// `index.csv` and `targets/ID.csv`. Plans issued after the as-of date are left out: a report as of a past
    /// day shows what was planned by then.
    public func render(_ input: ReportInput) -> [ReportPage] {
        let input = input.issuedByAsOf
        let labels = ReportLabels(language: input.language)
        let count = input.targets.count
        var pages = [ReportPage](repeating: ReportPage(path: "", html: ""), count: count * 2 + 3)
        pages[0] = ReportPage(path: "index.html", html: index(input, labels))
        pages[count + 1] = ReportPage(path: "method.html", html: method(input, labels))
        pages[count + 2] = ReportPage(path: "index.csv", html: ReportCSV.index(input, labels))
        // Pages are independent: rendered on every core, each into its own slots.
        pages.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let slots = buffer
            DispatchQueue.concurrentPerform(iterations: count) { number in
                let target = input.targets[number]
                let id = target.target.id
                slots[number + 1] = ReportPage(path: "targets/\(id).html", html: page(target, input, labels))
                slots[count + 3 + number] = ReportPage(
                    path: "targets/\(id).csv", html: ReportCSV.target(target, labels))
            }
        }
        return pages
    }

    /// The methodology page: states, pace and its thresholds, projection, freshness, groups, vintages.
    func method(_ input: ReportInput, _ labels: ReportLabels) -> String {
        let view = MethodView(
            lang: input.language.rawValue, css: ReportTemplates.css, labels: LabelView(labels),
            entries: ReportMethod.entries(input.language))
        return library.render(view, withTemplate: "method") ?? ""
    }

    /// The overview: every plan with its targets as rows.
    func index(_ input: ReportInput, _ labels: ReportLabels? = nil) -> String {
        let labels = labels ?? ReportLabels(language: input.language)
        let byPlan = Dictionary(grouping: input.targets, by: \.plan.id)
        let plans = input.plans.compactMap { plan -> PlanView? in
            guard let targets = byPlan[plan.id], !targets.isEmpty else { return nil }
            return PlanView(
                id: plan.id, title: labels.planTitle(plan), issued: labels.dateInWords(plan.issued), url: plan.url,
                counts: counts(targets.map(\.evaluation.state), labels),
                rows: targets.map { row($0, input, labels) }.joined())
        }
        let view = IndexView(
            lang: input.language.rawValue, css: ReportTemplates.css, labels: LabelView(labels), asOf: input.asOf.description,
            asOfWords: labels.dateInWords(input.asOf),
            dataChanged: input.dataChanged.map { TimeView(time: $0, words: labels.timeInWords($0)) },
            summary: labels.summary(input.targets.map(\.evaluation)),
            counts: counts(input.targets.map(\.evaluation.state), labels),
            overdue: input.targets.filter(\.evaluation.stale).count.nonZero, plans: plans)
        return library.render(view, withTemplate: "index") ?? ""
    }

    /// One target's page.
    func page(_ target: ReportTarget, _ input: ReportInput, _ labels: ReportLabels? = nil) -> String {
        let labels = labels ?? ReportLabels(language: input.language)
        let evaluation = target.evaluation
        let catalog = input.catalog
        let indicator = catalog.indicators[evaluation.indicator]
        let shown = evaluation.shown
        var facts: [(String, String)] = [
            (labels.indicator, "\(labels.indicatorName(evaluation.indicator, catalog)) (\(indicator?.unit ?? ""))"),
            (labels.region, "\(labels.regionName(evaluation.region, catalog)) (\(evaluation.region))"),
            (labels.kind, labels.kindName(evaluation.kind)),
        ]
        if let period = evaluation.baselinePeriod {
            facts.append((labels.baseline, evaluation.baselineValue.map { "\(formatForPeople($0)) (\(period))" } ?? period))
        }
        facts += [
            (labels.deadline, evaluation.deadline),
            (labels.latest, shown.latest),
            (labels.targetValue, target.referenceName.map { "\(labels.referenceWord): \($0)" } ?? shown.target),
            (labels.pace, labels.paceText(evaluation.paceRatio)),
            (labels.projected, shown.projected),
        ]
        if let time = evaluation.timeElapsed, let distance = evaluation.distanceCovered {
            facts.append((labels.progress, labels.progressText(time: time, distance: distance)))
        }
        if let remaining = evaluation.remainingPace {
            let compound = TargetChart.compounds(target.target.kind) && target.reference == nil
            facts.append(
                (labels.remainingPace, compound ? signedForPeople(remaining * 100) + "%" : signedForPeople(remaining)))
        }
        var factsHTML = ""
        for (label, value) in facts {
            Markup.element("dt", [:], text: label, into: &factsHTML)
            Markup.element("dd", [:], text: value, into: &factsHTML)
        }
        let view = TargetView(
            lang: input.language.rawValue, css: ReportTemplates.css, labels: LabelView(labels), id: evaluation.target,
            title: evaluation.title ?? evaluation.target, planTitle: labels.planTitle(target.plan),
            planURL: target.plan.url,
            state: evaluation.state.rawValue,
            stateLabel: labels.stateName(evaluation.state), overdue: evaluation.overdue.map(labels.overdueSince),
            message: evaluation.message, facts: factsHTML,
            chart: chart(target, input, labels), values: valueRows(target, labels), members: members(target, catalog, labels),
            sources: sources(target, labels), notes: target.target.notes, asOf: input.asOf.description)
        return library.render(view, withTemplate: "target") ?? ""
    }

    private func counts(_ states: [TargetState], _ labels: ReportLabels) -> [CountView] {
        TargetState.allCases.compactMap { state in
            let count = states.filter { $0 == state }.count
            return count == 0 ? nil : CountView(state: state.rawValue, label: labels.stateName(state), count: count)
        }
    }

    /// One target's row of the index.
    private func row(_ target: ReportTarget, _ input: ReportInput, _ labels: ReportLabels) -> String {
        let evaluation = target.evaluation
        let shown = evaluation.shown
        let state = evaluation.state.rawValue
        var cells = ""
        var name = ""
        Markup.element(
            "a", ["class": "pw-id", "href": "targets/\(evaluation.target).html"], text: evaluation.target, into: &name)
        name += "<br>"
        Markup.element("span", ["class": "pw-title"], text: evaluation.title ?? "", into: &name)
        Markup.element("td", ["class": "pw-name"], inner: "<div>" + name + "</div>", into: &cells)
        var badge = ""
        Markup.element("span", ["class": "pw-badge pw-state-\(state)"], text: labels.stateName(evaluation.state), into: &badge)
        if let overdue = evaluation.overdue {
            badge += " "
            Markup.element(
                "span", ["class": "pw-badge pw-stale", "title": labels.overdueSince(overdue)], text: labels.dataOverdue,
                into: &badge)
        }
        Markup.element("td", ["data-label": labels.state], inner: badge, into: &cells)
        Markup.element(
            "td", ["data-label": labels.region], text: labels.regionName(evaluation.region, input.catalog), into: &cells
        )
        let numbers = [
            (labels.latest, shown.latest), (labels.targetValue, target.referenceName ?? shown.target),
            (labels.pace, shown.pace), (labels.projected, shown.projected),
        ]
        for (label, number) in numbers {
            Markup.element("td", ["class": "pw-num", "data-label": label], text: number, into: &cells)
        }
        var spark = ""
        if let line = Sparkline(target.used.map { ($0.period, $0.value) }, target: target.reference == nil ? evaluation.targetValue : nil) {
            var inner = ""
            if let y = line.target.map(coordinate) {
                Markup.element("line", ["class": "pw-spark-target", "x1": "0", "y1": y, "x2": "120", "y2": y], into: &inner)
            }
            Markup.element("path", ["class": "pw-spark-line", "d": line.path], into: &inner)
            Markup.element("circle", ["class": "pw-spark-last", "cx": coordinate(line.last.x), "cy": coordinate(line.last.y), "r": "2.5"], into: &inner)
            Markup.element("svg", [
                "class": "pw-sparkline", "role": "img", "aria-label": sparkLabel(target), "viewBox": "0 0 120 28", "width": "120", "height": "28",
            ], inner: inner, into: &spark)
        } else {
            Markup.element("span", ["class": "pw-nodata"], text: labels.noData, into: &spark)
        }
        Markup.element("td", ["data-label": labels.values], inner: spark, into: &cells)
        var row = ""
        Markup.element("tr", ["class": "pw-target-row", "data-target": evaluation.target, "data-state": state], inner: "\n" + cells + "\n", into: &row)
        return row + "\n"
    }

    private func sparkLabel(_ target: ReportTarget) -> String {
        target.used.map { "\($0.period) \(formatForPeople($0.value))" }.joined(separator: ", ")
    }

    private func chart(_ target: ReportTarget, _ input: ReportInput, _ labels: ReportLabels) -> ChartView {
        let chart = TargetChart(target, asOf: input.asOf)
        let frame = chart.frame
        let evaluation = target.evaluation
        let unit = input.catalog.indicators[evaluation.indicator]?.unit ?? ""
        let left = coordinate(frame.left)
        let right = coordinate(frame.width - frame.right)
        let bottom = coordinate(frame.height - frame.bottom)
        var ticks = ""
        for tick in chart.yTicks {
            let at = coordinate(tick.at)
            Markup.element("line", ["class": "pw-grid", "x1": left, "y1": at, "x2": right, "y2": at], into: &ticks)
            Markup.element("text", ["class": "pw-tick", "x": left, "y": at, "dx": "-6", "dy": "4", "text-anchor": "end"], text: tick.label, into: &ticks)
            ticks += "\n"
        }
        for tick in chart.xTicks {
            Markup.element("text", ["class": "pw-tick", "x": coordinate(tick.at), "y": bottom, "dy": "16", "text-anchor": "middle"], text: tick.label, into: &ticks)
            ticks += "\n"
        }
        var marks = ""
        for point in chart.points {
            var cls = "pw-point"
            if point.shape != .circle { cls += " pw-marker-\(point.shape.rawValue)" }
            if point.secondary { cls += " pw-secondary" }
            if point.revised { cls += " pw-revised" }
            let value = formatForPeople(point.value)
            let period = point.period.description
            var tip = ""
            Markup.element("title", [:], text: "\(period): \(value) (\(point.source)\(point.revised ? ", " + labels.revised : ""))", into: &tip)
            if point.shape == .circle {
                Markup.element("circle", [
                    "class": cls, "cx": coordinate(point.x), "cy": coordinate(point.y), "r": "4", "data-period": period, "data-value": value,
                    "data-source": point.source,
                ], inner: tip, into: &marks)
            } else {
                Markup.element("path", ["class": cls, "d": point.markerPath, "data-period": period, "data-value": value, "data-source": point.source], inner: tip, into: &marks)
            }
            marks += "\n"
        }
        // The sources' markers as a list under the chart, in the page's text: it wraps on a narrow screen and
        // no name is ever cut at the drawing's edge.
        var legend = ""
        for entry in chart.legend {
            let mark = ChartPoint(
                x: 6, y: 6, shape: entry.shape, revised: false, secondary: false, period: Period(year: 2000), value: 0,
                source: "")
            var drawn = ""
            if entry.shape == .circle {
                Markup.element("circle", ["class": "pw-legend-mark", "cx": "6", "cy": "6", "r": "4"], into: &drawn)
            } else {
                Markup.element("path", ["class": "pw-legend-mark", "d": mark.markerPath], into: &drawn)
            }
            var item = ""
            Markup.element(
                "svg", ["aria-hidden": "true", "viewBox": "0 0 12 12", "width": "12", "height": "12"], inner: drawn,
                into: &item)
            item += Markup.escape(entry.label)
            Markup.element("li", [:], inner: item, into: &legend)
        }
        let deadline = target.target.kind.deadline
        var view = ChartView(
            width: coordinate(frame.width), height: coordinate(frame.height),
            title: "\(evaluation.target): \(labels.indicatorName(evaluation.indicator, input.catalog)), \(labels.regionName(evaluation.region, input.catalog)) — \(labels.stateName(evaluation.state))",
            desc: description(target, chart, input, labels),
            left: left, right: right, top: coordinate(frame.top), bottom: bottom, ticks: ticks, marks: marks, legend: legend,
            series: chart.series, reference: chart.reference,
            target: chart.target.map(LineView.init), required: chart.required, projection: chart.projection,
            referenceProjection: chart.referenceProjection,
            baselineX: chart.baseline.map { coordinate($0.x) }, baselineY: chart.baseline.map { coordinate($0.y) },
            deadline: LineView(chart.deadline), today: LineView(chart.today), unit: unit,
            deadlineLabel: "\(labels.deadline) \(deadline)", todayLabel: "\(labels.today) \(input.asOf)",
            todayLabelX: coordinate(chart.today.x1), svg: "")
        view.svg = svg(view)
        return view
    }

    /// The chart's `<svg>` element, in drawing order: axes, target or reference, required path, projection,
    /// deadline and as-of lines, the series, the baseline ring, the observed points, the legend.
    private func svg(_ chart: ChartView) -> String {
        var out = ""
        var inner = "\n"
        Markup.element("title", ["id": "chart-title"], text: chart.title, into: &inner)
        inner += "\n"
        Markup.element("desc", ["id": "chart-desc"], text: chart.desc, into: &inner)
        inner += "\n"
        var axes = "\n" + chart.ticks
        Markup.element("line", ["class": "pw-axis", "x1": chart.left, "y1": chart.bottom, "x2": chart.right, "y2": chart.bottom], into: &axes)
        axes += "\n"
        Markup.element("line", ["class": "pw-axis", "x1": chart.left, "y1": chart.top, "x2": chart.left, "y2": chart.bottom], into: &axes)
        axes += "\n"
        Markup.element("text", ["class": "pw-axis-label", "x": "12", "y": chart.top, "transform": "rotate(-90 12 \(chart.top))", "text-anchor": "end"], text: chart.unit, into: &axes)
        axes += "\n"
        Markup.element("g", ["class": "pw-axes"], inner: axes, into: &inner)
        inner += "\n"
        if let line = chart.target {
            Markup.element("line", ["class": "pw-target", "x1": line.x1, "y1": line.y1, "x2": line.x2, "y2": line.y2], into: &inner)
            inner += "\n"
        }
        let lines = [
            ("pw-reference", chart.reference), ("pw-required", chart.required), ("pw-projection", chart.projection),
            ("pw-reference-projection", chart.referenceProjection),
        ]
        for (cls, d) in lines {
            guard let d else { continue }
            Markup.element("path", ["class": cls, "d": d], into: &inner)
            inner += "\n"
        }
        let deadline = chart.deadline
        Markup.element("line", ["class": "pw-deadline", "x1": deadline.x1, "y1": deadline.y1, "x2": deadline.x2, "y2": deadline.y2], into: &inner)
        inner += "\n"
        Markup.element("text", ["class": "pw-mark-label", "x": deadline.x1, "y": chart.top, "dx": "-4", "dy": "10", "text-anchor": "end"], text: chart.deadlineLabel, into: &inner)
        inner += "\n"
        let today = chart.today
        Markup.element("line", ["class": "pw-today", "x1": today.x1, "y1": today.y1, "x2": today.x2, "y2": today.y2], into: &inner)
        inner += "\n"
        Markup.element("text", ["class": "pw-mark-label", "x": chart.todayLabelX, "y": chart.bottom, "dx": "-4", "dy": "-6", "text-anchor": "end"], text: chart.todayLabel, into: &inner)
        inner += "\n"
        if let series = chart.series {
            Markup.element("path", ["class": "pw-series", "d": series], into: &inner)
            inner += "\n"
        }
        if let x = chart.baselineX, let y = chart.baselineY {
            Markup.element("circle", ["class": "pw-baseline", "cx": x, "cy": y, "r": "7"], into: &inner)
            inner += "\n"
        }
        Markup.element("g", ["class": "pw-observed"], inner: "\n" + chart.marks, into: &inner)
        inner += "\n"
        Markup.element("svg", [
            "class": "pw-chart", "role": "img", "aria-labelledby": "chart-title chart-desc", "viewBox": "0 0 \(chart.width) \(chart.height)",
            "width": chart.width, "height": chart.height,
        ], inner: inner, into: &out)
        return out
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

    private func valueRows(_ target: ReportTarget, _ labels: ReportLabels) -> String {
        var rows = ""
        for value in target.values.sorted(by: { ($0.period, $0.status == .used ? 0 : 1) < ($1.period, $1.status == .used ? 0 : 1) }) {
            var cells = ""
            Markup.element("td", [:], text: value.period.description, into: &cells)
            Markup.element("td", ["class": "pw-num"], text: formatForPeople(value.value), into: &cells)
            Markup.element("td", [:], text: value.source, into: &cells)
            Markup.element("td", [:], text: labels.vintageText(value.vintage), into: &cells)
            let file = value.row.map { "\(value.file) \(labels.rowWord) \($0)" } ?? value.file
            if let url = value.url {
                var link = ""
                Markup.element("a", ["href": url, "rel": "external"], text: file.isEmpty ? url : file, into: &link)
                Markup.element("td", [:], inner: link, into: &cells)
            } else {
                Markup.element("td", [:], text: file, into: &cells)
            }
            Markup.element("td", [:], text: labels.statusName(value.status), into: &cells)
            Markup.element("tr", ["data-plotted": "1"], inner: cells, into: &rows)
            rows += "\n"
        }
        return rows
    }

    private func members(_ target: ReportTarget, _ catalog: Catalog, _ labels: ReportLabels) -> MembersView? {
        guard !target.members.isEmpty else { return nil }
        var head = ""
        for member in target.members {
            Markup.element("th", ["scope": "col", "class": "pw-num"], text: labels.regionName(member.region, catalog), into: &head)
        }
        var rows = ""
        for period in Set(target.members.flatMap(\.values.keys)).sorted() {
            var cells = ""
            Markup.element("td", [:], text: period.description, into: &cells)
            for member in target.members {
                if let value = member.values[period] {
                    Markup.element("td", ["class": "pw-num"], text: formatForPeople(value), into: &cells)
                } else {
                    Markup.element("td", ["class": "pw-num pw-missing"], text: labels.missing, into: &cells)
                }
            }
            Markup.element("tr", [:], inner: cells, into: &rows)
            rows += "\n"
        }
        let named = target.members.filter { !$0.sources.isEmpty }.map {
            "\(labels.regionName($0.region, catalog)): \($0.sources.joined(separator: ", "))"
        }
        return MembersView(head: head, rows: rows, sources: named.isEmpty ? nil : named.joined(separator: "; "))
    }

    /// The sources list: every publisher named on the page (values, members, reference), linked where the
    /// catalogue gives an address, and the publications the values were read in.
    private func sources(_ target: ReportTarget, _ labels: ReportLabels) -> String {
        var names: [String] = []
        for name in target.values.map(\.source) + target.members.flatMap(\.sources) + target.referenceSources
        where !names.contains(name) {
            names.append(name)
        }
        var out = ""
        for name in names {
            var item = ""
            if let url = target.sourceURLs[name] {
                Markup.element("a", ["href": url, "rel": "external"], text: name, into: &item)
            } else {
                item = Markup.escape(name)
            }
            if target.referenceSources.contains(name), let reference = target.referenceName {
                item += Markup.escape(" (\(labels.referenceWord): \(reference))")
            }
            Markup.element("li", [:], inner: item, into: &out)
            out += "\n"
        }
        var publications: [String] = []
        for value in target.values where !value.file.isEmpty {
            guard let url = value.url, !publications.contains(value.file) else { continue }
            publications.append(value.file)
            var item = ""
            Markup.element("a", ["href": url, "rel": "external"], text: value.file, into: &item)
            Markup.element("li", [:], inner: item, into: &out)
            out += "\n"
        }
        if let url = target.plan.url {
            var item = ""
            Markup.element(
                "a", ["href": url, "rel": "external"], text: "\(labels.planDocument): \(labels.planTitle(target.plan))",
                into: &item)
            Markup.element("li", [:], inner: item, into: &out)
            out += "\n"
        }
        return out
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

extension Int {
    /// The number, or nil when it is 0 (a Mustache section shown only for a count).
    var nonZero: Int? { self == 0 ? nil : self }
}
