import ArgumentParser
import Foundation
import PlanWatchCore
import PlanWatchRuntime

/// `planwatch alerts`: reads the alert log.
struct AlertsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alerts",
        abstract: "Read the alert log (and its rotated files), filtered; --follow tails new alerts.")

    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("Only alerts at or after this date (YYYY-MM-DD) or RFC 3339 time.", valueName: "date"))
    var since: String?

    @Option(help: ArgumentHelp("Only alerts at least this severe: info, warning or critical.", valueName: "severity"))
    var severity: String?

    @Option(help: ArgumentHelp("Only this plan's alerts.", valueName: "plan"))
    var plan: String?

    @Option(help: ArgumentHelp("Only this target's alerts.", valueName: "target"))
    var target: String?

    @Option(help: ArgumentHelp("Only alerts for this region code.", valueName: "region"))
    var region: String?

    @Flag(help: "Print the alerts as JSON lines, as logged.")
    var json = false

    @Flag(help: "Keep printing new alerts as they are logged (Ctrl-C to stop).")
    var follow = false

    func validate() throws {
        if let severity, Severity(rawValue: severity) == nil {
            throw ValidationError("--severity '\(severity)' is not a severity; use info, warning or critical")
        }
        if let since, CalendarDate(parsing: since.prefix(10)) == nil {
            throw ValidationError("--since '\(since)' is not a date; write YYYY-MM-DD or an RFC 3339 time")
        }
    }

    func run() throws {
        let configuration = try global.loadConfiguration()
        let reader = AlertReader(path: configuration.settings.alertLogPath)
        let filter = AlertReader.Filter(
            since: since, severity: severity.flatMap(Severity.init(rawValue:)), plan: plan, target: target, region: region)
        let alerts = reader.read(filter) { file, line in printError("\(file):\(line): not an alert line; skipped") }
        if alerts.isEmpty, !json, !follow {
            print(reader.files.isEmpty ? "No alert log at \(reader.path) yet." : "No alerts match.")
        }
        for item in alerts { print(json ? item.line : AlertReader.row(item.alert)) }
        guard follow else { return }
        fflushStandardOutput()
        try tail(reader.path, filter: filter)
    }

    /// Prints alerts appended to the log from now on; follows the log across rotation.
    private func tail(_ path: String, filter: AlertReader.Filter) throws {
        var handle = FileHandle(forReadingAtPath: path)
        _ = try? handle?.seekToEnd()
        var inode = Self.inode(path)
        var pending = Data()
        while true {
            if let data = try handle?.readToEnd(), !data.isEmpty {
                pending.append(data)
                while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                    let line = pending[pending.startIndex..<newline]
                    pending = Data(pending[(newline + 1)...])
                    if let alert = try? JSONDecoder().decode(Alert.self, from: line), filter.matches(alert) {
                        // Written straight to the descriptor: a pipe reader sees each alert at once.
                        let text = (json ? String(decoding: line, as: UTF8.self) : AlertReader.row(alert)) + "\n"
                        FileHandle.standardOutput.write(Data(text.utf8))
                    }
                }
            }
            let current = Self.inode(path)
            if current != inode {
                handle = FileHandle(forReadingAtPath: path)
                inode = current
                continue
            }
            usleep(200_000)
        }
    }

    private static func inode(_ path: String) -> UInt64? {
        var info = stat()
        return stat(path, &info) == 0 ? UInt64(info.st_ino) : nil
    }
}

/// Flushes what `print` buffered, before following writes go straight to the descriptor.
private func fflushStandardOutput() {
    fflush(nil)
}
