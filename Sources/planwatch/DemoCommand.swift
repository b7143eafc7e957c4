import ArgumentParser
import Foundation
import PlanWatchCore
import PlanWatchSetup
import PlanWatchHTTP
import PlanWatchIngest
import PlanWatchFetch
import PlanWatchOutputs
import PlanWatchDaemon

/// `planwatch demo`: the embedded default end to end in a state directory of its own.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Ingest the seed data into a state directory of its own, evaluate the seed plans and show status and alerts.",
        discussion: """
            Always runs on the embedded default (the seed plans and data), never on the machine's settings or state: \
            without --state-dir it makes a temporary directory (removed afterwards unless --keep, all but the \
            progress report, which it prints the path of); a --state-dir must be new or empty and is kept. The alert log goes to the demo's own directory (or --log-dir). The \
            PLANWATCH_* variables are not read.
            """)

    @Option(name: .customLong("state-dir"), help: ArgumentHelp("A new or empty directory for the demo's database (kept); default: a temporary one.", valueName: "dir"))
    var stateDirectory: String?

    @Option(name: .customLong("log-dir"), help: ArgumentHelp("Where the demo's alert log goes; default: its state directory.", valueName: "dir"))
    var logDirectory: String?

    @Option(name: .customLong("config"), help: .hidden)
    var config: String?

    @Option(help: ArgumentHelp("Evaluate as if today were this date (YYYY-MM-DD), so the output does not change with the date.", valueName: "date"))
    var asOf: String?

    @Flag(help: "Keep the temporary state directory and print the commands that look further.")
    var keep = false

    func validate() throws {
        if config != nil {
            throw ValidationError("the demo always runs on the embedded default; drop --config (use 'planwatch evaluate --config FILE' for your own plans)")
        }
        try checkDate(asOf, option: "--as-of")
    }

    func run() throws {
        let demo: DemoRun
        let temporary = stateDirectory == nil
        do {
            let directory = try stateDirectory.map(absolute) ?? DemoRun.temporaryDirectory()
            // A temporary demo is removed afterwards, but its report is kept to be opened: in a folder of its own.
            let report = temporary && !keep ? try DemoRun.temporaryDirectory("demo-report") + "/report" : nil
            demo = try DemoRun.run(
                directory: directory, logDirectory: logDirectory.map(absolute), reportDirectory: report,
                asOf: asOf.flatMap { CalendarDate(parsing: $0) } ?? EvaluationRunner.today())
        } catch {
            printError("planwatch demo: \(error)")
            throw ExitCode(1)
        }
        let color = isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
        // Coloured, the text is the demo's own with every field escaped by DemoRun and StatusTable.
        if color { sayPainted(demo.text(color: true)) } else { say(demo.text(color: false)) }
        if keep || !temporary {
            let config = try demo.writeConfiguration()
            say("")
            say(demo.followUp(config: config))
        } else {
            try? FileManager.default.removeItem(atPath: demo.directory)
        }
    }

    private func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }
}
