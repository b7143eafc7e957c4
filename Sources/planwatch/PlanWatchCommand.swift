import ArgumentParser
import Foundation
import PlanWatchCore
import PlanWatchSetup
import PlanWatchHTTP
import PlanWatchIngest
import PlanWatchFetch
import PlanWatchOutputs
import PlanWatchDaemon

/// The `planwatch` command: parses arguments and hands each subcommand to the runtime.
@main
struct PlanWatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "planwatch",
        abstract: "Keep development-plan targets, ingest indicator CSV files, evaluate progress, write alerts.",
        discussion: """
            With no configuration (no --config, no PLANWATCH_CONFIG, no /etc/planwatch/planwatch.yaml), planwatch \
            uses its embedded default: the seed plans and catalogues, with its database and alert log in \
            $XDG_STATE_HOME/planwatch (else ~/.local/state/planwatch). Exit codes: 0 ok, 1 problems found, \
            64 usage, 78 bad configuration.
            """,
        version: "0.1.0",
        subcommands: [
            RunCommand.self, EvaluateCommand.self, StatusCommand.self, AlertsCommand.self, HistoryCommand.self,
            ListCommand.self, ReportCommand.self, TestCommand.self, FetchCommand.self, IngestCommand.self,
            BackupCommand.self, CheckConfigCommand.self, DemoCommand.self,
        ]
    )

    /// Global options may come before the subcommand (`planwatch --config X status`), and a mistyped subcommand
    /// gets the nearest one suggested; then argument-parser takes over.
    static func main() async {
        let names = configuration.subcommands.map { $0._commandName } + ["help"]
        switch CommandLineOrder.arrange(Array(CommandLine.arguments.dropFirst()), subcommands: names) {
        case .arguments(let arguments):
            await main(arguments)
        case .unknownSubcommand(let name, let suggestions):
            let hint = suggestions.isEmpty ? "" : "; did you mean " + suggestions.map { "'\($0)'" }.joined(separator: " or ") + "?"
            printError("planwatch: unknown command '\(terminalSafe(name))'\(hint)\nRun 'planwatch --help' for the commands.")
            Foundation.exit(64)
        }
    }
}

/// Puts global options given before the subcommand after it, where argument-parser reads them, and finds a
/// subcommand that does not exist. Pure, so the rule is plain: leading `--config`, `--state-dir`, `--log-dir`
/// (with `=VALUE` or a separate value) move behind the first non-option argument, which must be a subcommand.
enum CommandLineOrder {
    enum Result: Equatable {
        case arguments([String])
        case unknownSubcommand(String, suggestions: [String])
    }

    static let globalOptions = ["--config", "--state-dir", "--log-dir"]

    static func arrange(_ arguments: [String], subcommands: [String]) -> Result {
        var globals: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if globalOptions.contains(argument), index + 1 < arguments.count {
                globals += [argument, arguments[index + 1]]
                index += 2
            } else if globalOptions.contains(where: { argument.hasPrefix($0 + "=") }) {
                globals.append(argument)
                index += 1
            } else {
                break
            }
        }
        guard index < arguments.count else { return .arguments(arguments) }
        let first = arguments[index]
        // Anything else before a subcommand (--help, --version, a typo) is argument-parser's to answer.
        if first.hasPrefix("-") { return .arguments(arguments) }
        guard subcommands.contains(first) else {
            return .unknownSubcommand(first, suggestions: Catalog.closest(to: first, among: subcommands))
        }
        return .arguments([first] + globals + arguments[(index + 1)...])
    }
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
            let configuration = try Configuration.load(runtimeOptions)
            if let note = configuration.firstUseNote { printError(note) }
            return configuration
        } catch {
            printError(error.description)
            throw ExitCode(78)
        }
    }
}

/// Writes a line to standard error, every control character but the line break escaped (`terminalSafe`).
/// Standard output is flushed first: it is buffered on a pipe and standard error is not, so under `2>&1` a note
/// would otherwise land inside a table printed before it.
func printError(_ text: String) {
    fflush(nil)
    FileHandle.standardError.write(Data((terminalSafeLines(text) + "\n").utf8))
}

/// Writes a line for people to standard output. What a command prints carries text from files, servers and
/// configurations (a CSV's source cell, a plan's title, an error page); the fields that could forge a line are
/// escaped where they are put in, and here every control character but the line break is escaped as well, so no
/// path can set the terminal's title, clear the screen or plant a link. Use `sayJSON` for JSON and `sayPainted`
/// for text coloured on purpose.
func say(_ text: String) {
    print(terminalSafeLines(text))
}

/// Writes JSON to standard output with DEL and C1 controls as `\u00XX` (`terminalSafeJSON`); JSON writers escape
/// the C0 controls themselves.
func sayJSON(_ json: String) {
    print(terminalSafeJSON(json))
}

/// Writes text that carries colour codes of planwatch's own (the status table on a terminal): it is not escaped
/// here, so whatever text from outside it holds must have gone through `terminalSafe` already (`StatusTable`
/// escapes every cell and title).
func sayPainted(_ text: String) {
    print(text)
}

/// A usage mistake found after parsing (an unknown plan, target or region): said on standard error, exit 64.
/// (argument-parser's `ValidationError` from `run()` would print the top command's usage, which says nothing.)
func usageError(_ text: String) -> ExitCode {
    printError("planwatch: " + text)
    return ExitCode(64)
}

/// "; did you mean 'a' or 'b'?" with the names closest to `name`, else the known names (the first ten).
func suggestion(_ name: String, among known: Set<String>) -> String {
    let close = Catalog.closest(to: name, among: known)
    if !close.isEmpty { return "; did you mean " + close.map { "'\($0)'" }.joined(separator: " or ") + "?" }
    return known.isEmpty ? "" : "; known: " + known.sorted().prefix(10).joined(separator: ", ") + (known.count > 10 ? ", …" : "")
}

/// A date option (`--as-of`, `--known-at`) must be YYYY-MM-DD: a usage error otherwise, with an example.
func checkDate(_ text: String?, option: String, example: String = "2025-06-30") throws {
    if let text, CalendarDate(parsing: text) == nil {
        throw ValidationError("\(option) '\(text)' is not a date; write YYYY-MM-DD, e.g. \(example)")
    }
}
