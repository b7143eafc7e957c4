/// The methodology page's terms in plain words, in both languages: what the states, freshness, pace, the
/// projection and the other numbers of the report mean (SPEC §5). The thresholds are the settings' defaults.
enum ReportMethod {
    static func entries(_ language: ReportLanguage) -> [MethodEntry] {
        (language == .zh ? zh : en).map { MethodEntry(id: $0.0, term: $0.1, text: $0.2) }
    }

    private static let en: [(String, String, String)] = [
        ("states", "States",
         "achieved: the deadline's value meets the target. met: the latest value meets it, the deadline is still "
             + "ahead. on track: at least 95% of the pace needed. at risk: 60% to 95% of it. off track: less than "
             + "60%, or moving away from the target. missed: the deadline's value falls short. insufficient data: "
             + "fewer than two values since the baseline, or none published."),
        ("pace", "Pace",
         "The pace achieved from the baseline to the latest value, as a share of the pace needed to go from the "
             + "baseline to the target by the deadline: \"23% of the pace needed\". 100% is exactly on the path; a "
             + "negative pace (−50%) means the value moved away from the target; above 100% (360%) means faster "
             + "than needed. Levels such as GDP compound (a constant rate a year); shares and rates are linear."),
        ("thresholds", "Thresholds 95% and 60%",
         "The cut-offs between on track, at risk and off track, as SDG progress assessments use them (Eurostat, "
             + "Statistics Canada's Open SDG)."),
        ("projection", "Projection",
         "The least-squares line through the values from the baseline to the latest, extended to the deadline; "
             + "for compounding targets, through the logarithms of the values. For a target relative to another "
             + "region, both series are projected, and the gap between them is judged."),
        ("progress", "Time and task (时间过半、任务过半)",
         "The mid-term review's comparison: the share of the time from baseline to deadline that has passed, and "
             + "the share of the distance to the target that has been covered. Pace is the second over the first."),
        ("stale", "Data overdue",
         "A purple badge beside the state: the next figure should have been published by the date shown (the end "
             + "of the period after the latest, plus the indicator's publication lag and 30 days). The state is "
             + "still the verdict on the latest data there is."),
        ("groups", "Groups of regions",
         "A group's value for a year is the weighted mean of its members' values (weights such as GDP or "
             + "population); a year with a member's value missing has no group value, and the page marks the "
             + "missing member in red."),
        ("vintages", "Sources and vintages",
         "Every value keeps who published it and when (its vintage). A revised figure keeps the earlier one in "
             + "the history, drawn hollow. Where a file states no publication date, the page shows \"arrival\" and "
             + "the day the file arrived, not a publication date. planwatch evaluate --known-at DATE judges with the "
             + "values as they stood on that day."),
        ("chart", "Reading the chart",
         "Blue points and line: the values used. Green dotted line: the path needed from the baseline to the "
             + "target. Amber dashed line: the projection. Red dashed line: the target. On the index, the "
             + "sparkline's red line is the target level."),
        ("downloads", "Downloads",
         "Each target's values and the index's table download as CSV in UTF-8 with a byte-order mark, so Excel "
             + "opens the Chinese names correctly."),
    ]

    private static let zh: [(String, String, String)] = [
        ("states", "状态",
         "已实现：期限年份的数值达到目标。已提前达到：最新数值已达到目标，期限未到。进展顺利：实际速度达到所需速度的95%以上。"
             + "有风险：达到所需速度的60%至95%。偏离轨道：不足60%，或背离目标方向。未实现：期限年份的数值未达到目标。"
             + "数据不足：基期以来的数值少于两个，或尚无发布数据。"),
        ("pace", "进度（速度比）",
         "从基期到最新数值的实际速度，占从基期按期达到目标所需速度的比例，例如“所需速度的23%”。100%表示正好在所需路径上；"
             + "负值（如−50%）表示数值背离目标；超过100%（如360%）表示快于所需。地区生产总值等总量按复合增长计算，比率类指标按线性计算。"),
        ("thresholds", "阈值95%与60%",
         "进展顺利、有风险与偏离轨道之间的分界，与可持续发展目标进展评估的做法一致（欧盟统计局、加拿大统计局Open SDG）。"),
        ("projection", "预测",
         "以基期至最新数值的最小二乘直线延伸到期限年份；复合增长类目标对数值取对数后拟合。相对于其他地区的目标，两条序列分别预测，判断二者差距。"),
        ("progress", "时间过半、任务过半",
         "中期评估的对照：从基期到期限已过去的时间比例，与距目标已完成的任务比例。进度即后者除以前者。"),
        ("stale", "数据逾期",
         "状态旁的紫色标记：下一期数据应在所示日期前发布（最新时期的下一时期结束后，加上该指标的发布滞后期和30天）。"
             + "状态仍是对现有最新数据的判断。"),
        ("groups", "区域组",
         "区域组某年的数值是各成员地区数值的加权平均（权重如地区生产总值或人口）；某成员缺少数值的年份没有区域组数值，页面以红色标出缺失的成员。"),
        ("vintages", "来源与发布版本",
         "每个数值都记录发布者和发布日期（发布版本）。修订后的数值在历史中保留修订前的数值，以空心点表示。文件未注明发布日期的，"
             + "页面显示“到达”及文件到达日期，而非发布日期。planwatch evaluate --known-at 日期 按当日已知的数值评估。"),
        ("chart", "图表说明",
         "蓝色点与线：采用的数值。绿色点线：从基期到目标的所需路径。橙色虚线：预测。红色虚线：目标值。总览中迷你图的红线为目标水平。"),
        ("downloads", "下载",
         "每个目标的数据和总览表均可下载为CSV文件（UTF-8，带字节顺序标记），Excel可正确显示中文。"),
    ]
}
