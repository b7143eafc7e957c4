import Foundation
import Mustache
import PlanWatchCore

// The view models the templates read (by Mirror, field names = template tags). Every text is plain: the
// templates escape it. Every number is already formatted.

struct CountView {
    var state: String
    var label: String
    var count: Int
}

struct PlanView {
    var id: String
    var title: String
    var issued: String
    /// The plan document's address (`url:`), linked from the plan's heading.
    var url: String?
    var counts: [CountView]
    /// The target rows, written by `Markup`.
    var rows: String
}

struct IndexView {
    var lang: String
    var css: String
    var labels: LabelView
    var asOf: String
    /// The as-of date in words: `30 June 2025`.
    var asOfWords: String
    var dataChanged: TimeView?
    /// `35 targets: 3 on track, …; 16 with data overdue`.
    var summary: String
    var counts: [CountView]
    /// How many targets have their data overdue (the freshness badge's count), nil when none.
    var overdue: Int?
    var plans: [PlanView]
}

/// The labels as a flat record the templates can name (`{{labels.latest}}`).
struct LabelView {
    var reportTitle, asOf, dataChanged, target, state, latest, targetValue, pace, projected, region, indicator: String
    var kind, baseline, deadline, period, value, source, vintage, file, status, values, members, missing, back: String
    var notes, requiredPath, projection, today, year, referenceWord, dataOverdue: String
    var methodology, download, downloadIndex, planDocument, sources, issued: String

    init(_ labels: ReportLabels) {
        reportTitle = labels.reportTitle
        asOf = labels.asOf
        dataChanged = labels.dataChanged
        target = labels.target
        state = labels.state
        latest = labels.latest
        targetValue = labels.targetValue
        pace = labels.pace
        projected = labels.projected
        region = labels.region
        indicator = labels.indicator
        kind = labels.kind
        baseline = labels.baseline
        deadline = labels.deadline
        period = labels.period
        value = labels.value
        source = labels.source
        vintage = labels.vintage
        file = labels.file
        status = labels.status
        values = labels.values
        members = labels.members
        missing = labels.missing
        back = labels.back
        notes = labels.notes
        requiredPath = labels.requiredPath
        projection = labels.projection
        today = labels.today
        year = labels.year
        referenceWord = labels.referenceWord
        dataOverdue = labels.dataOverdue
        methodology = labels.methodology
        download = labels.download
        downloadIndex = labels.downloadIndex
        planDocument = labels.planDocument
        sources = labels.sources
        issued = labels.issued
    }
}

struct ChartView {
    var width: String
    var height: String
    var title: String
    var desc: String
    var left, right, top, bottom: String
    /// The grid lines and tick labels, the observed points and the legend, written by `Markup`.
    var ticks: String
    var marks: String
    var legend: String
    var series: String?
    var reference: String?
    var target: LineView?
    var required: String?
    var projection: String?
    var referenceProjection: String?
    var baselineX: String?
    var baselineY: String?
    var deadline: LineView
    var today: LineView
    var unit: String
    var deadlineLabel: String
    var todayLabel: String
    var todayLabelX: String
    /// The whole `<svg>`, written by `Markup` from the fields above.
    var svg: String
}

struct LineView {
    var x1, y1, x2, y2: String

    init(_ line: ChartLine) {
        x1 = coordinate(line.x1)
        y1 = coordinate(line.y1)
        x2 = coordinate(line.x2)
        y2 = coordinate(line.y2)
    }
}

struct MembersView {
    /// The header cells and the rows, written by `Markup`.
    var head: String
    var rows: String
    /// Who published the members' values: `Shanxi: National Bureau of Statistics of China; …`.
    var sources: String?
}

/// A stored time as `<time datetime>` takes it and in words.
struct TimeView {
    var time: String
    var words: String
}

/// One term of the methodology page.
struct MethodEntry {
    var id: String
    var term: String
    var text: String
}

struct MethodView {
    var lang: String
    var css: String
    var labels: LabelView
    var entries: [MethodEntry]
}

struct TargetView {
    var lang: String
    var css: String
    var labels: LabelView
    var id: String
    var title: String
    var planTitle: String
    var planURL: String?
    var state: String
    var stateLabel: String
    /// The freshness badge's text, when the data is overdue.
    var overdue: String?
    var message: String
    /// The facts (`<dt>`/`<dd>`) and the values table's rows, written by `Markup`.
    var facts: String
    var chart: ChartView
    var values: String
    var members: MembersView?
    /// The sources named on the page, each linked where it has an address, written by `Markup`.
    var sources: String
    var notes: String?
    var asOf: String
}

// Field lookups for the templates by name, without Mirror: swift-mustache reflects over a plain struct on every
// `{{tag}}` (a Mirror and a linear search of its children each time); `MustacheParent` answers with one switch.
// Each view lists exactly its stored properties.

extension CountView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "state": state
        case "label": label
        case "count": count
        default: nil
        }
    }
}

extension PlanView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "id": id
        case "title": title
        case "issued": issued
        case "url": url
        case "counts": counts
        case "rows": rows
        default: nil
        }
    }
}

extension IndexView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "lang": lang
        case "css": css
        case "labels": labels
        case "asOf": asOf
        case "asOfWords": asOfWords
        case "dataChanged": dataChanged
        case "summary": summary
        case "counts": counts
        case "overdue": overdue
        case "plans": plans
        default: nil
        }
    }
}

extension LabelView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "reportTitle": reportTitle
        case "asOf": asOf
        case "dataChanged": dataChanged
        case "target": target
        case "state": state
        case "latest": latest
        case "targetValue": targetValue
        case "pace": pace
        case "projected": projected
        case "region": region
        case "indicator": indicator
        case "kind": kind
        case "baseline": baseline
        case "deadline": deadline
        case "period": period
        case "value": value
        case "source": source
        case "vintage": vintage
        case "file": file
        case "status": status
        case "values": values
        case "members": members
        case "missing": missing
        case "back": back
        case "notes": notes
        case "requiredPath": requiredPath
        case "projection": projection
        case "today": today
        case "year": year
        case "referenceWord": referenceWord
        case "dataOverdue": dataOverdue
        case "methodology": methodology
        case "download": download
        case "downloadIndex": downloadIndex
        case "planDocument": planDocument
        case "sources": sources
        case "issued": issued
        default: nil
        }
    }
}

extension ChartView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "width": width
        case "height": height
        case "title": title
        case "desc": desc
        case "left": left
        case "right": right
        case "top": top
        case "bottom": bottom
        case "ticks": ticks
        case "marks": marks
        case "legend": legend
        case "series": series
        case "reference": reference
        case "target": target
        case "required": required
        case "projection": projection
        case "baselineX": baselineX
        case "baselineY": baselineY
        case "deadline": deadline
        case "today": today
        case "unit": unit
        case "deadlineLabel": deadlineLabel
        case "todayLabel": todayLabel
        case "todayLabelX": todayLabelX
        case "svg": svg
        default: nil
        }
    }
}

extension LineView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "x1": x1
        case "y1": y1
        case "x2": x2
        case "y2": y2
        default: nil
        }
    }
}

extension MembersView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "head": head
        case "rows": rows
        case "sources": sources
        default: nil
        }
    }
}

extension TargetView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "lang": lang
        case "css": css
        case "labels": labels
        case "id": id
        case "title": title
        case "planTitle": planTitle
        case "planURL": planURL
        case "state": state
        case "overdue": overdue
        case "stateLabel": stateLabel
        case "message": message
        case "facts": facts
        case "chart": chart
        case "values": values
        case "members": members
        case "sources": sources
        case "notes": notes
        case "asOf": asOf
        default: nil
        }
    }
}

extension TimeView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "time": time
        case "words": words
        default: nil
        }
    }
}

extension MethodEntry: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "id": id
        case "term": term
        case "text": text
        default: nil
        }
    }
}

extension MethodView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "lang": lang
        case "css": css
        case "labels": labels
        case "entries": entries
        default: nil
        }
    }
}
