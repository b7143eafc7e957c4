import Foundation
import Testing

/// Text that came from a file, a server or a configuration never reaches a terminal raw: a CSV's source and note
/// cells, a plan's title, notes and `missing_data`, a server's error page and a configuration's unknown key carry a
/// title-setting OSC, a screen clear, an OSC 8 hyperlink and a C1 CSI, and no command prints a control character
/// of them (line breaks of its own aside); each shows them as visible escapes instead.
@Suite("Terminal escapes", .serialized)
struct TerminalEscapeTests {
    /// ESC ] 0 ; pwned BEL, ESC [ 2 J, an OSC 8 link to evil.example, and U+009B (CSI) 31m.
    static let hostile =
        "\u{1B}]0;pwned\u{07}\u{1B}[2J\u{1B}]8;;http://evil.example/\u{1B}\\click\u{1B}]8;;\u{1B}\\ \u{9B}31m"
    /// The same in a YAML double-quoted scalar.
    static let hostileYAML = "\\e]0;pwned\\a\\e[2J\\e]8;;http://evil.example/\\e\\\\click\\e]8;;\\e\\\\ \\x9b31m"
    /// How `terminalSafe` shows it.
    static let shown = "\\x1b]0;pwned\\x07\\x1b[2J\\x1b]8;;http://evil.example/\\x1b\\click\\x1b]8;;\\x1b\\ \\x9b31m"

    /// The control characters in `text` other than the line break: C0, DEL and C1 (U+0080–U+009F: a terminal may
    /// take U+009B as CSI), each as U+XXXX.
    static func controls(_ text: String) -> [String] {
        text.unicodeScalars.filter { ($0.value < 0x20 && $0 != "\n") || (0x7F...0x9F).contains($0.value) }
            .map { "U+" + String($0.value, radix: 16, uppercase: true) }
    }

    static let plan = """
        plan:
          id: hostile
          title: "Hostile \(hostileYAML)"
          issued: 2021-03-01
        targets:
          - id: hostile-gdp
            title: "GDP \(hostileYAML)"
            kind: level
            indicator: gdp
            region: CN-AH
            compare: ">="
            value: 50000
            baseline: 2023
            deadline: 2024
            notes: "Notes \(hostileYAML)"
          - id: hostile-missing
            title: Unpublished
            kind: level
            indicator: gdp
            region: CN-HA
            compare: ">="
            value: 1
            baseline: 2023
            deadline: 2030
            missing_data: "Not published \(hostileYAML)"

        """

    @Test func noCommandPrintsAControlCharacterFromOutside() throws {
        try withCLI { cli in
            let server = try FetchTests.Server(cli)
            let plans = cli.directory.appending(path: "plans")
            try FileManager.default.createDirectory(at: plans, withIntermediateDirectories: true)
            for name in ["indicators.yaml", "regions.yaml", "sources.yaml"] {
                try FileManager.default.copyItem(
                    at: CLIRunner.repository.appending(path: "seeds/plans.d/\(name)"), to: plans.appending(path: name))
            }
            let address = "http://127.0.0.1:\(server.port)/hostile"
            try FetchTests.addSources(cli, "  - {id: hostile-server, name: hostile, fetch: {url: \"\(address)\"}}\n")
            try cli.write("plans/hostile.yaml", Self.plan)
            try cli.write("planwatch.yaml", "plans: plans\n")
            // An unknown key, which check-config names.
            try cli.write(
                "broken/plans/p.yaml",
                "plan:\n  id: broken\n  title: Broken\n  issued: 2021-03-01\n  \"\(Self.hostileYAML)\": 1\ntargets: []\n")
            try cli.write("broken/planwatch.yaml", "plans: plans\n")
            let csv = try cli.write("hostile.csv", """
                indicator,region,period,value,source,note
                gdp,CN-AH,2023,47050,Bureau \(Self.hostile),Note \(Self.hostile)
                gdp,CN-AH,2024,50625,Bureau \(Self.hostile),Note \(Self.hostile)

                """)
            let state = ["--config", "planwatch.yaml", "--state-dir", "s", "--log-dir", "log"]

            var outputs: [(command: String, result: CLIRunner.Result)] = []
            func run(_ arguments: [String]) throws {
                outputs.append((arguments.joined(separator: " "), try cli.run(arguments)))
            }
            try run(["check-config", "--config", "broken/planwatch.yaml"])
            try run(["check-config", "--config", "planwatch.yaml"])
            try run(["ingest"] + state + [csv])
            try run(["ingest", "--json", "--dry-run"] + state + [csv])
            try run(["evaluate"] + state)
            try run(["evaluate", "--json"] + state)
            try run(["status"] + state)
            try run(["status", "--json"] + state)
            try run(["history"] + state + ["gdp", "CN-AH"])
            try run(["history", "--json"] + state + ["gdp", "CN-AH"])
            for _ in 1...3 { try run(["fetch"] + state + ["hostile-server"]) }
            try run(["fetch", "--list"] + state)
            try run(["alerts"] + state)
            try run(["alerts", "--json"] + state)

            for (command, result) in outputs {
                #expect(Self.controls(result.stdout) == [], "planwatch \(command): standard output")
                #expect(Self.controls(result.stderr) == [], "planwatch \(command): standard error")
            }
            // Each shows what came from outside, visibly.
            func output(_ prefix: String) -> String {
                outputs.filter { $0.command.hasPrefix(prefix) }.map { $0.result.stdout + $0.result.stderr }.joined()
            }
            #expect(output("check-config --config broken").contains(Self.shown))
            #expect(output("status --config").contains("hostile — Hostile \(Self.shown)"))
            #expect(output("status --config").contains("Not published \(Self.shown)"))
            #expect(output("evaluate --config").contains("hostile — Hostile \(Self.shown)"))
            #expect(output("history --config").contains("Bureau \(Self.shown)"))
            #expect(output("fetch --config").contains("HTTP 500: \(Self.shown)"))
            #expect(output("fetch --list").contains("failed (3 in a row): HTTP 500: \(Self.shown)"))
            #expect(output("alerts --config").contains("failed 3 times in a row: HTTP 500: \(Self.shown)"))
        }
    }
}
