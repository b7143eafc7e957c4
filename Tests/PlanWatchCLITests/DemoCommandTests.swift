import Foundation
import Testing

/// `planwatch demo` (issue 12, item 3): its own state directory and alert log, a fixed as-of, the commands to look
/// further, and never the user's state.
@Suite("planwatch demo", .serialized)
struct DemoCommandTests {
    @Test func item3_theDemoWritesItsOwnStateAndAlertLogAndSaysHowToLookFurther() throws {
        let cli = try CLIRunner()
        defer { cli.cleanUp() }
        let state = cli.directory.appending(path: "d").path
        let result = try cli.run(["demo", "--as-of", "2025-06-30", "--state-dir", "d"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("planwatch demo — embedded seed plans and data, as of 2025-06-30, state in \(state)\n"))
        #expect(!result.stdout.contains("//"))
        #expect(result.stdout.contains("central-region-2021 — "))
        #expect(result.stdout.contains(" (as of 2025-06-30)\n"))
        #expect(result.stdout.contains("\n41 alerts raised, written to \(state)/alerts.jsonl:\n"))
        let logged = try String(contentsOf: URL(fileURLWithPath: state + "/alerts.jsonl"), encoding: .utf8).split(separator: "\n")
        #expect(logged.count == 41)
        // The published files are vintages: first releases revised by later publications raise value_revised.
        #expect(logged.filter { $0.contains("\"kind\":\"value_revised\"") }.count == 7)
        let config = state + "/config/planwatch.yaml"
        #expect(result.stdout.hasSuffix("""
            Kept \(state). Look further with:
              planwatch status --config \(config) --state-dir \(state) --log-dir \(state)
              planwatch alerts --config \(config) --state-dir \(state) --log-dir \(state) --severity warning
              planwatch history urbanization_rate CN-AH --config \(config) --state-dir \(state) --log-dir \(state)

            """))
        // The printed commands work on the kept directory.
        let status = try cli.run(["status", "--config", config, "--state-dir", state, "--log-dir", state, "--plan", "central-region-2021"])
        #expect(status.status == 0)
        #expect(status.stdout.hasPrefix("central-region-2021 — "))
        let alerts = try cli.run(["alerts", "--config", config, "--state-dir", state, "--log-dir", state, "--json"])
        #expect(alerts.stdout.split(separator: "\n").count == 41)
        let history = try cli.run(["history", "rd_intensity", "CN", "--period", "2022", "--config", config, "--state-dir", state])
        #expect(history.stdout == """
            rd_intensity CN — R&D expenditure as a share of GDP, China (%); * = the value evaluation uses
            2022
              * 2.56  National Bureau of Statistics of China  vintage 2024-10-02  nbs-rd-bulletin-2023-revisions.csv row 2  — the only source
                2.54  National Bureau of Statistics of China  vintage 2023-09-18  nbs-rd-bulletin-2022.csv row 2  — older vintage than 2024-10-02 (history, not current)

            """)

        // A state directory in use is never written into.
        let again = try cli.run(["demo", "--state-dir", "d"])
        #expect(again.status == 1)
        #expect(again.stderr == "planwatch demo: \(state) already holds a database; the demo needs a new or empty state directory (or none: it then makes a temporary one)\n")
        #expect(try String(contentsOf: URL(fileURLWithPath: state + "/alerts.jsonl"), encoding: .utf8).split(separator: "\n").count == 41)
    }

    @Test func item3_withoutAStateDirectoryItUsesATemporaryOneAndNeverTheUsers() throws {
        let cli = try CLIRunner()
        defer { cli.cleanUp() }
        let users = cli.directory.appending(path: "users-state")
        try FileManager.default.createDirectory(at: users, withIntermediateDirectories: true)
        let result = try cli.run(
            ["demo", "--as-of", "2025-06-30"],
            environment: ["PLANWATCH_STATE_DIR": users.path, "PLANWATCH_LOG_DIR": users.path])
        #expect(result.status == 0, "\(result.stderr)")
        let header = try #require(result.stdout.split(separator: "\n").first)
        let directory = String(try #require(header.components(separatedBy: "state in ").last))
        #expect(directory.contains("/planwatch-demo-"))
        #expect(!directory.contains("//"))
        #expect(!FileManager.default.fileExists(atPath: directory), "removed without --keep")
        #expect(try FileManager.default.contentsOfDirectory(atPath: users.path) == [], "the user's state is untouched")
        #expect(!result.stdout.contains("Look further"))

        let config = try cli.run(["demo", "--config", "somewhere.yaml"])
        #expect(config.status == 64)
        #expect(config.stderr.hasPrefix("Error: the demo always runs on the embedded default; drop --config"))
        let date = try cli.run(["demo", "--as-of", "2025-13-01"])
        #expect(date.status == 64)
    }

    @Test func item3_keepKeepsTheTemporaryDirectory() throws {
        let cli = try CLIRunner()
        defer { cli.cleanUp() }
        let result = try cli.run(["demo", "--as-of", "2025-06-30", "--keep"])
        #expect(result.status == 0)
        let header = try #require(result.stdout.split(separator: "\n").first)
        let directory = String(try #require(header.components(separatedBy: "state in ").last))
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(FileManager.default.fileExists(atPath: directory + "/planwatch.sqlite"))
        #expect(result.stdout.contains("Kept \(directory). Look further with:\n"))
    }
}

/// The README's examples are real outputs of the demo (issue 12, item 4).
@Suite("README examples")
struct ReadmeExampleTests {
    @Test func item4_theReadmesDemoExampleIsWhatTheDemoPrints() throws {
        let readme = try String(contentsOf: CLIRunner.repository.appending(path: "README.md"), encoding: .utf8)
        let command = "$ planwatch demo --as-of 2025-06-30\n"
        let start = try #require(readme.range(of: command))
        let end = try #require(readme.range(of: "\n```", range: start.upperBound..<readme.endIndex))
        let block = readme[start.upperBound..<end.lowerBound].split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // Chunks between `…` lines must each appear, whole and in order, in the demo's output.
        var chunks: [[String]] = [[]]
        for line in block {
            if line == "…" { chunks.append([]) } else { chunks[chunks.count - 1].append(line) }
        }
        chunks = chunks.filter { !$0.isEmpty }
        #expect(chunks.count == 2)
        let cli = try CLIRunner()
        defer { cli.cleanUp() }
        let result = try cli.run(["demo", "--as-of", "2025-06-30"])
        #expect(result.status == 0)
        let output = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var from = 0
        for chunk in chunks {
            let found = (from..<max(from, output.count - chunk.count + 1)).first { Array(output[$0..<($0 + chunk.count)]) == chunk }
            #expect(found != nil, "README lines not in the demo's output, in order:\n\(chunk.joined(separator: "\n"))")
            from = (found ?? from) + chunk.count
        }
    }
}
