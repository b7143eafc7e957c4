import ArgumentParser
import Foundation
import PlanWatchRuntime

/// The `planwatch` command: parses arguments and hands each subcommand to the runtime.
@main
struct PlanWatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "planwatch",
        abstract: "Keep development-plan targets, ingest indicator CSV files, evaluate progress, write alerts.",
        discussion: """
            With no configuration (no --config, no PLANWATCH_CONFIG, no /etc/planwatch/planwatch.yaml), planwatch \
            uses its embedded default: the seed plans and catalogues. Exit codes: 0 ok, 1 problems found, \
            64 usage, 78 bad configuration.
            """,
        version: "0.1.0",
        subcommands: [RunCommand.self, EvaluateCommand.self, StatusCommand.self, AlertsCommand.self, IngestCommand.self, BackupCommand.self, CheckConfigCommand.self, DemoCommand.self]
    )
}

/// Options every command takes (SPEC §8).
struct GlobalOptions: ParsableArguments {
    @Option(name: .customLong("config"), help: ArgumentHelp("Settings file (or its folder); else $PLANWATCH_CONFIG, /etc/planwatch/planwatch.yaml, or the embedded default.", valueName: "file"))
    var config: String?

    @Option(name: .customLong("state-dir"), help: ArgumentHelp("Directory of the database, inbox, processed and rejected files; else $PLANWATCH_STATE_DIR or the settings.", valueName: "dir"))
    var stateDirectory: String?

    @Option(name: .customLong("log-dir"), help: ArgumentHelp("Directory of the alert log; else $PLANWATCH_LOG_DIR or the settings.", valueName: "dir"))
    var logDirectory: String?

    var runtimeOptions: RuntimeOptions {
        RuntimeOptions(
            config: config, stateDirectory: stateDirectory, logDirectory: logDirectory,
            environment: ProcessInfo.processInfo.environment)
    }

    /// Loads the configuration, or prints why not and exits 78 (EX_CONFIG).
    func loadConfiguration() throws -> Configuration {
        do {
            return try Configuration.load(runtimeOptions)
        } catch {
            printError(error.description)
            throw ExitCode(78)
        }
    }
}

/// Writes a line to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
