import Foundation
import Testing

@testable import PlanWatchCore
@testable import PlanWatchReport

/// Where every number comes from, what the method is, and the downloads: on values, exact text.
@Suite struct ReportSourcesAndDownloadsTests {
    @Test func eachTargetDownloadsItsValuesAsCSVWithAByteOrderMark() throws {
        let pages = ReportRenderer().render(ReportRendererTests.input())
        let csv = try #require(pages.first { $0.path == "targets/t.csv" }?.html)
        #expect(csv == "\u{FEFF}period,value,source,vintage,file,row,use\r\n"
            + "2020,50,NBS,2021-02-28,a.csv,2,used\r\n"
            + "2021,55,NBS,2022-02-28,a.csv,3,used\r\n"
            + "2021,54,WDI,2023-12-18,w.csv,7,other source\r\n"
            + "2022,60,NBS,2024-02-29,b.csv,2,used\r\n"
            + "2022,59,NBS,2023-02-28,a.csv,4,revised (history)\r\n")
        #expect(Array(csv.utf8.prefix(3)) == [0xEF, 0xBB, 0xBF])
    }

    @Test func theIndexDownloadsItsStatusTableInTheReportsLanguage() throws {
        var input = ReportRendererTests.input()
        input.targets[0].evaluation.paceRatio = 0.234
        let csv = try #require(ReportRenderer().render(input).first { $0.path == "index.csv" }?.html)
        #expect(csv == "\u{FEFF}plan,target,title,state,data overdue,region,indicator,latest period,latest,target value,"
            + "deadline,pace,projected\r\np,t,Reaches 80,on track,,Anhui,Share <of> GDP,2022,60,80,2025,23%,75\r\n")
        input.language = .zh
        let zh = try #require(ReportRenderer().render(input).first { $0.path == "index.csv" }?.html)
        #expect(zh.hasPrefix("\u{FEFF}规划,目标,名称,状态,数据逾期,地区,指标,最新时期,最新值,目标值,期限,进度,预测\r\n"
            + "p,t,Reaches 80,进展顺利,,安徽省,占比,2022,60,80,2025,23%,75\r\n"))
    }

    @Test func aCSVFieldIsQuotedWhenItMustBeAndNeverReadAsAFormula() {
        #expect(ReportCSV.field("a, \"b\"") == "\"a, \"\"b\"\"\"")
        #expect(ReportCSV.field("=SUM(A1)") == "'=SUM(A1)")
        #expect(ReportCSV.field("plain") == "plain")
    }

    @Test func aValueWithoutAPublicationDateShowsItsArrivalNotARunTime() {
        var input = ReportRendererTests.input()
        input.targets[0].values[0].vintage = "2026-12-08T00:37:42.287Z"
        let page = ReportRenderer().render(input)[1].html
        #expect(page.contains("<td>2020</td><td class=\"pw-num\">50</td><td>NBS</td><td>arrival 2026-12-08</td>"))
        #expect(!page.contains("00:37:42"))
    }

    @Test func sourcesLinkTheirPublicationsTheMembersAndThePlanDocument() {
        var input = ReportRendererTests.input()
        input.targets[0].plan.url = "https://example.org/plan"
        input.targets[0].values[0].url = "https://example.org/bulletin"
        input.targets[0].members = [ReportMember(region: "CN-HA", values: [Period(year: 2022): 55], sources: ["Henan bureau"])]
        input.targets[0].sourceURLs = ["WDI": "https://example.org/wdi"]
        let page = ReportRenderer().render(input)[1].html
        #expect(page.contains("<td><a href=\"https://example.org/bulletin\" rel=\"external\">a.csv row 2</a></td>"))
        #expect(page.contains("<p class=\"pw-meta\">Sources: Henan: Henan bureau</p>"))
        #expect(page.contains("<ul class=\"pw-sources\"><li>NBS</li>\n<li><a href=\"https://example.org/wdi\" rel=\"external\">WDI</a></li>\n"
            + "<li>Henan bureau</li>\n<li><a href=\"https://example.org/bulletin\" rel=\"external\">a.csv</a></li>\n"
            + "<li><a href=\"https://example.org/plan\" rel=\"external\">plan document: Plan</a></li>\n</ul>"))
        #expect(page.contains("<p class=\"pw-meta\">Plan · <a href=\"https://example.org/plan\" rel=\"external\">plan document</a></p>"))
    }

    @Test func paceIsShownWithItsMeaning() {
        var input = ReportRendererTests.input()
        input.targets[0].evaluation.paceRatio = -0.5
        #expect(ReportRenderer().render(input)[1].html.contains("<dt>pace</dt><dd>-50% of the pace needed</dd>"))
        input.language = .zh
        #expect(ReportRenderer().render(input)[1].html.contains("<dt>进度</dt><dd>所需速度的-50%</dd>"))
    }

    @Test func theMethodologyPageExplainsTheStatesPaceAndThresholds() throws {
        let pages = ReportRenderer().render(ReportRendererTests.input())
        let method = try #require(pages.first { $0.path == "method.html" }?.html)
        #expect(method.contains("<title>Methodology — Progress report</title>"))
        #expect(method.contains("<dt id=\"pace\">Pace</dt><dd>The pace achieved from the baseline to the latest value"))
        #expect(method.contains("on track: at least 95% of the pace needed. at risk: 60% to 95% of it."))
        #expect(method.contains("<dt id=\"progress\">Time and task (时间过半、任务过半)</dt>"))
        #expect(method.contains("<nav class=\"pw-nav\"><a href=\"index.html\">← All targets</a></nav>"))
    }

    @Test func plansIssuedAfterTheAsOfDateAreLeftOut() {
        var input = ReportRendererTests.input()
        var later = input.targets[0]
        later.plan = Plan(id: "later", title: "Later plan", issued: CalendarDate(year: 2023, month: 7, day: 3))
        later.target.id = "l"
        input.plans.append(later.plan)
        input.targets.append(later)
        let pages = ReportRenderer().render(input)
        #expect(pages.map(\.path) == ["index.html", "targets/t.html", "method.html", "index.csv", "targets/t.csv"])
        #expect(!pages[0].html.contains("Later plan"))
        #expect(pages[0].html.contains("<p class=\"pw-summary\">1 target: 1 on track</p>"))
    }

    @Test func datesReadAsWordsInBothLanguages() {
        let en = ReportLabels(language: .en)
        let zh = ReportLabels(language: .zh)
        #expect(en.dateInWords(CalendarDate(year: 2025, month: 6, day: 30)) == "30 June 2025")
        #expect(zh.dateInWords(CalendarDate(year: 2025, month: 6, day: 30)) == "2025年6月30日")
        #expect(en.timeInWords("2026-12-08T00:37:42.287Z") == "8 December 2026, 00:37 UTC")
        #expect(zh.timeInWords("2026-12-08T00:37:42.287Z") == "2026年12月8日 00:37（UTC）")
        #expect(en.timeInWords("soon") == "soon")
    }
}
