import ArgumentParser
import Foundation
import PlanWatchCore
import PlanWatchSetup
import PlanWatchHTTP
import PlanWatchIngest
import PlanWatchFetch
import PlanWatchOutputs
import PlanWatchDaemon

/// `planwatch alerts`: reads the alert log.
struct AlertsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alerts",
        abstract: "Read the alert log (and its rotated files), filtered; --follow tails new alerts.")

    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("Only alerts at or after this time: an RFC 3339 time (2026-12-01T18:15:59Z, …+01:00), a date (2026-12-01, midnight UTC), or a span back from now (90m, 2h, 7d, 2w).", valueName: "time"))
    var since: String?

    @Option(help: ArgumentHelp("Only alerts at least this severe: info, warning or critical.", valueName: "severity"), completion: Completions.severities)
    var severity: String?

    @Option(help: ArgumentHelp("Only this plan's alerts.", valueName: "plan"), completion: Completions.plans)
    var plan: String?

    @Option(help: ArgumentHelp("Only this target's alerts.", valueName: "target"), completion: Completions.targets)
    var target: String?

    @Option(help: ArgumentHelp("Only alerts for this region: its code, name or an alias (CN-AH, Anhui, 安徽省).", valueName: "region"))
    var region: String?

    @Flag(help: "Print the alerts as JSON lines, as logged.")
    var json = false

    @Flag(help: "Keep printing new alerts as they are logged (Ctrl-C to stop).")
    var follow = false

    func validate() throws {
        if let severity, Severity(rawValue: severity) == nil {
            throw ValidationError("--severity '\(severity)' is not a severity; use info, warning or critical")
        }
        if let since, Instant.parseSince(since, now: Date().timeIntervalSince1970) == nil {
            throw ValidationError(
                "--since '\(since)' is not a time; write an RFC 3339 time (2026-12-01T18:15:59Z or 2026-12-01T19:15:59+01:00), a date (2026-12-01) or a span back from now (2h, 7d)")
        }
    }

    func run() throws {
        let configuration = try global.loadConfiguration()
        let reader = AlertReader(path: configuration.settings.alertLogPath)
        let logged: [(line: String, alert: Alert)]
        do {
            logged = try reader.read(AlertReader.Filter()) { file, line in printError("\(file):\(line): not an alert line; skipped") }
        } catch {
            printError("planwatch: \(error)")
            throw ExitCode(1)
        }
        let filter = AlertReader.Filter(
            since: since.flatMap { Instant.parseSince($0, now: Date().timeIntervalSince1970) },
            severity: severity.flatMap(Severity.init(rawValue:)), plan: plan, target: target,
            region: try regionCode(in: configuration, logged: logged.map(\.alert)))
        try checkNames(in: configuration, logged: logged.map(\.alert))
        let alerts = logged.filter { filter.matches($0.alert) }
        if alerts.isEmpty, !json, !follow {
            say(reader.files.isEmpty ? "No alert log at \(reader.path) yet." : "No alerts match.")
        }
        for item in alerts {
            if json { sayJSON(item.line) } else { say(AlertReader.row(item.alert)) }
        }
        guard follow else { return }
        fflushStandardOutput()
        try tail(reader.path, filter: filter)
    }

    /// `--plan` and `--target` must name a configured plan or target, or one the log mentions (a plan since
    /// removed): a typo is an error with the closest names, not "No alerts match".
    private func checkNames(in configuration: Configuration, logged: [Alert]) throws {
        if let plan {
            let known = Set(configuration.planSet.plans.map(\.id)).union(logged.compactMap(\.plan))
            if !known.contains(plan) {
                throw usageError("there is no plan '\(plan)'" + suggestion(plan, among: known))
            }
        }
        if let target {
            let configured = configuration.planSet.targets.filter { plan == nil || $0.plan.id == plan }.map(\.target.id)
            let known = Set(configured).union(logged.filter { plan == nil || $0.plan == plan }.compactMap(\.target))
            if !known.contains(target) {
                throw usageError(
                    "there is no target '\(target)'\(plan.map { " in plan '\($0)'" } ?? "")" + suggestion(target, among: known))
            }
        }
    }

    /// The region code `--region` names: a code, name or alias of the catalogue (as every other command takes
    /// it), or a code the log mentions.
    private func regionCode(in configuration: Configuration, logged: [Alert]) throws -> String? {
        guard let region else { return nil }
        if let known = configuration.planSet.catalog.region(named: region) { return known.code }
        if logged.contains(where: { $0.region == region }) { return region }
        let suggestions = configuration.planSet.catalog.regionSuggestions(for: region)
        throw usageError(
            "there is no region '\(region)'"
                + (suggestions.isEmpty ? "; give a region code, name or alias from the catalogue" : "; did you mean " + suggestions.map { "'\($0)'" }.joined(separator: " or ") + "?"))
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
                        let text = (json ? terminalSafeJSON(String(decoding: line, as: UTF8.self))
                            : terminalSafe(AlertReader.row(alert))) + "\n"
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
