import PlanWatchCore

/// The report's words built from facts: dates in words, the kind of a target, pace with its meaning, a vintage
/// that is only an arrival time, and the links and downloads every page carries.
extension ReportLabels {
    static let monthNames = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
        "December",
    ]

    /// `30 June 2025` / `2025年6月30日`.
    func dateInWords(_ date: CalendarDate) -> String {
        language == .zh
            ? "\(date.year)年\(date.month)月\(date.day)日"
            : "\(date.day) \(ReportLabels.monthNames[date.month - 1]) \(date.year)"
    }

    /// `8 December 2026, 00:37 UTC` for a stored time (`2026-12-08T00:37:42.287Z`); a date alone in words; any
    /// other text as it is.
    func timeInWords(_ text: String) -> String {
        guard let date = CalendarDate(parsing: text.prefix(10)) else { return text }
        let day = dateInWords(date)
        let clock = text.count >= 16 && text.dropFirst(10).first == "T" ? String(text.dropFirst(11).prefix(5)) : nil
        guard let clock else { return day }
        return language == .zh ? "\(day) \(clock)（UTC）" : "\(day), \(clock) UTC"
    }

    /// A value's vintage as the page shows it: a publication date as written; a file's arrival time (what a
    /// value without a stated publication date gets) as `arrival 2026-12-08`, never posing as a publication date.
    func vintageText(_ vintage: String) -> String {
        guard vintage.count > 10, vintage.dropFirst(10).first == "T" else { return vintage }
        return "\(arrival) \(vintage.prefix(10))"
    }

    var arrival: String { language == .zh ? "到达" : "arrival" }

    /// The kind of a target in words: `level` / `水平值`.
    func kindName(_ kind: String) -> String {
        guard language == .zh else { return kind.replacingUnderscores }
        switch kind {
        case "level": return "水平值"
        case "annual_change": return "年度变化"
        case "growth": return "年均增长"
        case "cumulative_change": return "累计变化"
        case "milestone": return "里程碑"
        default: return kind
        }
    }

    /// `23% of the pace needed`: the pace ratio with what it means.
    func paceText(_ ratio: Double?) -> String {
        guard let ratio else { return "—" }
        return language == .zh ? "所需速度的\(percentForPeople(ratio))" : "\(percentForPeople(ratio)) of the pace needed"
    }

    var methodology: String { language == .zh ? "方法说明" : "Methodology" }
    var download: String { language == .zh ? "下载数据（CSV）" : "Download the data (CSV)" }
    var downloadIndex: String { language == .zh ? "下载总表（CSV）" : "Download this table (CSV)" }
    var planDocument: String { language == .zh ? "规划文件" : "plan document" }
    var sources: String { language == .zh ? "数据来源" : "Sources" }
    var issued: String { language == .zh ? "发布" : "issued" }
    var rowWord: String { language == .zh ? "行" : "row" }
    var planWord: String { language == .zh ? "规划" : "plan" }
    var titleWord: String { language == .zh ? "名称" : "title" }
    var latestPeriod: String { language == .zh ? "最新时期" : "latest period" }
    var computedFromMembers: String { language == .zh ? "由成员地区加权计算" : "computed from the members" }
}
