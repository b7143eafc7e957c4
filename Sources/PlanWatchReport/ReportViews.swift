import Foundation
import PlanWatchCore

// The view models the templates read (by Mirror, field names = template tags). Every text is plain: the
// templates escape it. Every number is already formatted.

struct CountView {
    var state: String
    var label: String
    var count: Int
}

struct SparklineView {
    var path: String
    var lastX: String
    var lastY: String
    var targetY: String?
    var label: String
}

struct RowView {
    var id: String
    var href: String
    var title: String
    var state: String
    var stateLabel: String
    var region: String
    var latest: String
    var targetValue: String
    var pace: String
    var projected: String
    var sparkline: SparklineView?
    var noData: String
}

struct PlanView {
    var id: String
    var title: String
    var issued: String
    var counts: [CountView]
    var rows: [RowView]
}

struct IndexView {
    var lang: String
    var css: String
    var labels: LabelView
    var asOf: String
    var dataChanged: String?
    var counts: [CountView]
    var plans: [PlanView]
}

/// The labels as a flat record the templates can name (`{{labels.latest}}`).
struct LabelView {
    var reportTitle, asOf, dataChanged, target, state, latest, targetValue, pace, projected, region, indicator: String
    var kind, baseline, deadline, period, value, source, vintage, file, status, values, members, missing, back: String
    var notes, requiredPath, projection, today, year, referenceWord: String

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
    }
}

struct PointView {
    var circle: Bool
    var x: String
    var y: String
    var d: String
    var cls: String
    var period: String
    var value: String
    var source: String
    var tip: String
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

struct TickView {
    var at: String
    var label: String
}

struct LegendView {
    var circle: Bool
    var d: String
    var label: String
    var x: String
    var y: String
    var textX: String
    var textY: String
}

struct ChartView {
    var width: String
    var height: String
    var title: String
    var desc: String
    var left, right, top, bottom: String
    var points: [PointView]
    var series: String?
    var reference: String?
    var target: LineView?
    var required: String?
    var projection: String?
    var baselineX: String?
    var baselineY: String?
    var deadline: LineView
    var today: LineView
    var xTicks: [TickView]
    var yTicks: [TickView]
    var unit: String
    var legend: [LegendView]
    var deadlineLabel: String
    var todayLabel: String
    var todayLabelX: String
}

struct FactView {
    var label: String
    var value: String
}

struct ValueRowView {
    var period: String
    var value: String
    var source: String
    var vintage: String
    var file: String
    var status: String
    var plotted: String
}

struct MemberCellView {
    var text: String
    var missing: Bool
}

struct MemberRowView {
    var period: String
    var cells: [MemberCellView]
}

struct MembersView {
    var regions: [String]
    var rows: [MemberRowView]
}

struct TargetView {
    var lang: String
    var css: String
    var labels: LabelView
    var id: String
    var title: String
    var planTitle: String
    var state: String
    var stateLabel: String
    var message: String
    var facts: [FactView]
    var chart: ChartView
    var values: [ValueRowView]
    var members: MembersView?
    var notes: String?
    var asOf: String
}
