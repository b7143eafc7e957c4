import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A datagram socket standing in for systemd's `$NOTIFY_SOCKET`: collects what the daemon sends.
final class NotifyListener: @unchecked Sendable {
    let path: String
    private let fd: Int32
    private let lock = NSLock()
    private var received: [String] = []
    private var times: [Date] = []

    init(directory: URL) throws {
        path = directory.appending(path: "notify.sock").path
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard result == 0 else { throw CocoaError(.fileWriteUnknown) }
        let thread = Thread { [self] in
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = recv(fd, &buffer, buffer.count, 0)
                if count <= 0 { return }
                lock.lock()
                received.append(String(decoding: buffer[0..<count], as: UTF8.self))
                times.append(Date())
                lock.unlock()
            }
        }
        thread.start()
    }

    var messages: [String] {
        lock.lock()
        defer { lock.unlock() }
        return received
    }

    /// Each message with when it arrived.
    var timedMessages: [(Date, String)] {
        lock.lock()
        defer { lock.unlock() }
        return Array(zip(times, received))
    }

    func close() { shutdown(fd, Int32(SHUT_RDWR)); Glibc.close(fd) }
}

/// The real `planwatch run` in a temporary directory.
final class DaemonProcess {
    let cli: CLIRunner
    let process = Process()
    let stderrPath: URL
    let arguments: [String]
    /// `--state-dir` and `--log-dir`, relative to the temporary directory.
    let stateDirectory: String
    let logDirectory: String

    var state: URL { cli.directory.appending(path: stateDirectory) }
    var inbox: URL { state.appending(path: "inbox") }
    var alertLog: URL { cli.directory.appending(path: "\(logDirectory)/alerts.jsonl") }
    var database: String { state.appending(path: "planwatch.sqlite").path }

    /// `wrapper` runs the daemon through another program (`prlimit …`, `setpriv …`), which then execs it.
    init(
        _ cli: CLIRunner, extra: [String] = [], environment: [String: String] = [:], name: String = "daemon",
        wrapper: [String] = [], stateDirectory: String = "state", logDirectory: String = "log"
    ) throws {
        self.cli = cli
        self.stateDirectory = stateDirectory
        self.logDirectory = logDirectory
        stderrPath = cli.directory.appending(path: "\(name).stderr")
        arguments = ["run", "--state-dir", stateDirectory, "--log-dir", logDirectory] + extra
        _ = FileManager.default.createFile(atPath: stderrPath.path, contents: nil)
        if wrapper.isEmpty {
            process.executableURL = CLIRunner.binary
            process.arguments = arguments
        } else {
            process.executableURL = URL(fileURLWithPath: wrapper[0])
            process.arguments = Array(wrapper.dropFirst()) + [CLIRunner.binary.path] + arguments
        }
        process.currentDirectoryURL = cli.directory
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PLANWATCH_") && $0.key != "NOTIFY_SOCKET" }
        env.merge(cli.sandboxed(arguments, environment)) { $1 }
        process.environment = env
        process.standardError = try FileHandle(forWritingTo: stderrPath)
        process.standardOutput = FileHandle.nullDevice
        try process.run()
    }

    /// A test that failed before stopping its daemon leaves none behind.
    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    var stderr: String { (try? String(contentsOf: stderrPath, encoding: .utf8)) ?? "" }

    /// Waits until the daemon logged that it watches the inbox.
    func waitUntilReady() throws {
        try wait("the daemon to start") { self.stderr.contains("watching ") }
    }

    func signal(_ number: Int32) { kill(process.processIdentifier, number) }

    /// Sends SIGTERM and returns the exit status (waiting at most `seconds`).
    func terminate(within seconds: Double = 10) throws -> Int32 {
        signal(SIGTERM)
        try wait("the daemon to exit") { !self.process.isRunning }
        return process.terminationStatus
    }

    /// Writes a file elsewhere and renames it into the inbox, as the inbox protocol asks.
    func drop(_ name: String, _ text: String) throws {
        let temporary = inbox.appending(path: ".\(name).part")
        try Data(text.utf8).write(to: temporary)
        try FileManager.default.moveItem(at: temporary, to: inbox.appending(path: name))
    }

    /// The alert log's lines, each decoded.
    func alerts() -> [[String: Any]] {
        guard let text = try? String(contentsOf: alertLog, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }
}

/// Waits for a condition by checking it every 20 ms, failing after `timeout` seconds. The timeout only bounds a
/// hung test; no assertion depends on how long anything took.
func wait(_ what: String, timeout: Double = 20, _ condition: () throws -> Bool) throws {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if try condition() { return }
        usleep(20_000)
    }
    Issue.record("timed out waiting for \(what)")
    throw CancellationError()
}
