import Foundation
import Testing

@testable import PlanWatchCore
@testable import PlanWatchReport

/// The rendered pages, on values: what a reader sees, escaped, in both languages.
@Suite struct ReportRendererTests {
    static func input(language: ReportLanguage = .en, plan: Plan? = nil, members: [ReportMember] = []) -> ReportInput {
        var sample = TargetChartTests.sample()
        if let plan { sample.plan = plan }
        sample.members = members
        var catalog = Catalog()
        catalog.add(Indicator(id: "share", name: "Share <of> GDP", nameZh: "占比", unit: "%", publicationLag: CalendarDuration(months: 3)))
        catalog.add(Region(code: "CN-AH", name: "Anhui", nameZh: "安徽省", level: .province))
        catalog.add(Region(code: "CN-HA", name: "Henan", nameZh: "河南省", level: .province))
        return ReportInput(
            catalog: catalog, plans: [sample.plan], targets: [sample], asOf: CalendarDate(year: 2023, month: 7, day: 2),
            dataChanged: "2023-06-01T08:00:00.000Z", language: language)
    }

    @Test func writesAnIndexAPagePerTargetTheMethodAndTheDownloads() {
        let pages = ReportRenderer().render(Self.input())
        #expect(pages.map(\.path) == ["index.html", "targets/t.html", "method.html", "index.csv", "targets/t.csv"])
    }

    @Test func theIndexShowsEachTargetWithItsStateNumbersAndSparkline() throws {
        let index = try #require(ReportRenderer().render(Self.input()).first?.html)
        #expect(index.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">\n"))
        #expect(index.contains("<p class=\"pw-meta\">as of <time datetime=\"2023-07-02\">2 July 2023</time> · data last changed <time datetime=\"2023-06-01T08:00:00.000Z\">1 June 2023, 08:00 UTC</time></p>"))
        #expect(index.contains("<tr class=\"pw-target-row\" data-target=\"t\" data-state=\"on_track\">"))
        #expect(index.contains(
            "<td class=\"pw-name\"><div><a class=\"pw-id\" href=\"targets/t.html\">t</a><br><span class=\"pw-title\">Reaches 80</span></div></td>"))
        #expect(index.contains("<td data-label=\"state\"><span class=\"pw-badge pw-state-on_track\">on track</span></td>"))
        #expect(index.contains(
            "<td class=\"pw-num\" data-label=\"latest\">60 (2022)</td><td class=\"pw-num\" data-label=\"target value\">80</td>"))
        // One column grid for every plan, so the columns align from plan to plan.
        #expect(index.contains("<colgroup><col class=\"pw-col-target\"><col class=\"pw-col-state\">"))
        #expect(index.contains("<p class=\"pw-meta\">p · issued 1 January 2021</p>"))
        #expect(index.contains("<nav class=\"pw-nav\"><a href=\"method.html\">Methodology</a><a href=\"index.csv\" download>Download this table (CSV)</a></nav>"))
        // The sparkline of 50, 55, 60 against 80 (see ChartGeometryTests).
        #expect(index.contains("<path class=\"pw-spark-line\" d=\"M3 25 L60 21.3 L117 17.7\"/>"))
        #expect(index.contains("<li><span class=\"pw-badge pw-state-on_track\">on track</span> 1</li>"))
        #expect(!index.contains("<script"))
        #expect(!index.contains("http"))
    }

    @Test func everyTextIsEscaped() throws {
        let plan = Plan(id: "p", title: "Plan <b>&</b> \"quoted\"", issued: CalendarDate(year: 2021, month: 1, day: 1))
        let pages = ReportRenderer().render(Self.input(plan: plan))
        #expect(pages[0].html.contains("<h2>Plan &lt;b&gt;&amp;&lt;/b&gt; &quot;quoted&quot;</h2>"))
        #expect(pages[1].html.contains("<p class=\"pw-meta\">Plan &lt;b&gt;&amp;&lt;/b&gt; &quot;quoted&quot;</p>"))
        #expect(pages[1].html.contains("<dd>Share &lt;of&gt; GDP (%)</dd>"))
        #expect(!pages[1].html.contains("<b>"))
    }

    @Test func theTargetPageDrawsTheChartAndListsEveryValueWithItsSourceVintageAndFile() throws {
        let page = ReportRenderer().render(Self.input())[1].html
        #expect(page.contains("<svg class=\"pw-chart\" role=\"img\" aria-labelledby=\"chart-title chart-desc\" viewBox=\"0 0 720 360\" width=\"720\" height=\"360\">"))
        #expect(page.contains("<path class=\"pw-required\" d=\"M116.7 304 L643.3 16\"/>"))
        #expect(page.contains("<path class=\"pw-projection\" d=\"M116.7 304 L643.3 64\"/>"))
        #expect(page.contains("<line class=\"pw-target\" x1=\"64\" y1=\"16\" x2=\"696\" y2=\"16\"/>"))
        #expect(page.contains("<line class=\"pw-deadline\" x1=\"696\" y1=\"16\" x2=\"696\" y2=\"304\"/>"))
        #expect(page.contains("<circle class=\"pw-point\" cx=\"116.7\" cy=\"304\" r=\"4\" data-period=\"2020\" data-value=\"50\" data-source=\"NBS\"><title>2020: 50 (NBS)</title></circle>"))
        #expect(page.contains("<path class=\"pw-point pw-marker-square pw-secondary\" d=\"M218.5 262.1 h7 v7 h-7 Z\" data-period=\"2021\" data-value=\"54\" data-source=\"WDI\"><title>2021: 54 (WDI)</title></path>"))
        #expect(page.contains("<circle class=\"pw-point pw-secondary pw-revised\" cx=\"327.3\" cy=\"217.6\" r=\"4\" data-period=\"2022\" data-value=\"59\" data-source=\"NBS\"><title>2022: 59 (NBS, revised)</title></circle>"))
        // The text alternative says the same numbers.
        #expect(page.contains("<desc id=\"chart-desc\">Values: 2020 50, 2021 55, 2022 60. Other sources and revised values: 2021 54 (WDI, other source), 2022 59 (NBS, revised (history)). target value: 80 (2025). required path: 50 (2020) → 2025. projected: 75 (2025). as of 2023-07-02.</desc>"))
        #expect(page.contains("<tr data-plotted=\"1\"><td>2021</td><td class=\"pw-num\">55</td><td>NBS</td><td>2022-02-28</td><td>a.csv row 3</td><td>used</td></tr>"))
        #expect(page.contains("<tr data-plotted=\"1\"><td>2021</td><td class=\"pw-num\">54</td><td>WDI</td><td>2023-12-18</td><td>w.csv row 7</td><td>other source</td></tr>"))
        #expect(page.contains("<tr data-plotted=\"1\"><td>2022</td><td class=\"pw-num\">59</td><td>NBS</td><td>2023-02-28</td><td>a.csv row 4</td><td>revised (history)</td></tr>"))
        #expect(page.components(separatedBy: "class=\"pw-point").count - 1 == 5)
        #expect(page.components(separatedBy: "<tr data-plotted=\"1\">").count - 1 == 5)
        #expect(page.contains(
            "<nav class=\"pw-nav\"><a href=\"../index.html\">← All targets</a><a href=\"../method.html\">Methodology</a>"
                + "<a href=\"t.csv\" download>Download the data (CSV)</a></nav>"))
        // The sources' markers as a list in the caption, not drawn into the chart where a long name is cut.
        #expect(page.contains("<li><svg aria-hidden=\"true\" viewBox=\"0 0 12 12\" width=\"12\" height=\"12\"><path class=\"pw-legend-mark\" d=\"M2.5 2.5 h7 v7 h-7 Z\"/></svg>WDI</li>"))
        #expect(!page.contains("pw-legend-text"))
        #expect(page.contains("<ul class=\"pw-sources\"><li>NBS</li>\n<li>WDI</li>\n</ul>"))
    }

    @Test func aGroupPageShowsItsMembersAndWhichIsMissing() throws {
        let members = [
            ReportMember(region: "CN-AH", values: [Period(year: 2022): 60, Period(year: 2023): 61]),
            ReportMember(region: "CN-HA", values: [Period(year: 2022): 55]),
        ]
        let page = ReportRenderer().render(Self.input(members: members))[1].html
        #expect(page.contains("<thead><tr><th scope=\"col\">period</th><th scope=\"col\" class=\"pw-num\">Anhui</th><th scope=\"col\" class=\"pw-num\">Henan</th></tr></thead>"))
        #expect(page.contains("<tr><td>2023</td><td class=\"pw-num\">61</td><td class=\"pw-num pw-missing\">missing</td></tr>"))
    }

    /// A progress badge and, apart in another colour, a freshness badge; the progress a mid-term review states.
    @Test func overdueDataIsABadgeOfItsOwnBesideTheState() throws {
        var input = Self.input()
        input.targets[0].evaluation.overdue = Overdue(period: "2023", since: "2023-06-30")
        input.targets[0].evaluation.timeElapsed = 0.4
        input.targets[0].evaluation.distanceCovered = 0.3333333333
        input.targets[0].evaluation.remainingPace = 6.666666667
        let pages = ReportRenderer().render(input)
        let index = pages[0].html
        #expect(index.contains("<p class=\"pw-summary\">1 target: 1 on track; 1 with data overdue</p>"))
        #expect(index.contains("<li><span class=\"pw-badge pw-stale\">data overdue</span> 1</li>"))
        #expect(index.contains("<td data-label=\"state\"><span class=\"pw-badge pw-state-on_track\">on track</span> <span class=\"pw-badge pw-stale\" title=\"data overdue since 2023-06-30\">data overdue</span></td>"))
        let page = pages[1].html
        #expect(page.contains("<span class=\"pw-badge pw-state-on_track\">on track</span> <span class=\"pw-badge pw-stale\">data overdue since 2023-06-30</span></h1>"))
        #expect(page.contains("<dt>progress</dt><dd>40% of the time, 33% of the distance</dd>"))
        #expect(page.contains("<dt>pace still needed</dt><dd>+6.67</dd>"))
        let zh = ReportRenderer().render({ var copy = input; copy.language = .zh; return copy }())
        #expect(zh[0].html.contains("<p class=\"pw-summary\">共1个目标：进展顺利1个；其中1个数据逾期</p>"))
        #expect(zh[1].html.contains("<dd>时间过去40%，任务完成33%</dd>"))
    }

    @Test func inChineseTheLabelsAndNamesAreChinese() throws {
        let plan = Plan(id: "p", title: "Plan", titleZh: "规划", issued: CalendarDate(year: 2021, month: 1, day: 1))
        let pages = ReportRenderer().render(Self.input(language: .zh, plan: plan))
        #expect(pages[0].html.contains("<html lang=\"zh\">"))
        #expect(pages[0].html.contains("<h1>规划目标进展报告</h1>"))
        #expect(pages[0].html.contains("<h2>规划</h2>"))
        #expect(pages[0].html.contains("<span class=\"pw-badge pw-state-on_track\">进展顺利</span>"))
        #expect(pages[0].html.contains("<td data-label=\"地区\">安徽省</td>"))
        #expect(pages[0].html.contains("评估日期 <time datetime=\"2023-07-02\">2023年7月2日</time>"))
        #expect(pages[1].html.contains("<dt>类型</dt><dd>水平值</dd>"))
        #expect(pages[1].html.contains("<dd>占比 (%)</dd>"))
    }
}
