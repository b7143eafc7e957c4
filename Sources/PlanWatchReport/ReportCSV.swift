import PlanWatchCore

/// The report's downloads: each target's values and the index's status table as CSV, UTF-8 with a byte-order
/// mark (Excel on Chinese Windows reads a file without one as GBK and garbles every Chinese name), CRLF line
/// ends, fields quoted when they hold a comma, a quote or a line break (RFC 4180). Numbers are written plainly
/// (`16961.6`, no thousands separator) so a spreadsheet reads them as numbers.
enum ReportCSV {
    static let byteOrderMark = "\u{FEFF}"

    /// `targets/ID.csv`: period, value, source, vintage, file, row and use, in the order of the values table.
    static func target(_ target: ReportTarget, _ labels: ReportLabels) -> String {
        var lines = [[
            labels.period, labels.value, labels.source, labels.vintage, labels.file, labels.rowWord, labels.status,
        ]]
        for value in ReportCSV.ordered(target.values) {
            lines.append([
                value.period.description, formatJSONNumber(value.value), value.source,
                labels.vintageText(value.vintage),
                value.file, value.row.map(String.init) ?? "", labels.statusName(value.status),
            ])
        }
        return document(lines)
    }

    /// `index.csv`: one row a target, with the index's columns and the numbers behind them.
    static func index(_ input: ReportInput, _ labels: ReportLabels) -> String {
        var lines = [[
            labels.planWord, labels.target, labels.titleWord, labels.state, labels.dataOverdue, labels.region,
            labels.indicator, labels.latestPeriod, labels.latest, labels.targetValue, labels.deadline, labels.pace,
            labels.projected,
        ]]
        for target in input.targets {
            let evaluation = target.evaluation
            lines.append([
                target.plan.id, evaluation.target, evaluation.title ?? "", labels.stateName(evaluation.state),
                evaluation.overdue.map { $0.since.description } ?? "",
                labels.regionName(evaluation.region, input.catalog),
                labels.indicatorName(evaluation.indicator, input.catalog),
                evaluation.latestPeriod ?? "", evaluation.latestValue.map(formatJSONNumber) ?? "",
                target.referenceName ?? evaluation.targetValue.map(formatJSONNumber) ?? "", evaluation.deadline,
                evaluation.paceRatio.map(percentForPeople) ?? "", evaluation.projectedValue.map(formatJSONNumber) ?? "",
            ])
        }
        return document(lines)
    }

    /// The values in the table's order: by period, the used value first.
    static func ordered(_ values: [ReportValue]) -> [ReportValue] {
        values.sorted { ($0.period, $0.status == .used ? 0 : 1) < ($1.period, $1.status == .used ? 0 : 1) }
    }

    static func document(_ lines: [[String]]) -> String {
        byteOrderMark + lines.map { $0.map(field).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    /// A field, quoted when it holds a comma, a quote or a line break, or starts with a sign a spreadsheet would
    /// take for a formula (`=`, `@`): such a field is prefixed with `'` so it stays text.
    static func field(_ text: String) -> String {
        var text = text
        if let first = text.first, first == "=" || first == "@" { text = "'" + text }
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
