import Foundation
import Testing

/// Runs the built `planwatch` binary in a temporary directory and captures what it prints.
struct CLIRunner {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    let directory: URL

    /// A fresh temporary directory, removed by `cleanUp()`.
    init() throws {
        directory = FileManager.default.temporaryDirectory.appending(path: "planwatch-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    func cleanUp() {
        try? FileManager.default.removeItem(at: directory)
    }

    /// The binary built beside the test bundle (`swift build` puts both in the same folder).
    static var binary: URL {
        if let path = ProcessInfo.processInfo.environment["PLANWATCH_BIN"] { return URL(fileURLWithPath: path) }
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        if folder.lastPathComponent.hasSuffix(".xctest") { folder.deleteLastPathComponent() }
        return folder.appending(path: "planwatch")
    }

    /// The repository's root, for the seed files.
    static var repository: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// The fixtures folder of this test target.
    static var fixtures: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appending(path: "Fixtures")
    }

    /// Runs `planwatch ARGS` with the working directory set to the temporary directory and no planwatch
    /// variables inherited, so the embedded default or the given options decide. A command given no `--log-dir`
    /// logs into the temporary directory's `log/` (`PLANWATCH_LOG_DIR`, unless the test sets it), never into
    /// `/var/log/planwatch`: the tests run as root, and a test must not touch a system path.
    @discardableResult
    func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Result {
        var environment = environment
        if environment["PLANWATCH_LOG_DIR"] == nil {
            environment["PLANWATCH_LOG_DIR"] = directory.appending(path: "log").path
        }
        return try CLIRunner.execute(CLIRunner.binary.path, arguments, in: directory, environment: environment)
    }

    static func execute(_ executable: String, _ arguments: [String], in directory: URL, environment: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PLANWATCH_") }
        env.merge(environment) { $1 }
        process.environment = env
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Writes a file into the temporary directory and returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let url = directory.appending(path: name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    /// Runs the `sqlite3` shell on the database and returns its output lines.
    func sqlite(_ database: String, _ sql: String) throws -> [String] {
        let result = try CLIRunner.execute("/usr/bin/sqlite3", [database, sql], in: directory)
        #expect(result.status == 0, "sqlite3 failed: \(result.stderr)")
        return result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter { !$0.isEmpty }
    }
}
