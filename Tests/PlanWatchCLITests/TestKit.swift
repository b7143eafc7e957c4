import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

// The test kit: every test runs the binary in a temporary directory of its own, and every process it starts gets
// temporary state and log directories and a settings file that is not the machine's. The tests run as root on CI,
// so without this a command given no `--state-dir` or `--log-dir` would write into `/var/lib/planwatch` or
// `/var/log/planwatch`, and one given no `--config` would read `/etc/planwatch/planwatch.yaml`.

/// Runs `body` with a fresh `CLIRunner` (made by `make`), and removes its temporary directory afterwards, however
/// `body` ends.
func withCLI(from make: () throws -> CLIRunner = { try CLIRunner() }, _ body: (CLIRunner) throws -> Void) throws {
    let cli = try make()
    defer { cli.cleanUp() }
    try body(cli)
}

/// Starts `planwatch run` in `cli`'s directory, runs `body` with it, and afterwards kills it if it still runs and
/// waits for it to exit, so no daemon outlives its test or writes into a directory being removed.
func withDaemon(
    _ cli: CLIRunner, extra: [String] = [], environment: [String: String] = [:], name: String = "daemon",
    wrapper: [String] = [], stateDirectory: String = "state", logDirectory: String = "log",
    _ body: (DaemonProcess) throws -> Void
) throws {
    let daemon = try DaemonProcess(
        cli, extra: extra, environment: environment, name: name, wrapper: wrapper, stateDirectory: stateDirectory,
        logDirectory: logDirectory)
    defer { daemon.stop() }
    try body(daemon)
}

/// `withDaemon` in a `CLIRunner` of its own (`daemon.cli`), removed afterwards.
func withDaemon(
    extra: [String] = [], environment: [String: String] = [:], name: String = "daemon", wrapper: [String] = [],
    stateDirectory: String = "state", logDirectory: String = "log", _ body: (DaemonProcess) throws -> Void
) throws {
    try withCLI { cli in
        try withDaemon(
            cli, extra: extra, environment: environment, name: name, wrapper: wrapper, stateDirectory: stateDirectory,
            logDirectory: logDirectory, body)
    }
}

extension DaemonProcess {
    /// Kills the daemon if it still runs and waits until it has exited.
    func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}

extension CLIRunner {
    /// The settings a process gets when its test names none: the seed settings the binary embeds, read from the
    /// repository, so the machine's `/etc/planwatch/planwatch.yaml` is never read.
    static var seedSettings: String { repository.appending(path: "seeds/planwatch.yaml").path }

    /// The environment of a planwatch process started by a test: the test's `environment`, and wherever it names
    /// no directory or settings (by option, variable, or a `state_dir:`/`log_dir:` line in the settings it gives),
    /// `PLANWATCH_STATE_DIR` = `DIRECTORY/state`, `PLANWATCH_LOG_DIR` = `DIRECTORY/log`, `PLANWATCH_CONFIG` =
    /// `seedSettings` (unless `embedded`: then the embedded default, which reads `/etc/planwatch/planwatch.yaml`
    /// where that exists) and `XDG_STATE_HOME` = `DIRECTORY/xdg-state`. Options still win over these variables.
    static func sandboxed(
        _ arguments: [String], _ environment: [String: String], in directory: URL, embedded: Bool = false
    ) -> [String: String] {
        // Words, so that a command line given to `sh -c` as one argument is read too.
        let arguments = arguments.flatMap { $0.split(separator: " ").map(String.init) }
        var environment = environment
        let settings = settingsKeys(arguments, environment, in: directory)
        let defaults: [(option: String, variable: String, key: String, value: String?)] = [
            ("--state-dir", "PLANWATCH_STATE_DIR", "state_dir", directory.appending(path: "state").path),
            ("--log-dir", "PLANWATCH_LOG_DIR", "log_dir", directory.appending(path: "log").path),
            ("--config", "PLANWATCH_CONFIG", "", embedded ? nil : CLIRunner.seedSettings),
        ]
        // The embedded default keeps its state under XDG_STATE_HOME (a temporary folder below) unless the machine
        // has an installed configuration, which would then be read: only then are its directories named here.
        let installed = FileManager.default.fileExists(atPath: "/etc/planwatch/planwatch.yaml")
        for (option, variable, key, value) in defaults
        where (environment[variable] ?? "").isEmpty && CLIRunner.value(of: option, in: arguments) == nil
            && !settings.contains(key) && !(embedded && !installed && variable != "PLANWATCH_CONFIG") {
            environment[variable] = value
        }
        if environment["XDG_STATE_HOME"] == nil {
            environment["XDG_STATE_HOME"] = directory.appending(path: "xdg-state").path
        }
        return environment
    }

    /// `sandboxed` in this runner's directory.
    func sandboxed(_ arguments: [String], _ environment: [String: String], embedded: Bool = false) -> [String: String] {
        CLIRunner.sandboxed(arguments, environment, in: directory, embedded: embedded)
    }

    /// The value of `--option VALUE` or `--option=VALUE` (before a `--`).
    static func value(of option: String, in arguments: [String]) -> String? {
        for (index, argument) in arguments.prefix(while: { $0 != "--" }).enumerated() {
            if argument == option { return index + 1 < arguments.count ? arguments[index + 1] : "" }
            if argument.hasPrefix(option + "=") { return String(argument.dropFirst(option.count + 1)) }
        }
        return nil
    }

    /// The top-level keys of the settings file the test gives (`--config` or `PLANWATCH_CONFIG`, a file or its
    /// folder, relative to the temporary directory); none when it gives none.
    private static func settingsKeys(_ arguments: [String], _ environment: [String: String], in directory: URL) -> Set<String> {
        guard let given = CLIRunner.value(of: "--config", in: arguments) ?? environment["PLANWATCH_CONFIG"], !given.isEmpty
        else { return [] }
        var path = given.hasPrefix("/") ? given : directory.appending(path: given).path
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            path += "/planwatch.yaml"
        }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        return Set(text.split(separator: "\n").compactMap { line in
            line.first?.isLetter == true ? line.split(separator: ":", maxSplits: 1).first.map(String.init) : nil
        })
    }
}

extension CLIRunner {
    /// How many targets the seed data gives a figure as of today, each announced once by the first evaluation
    /// that reads it; the other 13 of the 35 have no data at all and are not announced (SPEC §6).
    static let targetsWithSeedData = 22

    /// Stores the 79 files of `seeds/data/` in `stateDirectory` with `planwatch ingest`, their data alerts logged
    /// in a log of their own (`ingest-log`), so that a daemon started on that state announces
    /// `targetsWithSeedData` targets at its first evaluation: a start with alerts to log.
    func storeSeedData(stateDirectory: String = "state") throws {
        let folder = CLIRunner.repository.appending(path: "seeds/data")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".csv") }
        let files = names.sorted().map { folder.appending(path: $0).path }
        let result = try run(["ingest", "--state-dir", stateDirectory, "--log-dir", "ingest-log"] + files)
        #expect(result.status == 0, "\(result.stderr)")
    }
}
