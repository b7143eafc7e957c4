import PlanWatchCore
import PlanWatchSetup
import PlanWatchHTTP

/// The human status table: targets grouped by plan, one row each with state, latest value, target, pace ratio,
/// projection and a trend arrow. Colored with ANSI codes when asked (a terminal), plain otherwise. Every text from
/// a configuration or a file (titles, ids, messages that quote `missing_data` or a source) is escaped with
/// `terminalSafe` here, cell by cell, since the colour codes around them keep the whole from being escaped later.
public struct StatusTable: Sendable {
    public var evaluations: [Evaluation]
    public var plans: [Plan]
    public var color: Bool

    public init(evaluations: [Evaluation], plans: [Plan], color: Bool) {
        self.evaluations = evaluations
        self.plans = plans
        self.color = color
    }

    static let headers = ["TARGET", "STATE", "DATA", "LATEST", "TARGET VALUE", "PACE", "PROJECTED", "TREND"]

    public var text: String {
        var lines: [String] = [Evaluation.summary(evaluations)]
        let byPlan = Dictionary(grouping: evaluations, by: \.plan)
        for plan in plans {
            guard let rows = byPlan[plan.id], !rows.isEmpty else { continue }
            lines.append("")
            // Every table says which day it judges: a recorded what-if (`evaluate --as-of … --record`) is not today.
            let dates = Set(rows.map(\.asOf))
            let shared = dates.count == 1 ? dates.first : nil
            lines.append(bold(terminalSafe("\(plan.id) — \(plan.title)")) + (shared.map { " (as of \($0))" } ?? ""))
            let cells = rows.map(StatusTable.cells)
            var widths = StatusTable.headers.map(\.displayWidth)
            for row in cells {
                for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.displayWidth) }
            }
            lines.append("  " + StatusTable.pad(StatusTable.headers, widths).trimmingTrailingSpaces)
            for (evaluation, row) in zip(rows, cells) {
                var padded = StatusTable.headers.indices.map { row[$0].padding(widths[$0]) }
                padded[1] = paint(evaluation.state, padded[1])
                if evaluation.stale { padded[2] = color ? "\u{1B}[35m\(padded[2])\u{1B}[0m" : padded[2] }
                lines.append(("  " + padded.joined(separator: "  ")).trimmingTrailingSpaces)
                let message = terminalSafe(evaluation.message)
                lines.append("    " + dim((shared == nil ? "As of \(evaluation.asOf): " : "") + message))
            }
        }
        return lines.joined(separator: "\n")
    }

    static func cells(_ evaluation: Evaluation) -> [String] {
        let shown = evaluation.shown
        return [
            evaluation.target, evaluation.state.rawValue, evaluation.overdueText ?? "", shown.latest, shown.target,
            shown.pace,
            shown.projected, shown.trend,
        ].map { terminalSafe($0) }
    }

    static func pad(_ cells: [String], _ widths: [Int]) -> String {
        cells.indices.map { cells[$0].padding(widths[$0]) }.joined(separator: "  ")
    }

    private func paint(_ state: TargetState, _ text: String) -> String {
        guard color else { return text }
        let code: String
        switch state {
        case .achieved, .met, .onTrack: code = "32"
        case .atRisk: code = "33"
        case .offTrack, .missed: code = "31"
        case .insufficientData, .stale: code = "90"
        }
        return "\u{1B}[\(code)m\(text)\u{1B}[0m"
    }

    private func bold(_ text: String) -> String { color ? "\u{1B}[1m\(text)\u{1B}[0m" : text }
    private func dim(_ text: String) -> String { color ? "\u{1B}[2m\(text)\u{1B}[0m" : text }
}

extension String {
    /// Pads with spaces to `width` characters (as displayed: CJK characters count as two columns).
    func padding(_ width: Int) -> String {
        self + String(repeating: " ", count: max(0, width - displayWidth))
    }

    var displayWidth: Int {
        unicodeScalars.reduce(0) {
            $0
                + ((0x1100...0x115F).contains($1.value) || (0x2E80...0xA4CF).contains($1.value)
                    || (0xAC00...0xD7A3).contains($1.value) || (0xF900...0xFAFF).contains($1.value)
                    || (0xFF00...0xFF60).contains($1.value) ? 2 : 1)
        }
    }

    var trimmingTrailingSpaces: String {
        var text = self
        while text.hasSuffix(" ") { text.removeLast() }
        return text
    }
}
