import PlanWatchCore

/// The words of the report in one language. Names of plans, regions and indicators come from the catalogue
/// (`title_zh`, `name_zh`), falling back to English where it has none.
struct ReportLabels: Sendable {
    let language: ReportLanguage

    var reportTitle: String { language == .zh ? "规划目标进展报告" : "Progress report" }
    var asOf: String { language == .zh ? "评估日期" : "as of" }
    var dataChanged: String { language == .zh ? "数据最近更新" : "data last changed" }
    var noData: String { language == .zh ? "无数据" : "no data" }
    var target: String { language == .zh ? "目标" : "target" }
    var state: String { language == .zh ? "状态" : "state" }
    var latest: String { language == .zh ? "最新值" : "latest" }
    var targetValue: String { language == .zh ? "目标值" : "target value" }
    var pace: String { language == .zh ? "进度" : "pace" }
    var projected: String { language == .zh ? "预测" : "projected" }
    var projectedGap: String { language == .zh ? "预测差距" : "projected gap" }
    var trend: String { language == .zh ? "走势" : "trend" }
    var region: String { language == .zh ? "地区" : "region" }
    var indicator: String { language == .zh ? "指标" : "indicator" }
    var kind: String { language == .zh ? "类型" : "kind" }
    var baseline: String { language == .zh ? "基期" : "baseline" }
    var deadline: String { language == .zh ? "期限" : "deadline" }
    var period: String { language == .zh ? "时期" : "period" }
    var value: String { language == .zh ? "数值" : "value" }
    var source: String { language == .zh ? "来源" : "source" }
    var vintage: String { language == .zh ? "发布版本" : "vintage" }
    var file: String { language == .zh ? "文件" : "file" }
    var status: String { language == .zh ? "用途" : "use" }
    var values: String { language == .zh ? "数据" : "Values" }
    var members: String { language == .zh ? "成员地区" : "Members" }
    var missing: String { language == .zh ? "缺失" : "missing" }
    var back: String { language == .zh ? "返回总览" : "All targets" }
    var notes: String { language == .zh ? "说明" : "Notes" }
    var requiredPath: String { language == .zh ? "所需路径" : "required path" }
    var projection: String { language == .zh ? "最小二乘预测" : "least-squares projection" }
    var today: String { language == .zh ? "评估日" : "as of" }
    var year: String { language == .zh ? "年份" : "year" }
    var referenceWord: String { language == .zh ? "参照" : "reference" }
    var revised: String { language == .zh ? "已修订" : "revised" }
    var dataOverdue: String { language == .zh ? "数据逾期" : "data overdue" }
    var progress: String { language == .zh ? "时间与任务进度" : "progress" }
    var remainingPace: String { language == .zh ? "今后所需速度" : "pace still needed" }

    /// `data overdue since 2025-11-30`: the freshness badge, apart from the progress badge.
    func overdueSince(_ overdue: Overdue) -> String {
        language == .zh ? "数据逾期（\(overdue.period)年数据应于\(overdue.since)前发布）" : "data overdue since \(overdue.since)"
    }

    /// `60% of the time, 13% of the distance`: the mid-term review's comparison of time and task.
    func progressText(time: Double, distance: Double) -> String {
        language == .zh
            ? "时间过去\(percentForPeople(time))，任务完成\(percentForPeople(distance))"
            : "\(percentForPeople(time)) of the time, \(percentForPeople(distance)) of the distance"
    }

    /// The line over a set of evaluations: `35 targets: 3 on track, …; 16 with data overdue`.
    func summary(_ evaluations: [Evaluation]) -> String {
        guard language == .zh else { return Evaluation.summary(evaluations) }
        var parts: [String] = []
        for state in [TargetState.onTrack, .atRisk, .offTrack, .met, .achieved, .missed, .insufficientData, .stale] {
            let count = evaluations.filter { $0.state == state }.count
            if count > 0 { parts.append("\(stateName(state))\(count)个") }
        }
        let overdue = evaluations.filter(\.stale).count
        return "共\(evaluations.count)个目标" + (parts.isEmpty ? "" : "：" + parts.joined(separator: "，"))
            + (overdue > 0 ? "；其中\(overdue)个数据逾期" : "")
    }

    func stateName(_ state: TargetState) -> String {
        guard language == .zh else { return state.rawValue.replacingUnderscores }
        switch state {
        case .achieved: return "已实现"
        case .met: return "已提前达到"
        case .onTrack: return "进展顺利"
        case .atRisk: return "有风险"
        case .offTrack: return "偏离轨道"
        case .missed: return "未实现"
        case .insufficientData: return "数据不足"
        case .stale: return "数据过期"
        }
    }

    func statusName(_ status: ReportValue.Status) -> String {
        switch (status, language) {
        case (.used, .en): "used"
        case (.used, .zh): "采用"
        case (.otherSource, .en): "other source"
        case (.otherSource, .zh): "其他来源"
        case (.revised, .en): "revised (history)"
        case (.revised, .zh): "已修订（历史）"
        case (.computed, .en): "computed"
        case (.computed, .zh): "计算值"
        }
    }

    func planTitle(_ plan: Plan) -> String { language == .zh ? plan.titleZh ?? plan.title : plan.title }

    func regionName(_ code: String, _ catalog: Catalog) -> String {
        guard let region = catalog.regions[code] else { return code }
        return language == .zh ? region.nameZh ?? region.name : region.name
    }

    func indicatorName(_ id: String, _ catalog: Catalog) -> String {
        guard let indicator = catalog.indicators[id] else { return id }
        return language == .zh ? indicator.nameZh ?? indicator.name : indicator.name
    }
}

extension String {
    var replacingUnderscores: String { String(map { $0 == "_" ? " " : $0 }) }
}
