import Foundation
import Testing

/// Issue 13: `planwatch report`, the demo's report, the daemon keeping it current, and valid HTML5.
@Suite("planwatch report", .serialized)
struct ReportCommandTests {
    /// A kept demo directory (state, log and configuration) judged as of mid-2025.
    static func demo(_ cli: CLIRunner) throws -> (state: String, config: String) {
        let result = try cli.run(["demo", "--as-of", "2025-06-30", "--state-dir", "d"])
        #expect(result.status == 0, "\(result.stderr)")
        let state = cli.directory.appending(path: "d").path
        return (state, state + "/config/planwatch.yaml")
    }

    /// A Python with html5lib (Debian's python3-html5lib, which scripts/install-deps installs).
    static func html5lib() -> String? {
        for python in ["/usr/bin/python3", "python3"] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [python, "-c", "import html5lib"]
            process.standardError = FileHandle.nullDevice
            guard (try? process.run()) != nil else { continue }
            process.waitUntilExit()
            if process.terminationStatus == 0 { return python }
        }
        return nil
    }

    @Test func theDemoWritesTheReportAndPrintsWhereItIs() throws {
        try withCLI { cli in
            let result = try cli.run(["demo", "--as-of", "2025-06-30", "--state-dir", "d"])
            let report = cli.directory.appending(path: "d/report").path
            #expect(result.stdout.contains("\nThe progress report, a chart for every target: \(report)/index.html\n"))
            let pages = try FileManager.default.contentsOfDirectory(atPath: report + "/targets").sorted()
            // As of 2025-06-30 the two plans issued later (Anhui's benchmarks, the Anhui–Henan plan) are left out:
            // 28 of the 35 targets, each a page and a CSV download.
            #expect(pages.filter { $0.hasSuffix(".html") }.count == 28)
            #expect(pages.filter { $0.hasSuffix(".csv") }.count == 28)
            #expect(pages.contains("central-rd-share-2025.html"))
            #expect(pages.contains("central-rd-share-2025.csv"))
            // Without a state directory the demo's state is removed, but the report it printed is kept.
            let temporary = try cli.run(["demo", "--as-of", "2025-06-30"])
            let line = try #require(temporary.stdout.split(separator: "\n").last { $0.hasPrefix("The progress report, a chart for every target: ") })
            let index = String(line.dropFirst("The progress report, a chart for every target: ".count))
            #expect(index.contains("/planwatch-demo-report-"))
            #expect(!index.contains("//"))
            #expect(FileManager.default.fileExists(atPath: index))
            try? FileManager.default.removeItem(atPath: (index as NSString).deletingLastPathComponent.replacingOccurrences(of: "/report", with: ""))
        }
    }

    @Test func everyPageIsValidHTML5WithoutAnythingFromElsewhere() throws {
        try withCLI { cli in
            let (state, _) = try Self.demo(cli)
            let python = try #require(Self.html5lib(), "html5lib is missing: run scripts/install-deps (it installs python3-html5lib)")
            let check = try cli.write("validate.py", """
                import html5lib, pathlib, sys
                bad = 0
                for path in sorted(pathlib.Path(sys.argv[1]).rglob("*.html")):
                    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
                    try:
                        parser.parse(path.read_bytes())
                    except Exception as error:
                        bad += 1
                        print(f"{path}: {error} {parser.errors[:3]}")
                print(f"checked {len(list(pathlib.Path(sys.argv[1]).rglob('*.html')))} pages, {bad} invalid")
                sys.exit(1 if bad else 0)
                """)
            let result = try CLIRunner.execute("/usr/bin/env", [python, check, state + "/report"], in: cli.directory)
            #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
            #expect(result.stdout == "checked 30 pages, 0 invalid\n")
            for page in try FileManager.default.subpathsOfDirectory(atPath: state + "/report") where page.hasSuffix(".html") {
                let html = try String(contentsOfFile: state + "/report/" + page, encoding: .utf8)
                #expect(!html.contains("<script"), "\(page)")
                #expect(!html.contains("src="), "\(page)")
                // Addresses only as links to publications, followed when clicked, never loaded.
                #expect(html.components(separatedBy: "http").count == html.components(separatedBy: "<a href=\"http").count, "\(page)")
                #expect(html.components(separatedBy: "<a href=\"http").count
                    == html.components(separatedBy: "\" rel=\"external\">").count, "\(page)")
                #expect(html.contains("@media print{"), "\(page)")
            }
        }
    }

    @Test func reportWritesIntoAFolderAndSaysWhenNothingChanged() throws {
        try withCLI { cli in
            let (state, config) = try Self.demo(cli)
            let common = ["--config", config, "--state-dir", state, "--log-dir", state]
            let out = cli.directory.appending(path: "out").path
            let first = try cli.run(["report", "--as-of", "2025-06-30", "--out", "out"] + common)
            #expect(first.status == 0, "\(first.stderr)")
            #expect(first.stdout == "Report of 28 targets as of 2025-06-30 (7 targets of plans issued later left out) written to \(out)/index.html (59 pages)\n")
            let again = try cli.run(["report", "--as-of", "2025-06-30", "--out", "out"] + common)
            #expect(again.stdout == "Report of 28 targets as of 2025-06-30 (7 targets of plans issued later left out) unchanged in \(out)/index.html\n")
            // The same report as the demo's, which judged the same day on the same data.
            #expect(try Data(contentsOf: URL(fileURLWithPath: out + "/targets/anhui-urbanization-1pp.html"))
                == Data(contentsOf: URL(fileURLWithPath: state + "/report/targets/anhui-urbanization-1pp.html")))
            // A later day is a new report, swapped in whole: no folder left beside it.
            let later = try cli.run(["report", "--as-of", "2026-06-30", "--out", "out"] + common)
            #expect(later.stdout.hasSuffix("written to \(out)/index.html (73 pages)\n"))
            #expect(try String(contentsOfFile: out + "/index.html", encoding: .utf8).contains("<time datetime=\"2026-06-30\">30 June 2026</time>"))
            #expect(try FileManager.default.contentsOfDirectory(atPath: cli.directory.path).filter { $0.hasPrefix("out") } == ["out"])
            // One plan, in Chinese.
            let zh = try cli.run(["report", "--as-of", "2025-06-30", "--out", "zh", "--plan", "central-region-2021", "--lang", "zh"] + common)
            #expect(zh.stdout.hasPrefix("Report of 19 targets as of 2025-06-30 written to "))
            let index = try String(contentsOfFile: cli.directory.appending(path: "zh/index.html").path, encoding: .utf8)
            #expect(index.contains("<h2>中共中央 国务院关于新时代推动中部地区高质量发展的意见</h2>"))
            #expect(index.contains("<td data-label=\"地区\">安徽省</td>"))
            #expect(!index.contains("cn-14th-fyp"))
        }
    }

    @Test func badInputsAreClearErrors() throws {
        try withCLI { cli in
            let lang = try cli.run(["report", "--state-dir", "s", "--lang", "fr"])
            #expect(lang.status == 64)
            #expect(lang.stderr.hasPrefix("Error: --lang 'fr' is not a report language; use en or zh\n"))
            let none = try cli.run(["report", "--state-dir", "s"])
            #expect(none.status == 1)
            #expect(none.stderr == "planwatch: no database yet at \(cli.directory.path)/s/planwatch.sqlite; run `planwatch ingest` or start the service\n")
            #expect(!FileManager.default.fileExists(atPath: cli.directory.appending(path: "s").path), "a read command creates nothing")
        }
    }

    @Test func theDaemonKeepsTheReportCurrentAfterLoggingTheAlert() throws {
        try withDaemon { daemon in
            try daemon.waitUntilReady()
            let index = daemon.state.appending(path: "report/index.html")
            try wait("the first report") { FileManager.default.fileExists(atPath: index.path) }
            #expect(try String(contentsOf: index, encoding: .utf8).contains("data-target=\"anhui-urbanization-1pp\" data-state=\"insufficient_data\""))
            try daemon.drop("anhui.csv", DaemonTests.anhui)
            try wait("the report of the new data") {
                (try? String(contentsOf: index, encoding: .utf8))?.contains("data-target=\"anhui-urbanization-1pp\" data-state=\"insufficient_data\"") == false
            }
            let page = try String(contentsOf: daemon.state.appending(path: "report/targets/anhui-urbanization-1pp.html"), encoding: .utf8)
            #expect(page.contains("<td>2022</td><td class=\"pw-num\">60.15</td><td>Provincial bureaus of statistics</td>"))
            // Written after the alert: the alert log already holds the target's new state when the report shows it.
            #expect(daemon.alerts().contains { $0["target"] as? String == "anhui-urbanization-1pp" && $0["state"] as? String != "insufficient_data" })
            #expect(try daemon.terminate() == 0)
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: daemon.state.path).filter { $0.hasPrefix("report.") }
            #expect(leftovers == [])
        }
    }
}
