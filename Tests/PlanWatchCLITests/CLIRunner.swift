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

    /// Runs `planwatch ARGS` with the working directory set to the temporary directory, in the test kit's
    /// environment (`environment(for:_:)`).
    @discardableResult
    func run(_ arguments: [String], environment: [String: String] = [:], embedded: Bool = false) throws -> Result {
        try CLIRunner.execute(CLIRunner.binary.path, arguments, in: directory, environment: environment, embedded: embedded)
    }

    /// Runs a program in `directory` with no planwatch variables inherited. When it is planwatch, or runs it
    /// (`setpriv …`, `sh -c …`), it gets the test kit's environment (`CLIRunner.sandboxed`): a test must not touch
    /// a system path.
    static func execute(
        _ executable: String, _ arguments: [String], in directory: URL, environment: [String: String] = [:],
        embedded: Bool = false
    ) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.environment = inherited(merging: environment)
        if executable == binary.path || arguments.contains(where: { $0.contains(binary.path) }) {
            process.environment = inherited(merging: sandboxed(arguments, environment, in: directory, embedded: embedded))
        }
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

    /// This process's environment without any `PLANWATCH_*` variable, with `environment` over it.
    static func inherited(merging environment: [String: String]) -> [String: String] {
        var inherited = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PLANWATCH_") }
        inherited.merge(environment) { $1 }
        return inherited
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
