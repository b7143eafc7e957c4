import Foundation
import PlanWatchCore
import PlanWatchStore
import PlanWatchSetup
import PlanWatchIngest
import PlanWatchOutputs
import PlanWatchReport

/// `planwatch demo`: the embedded seed plans and data, ingested into a state directory of its own (a fresh
/// temporary one, or an empty one the user names), evaluated, and its alerts written to its own alert log.
public struct DemoRun: Sendable {
    public var directory: String
    public var logDirectory: String
    public var reports: [IngestReport]
    public var configuration: Configuration
    public var evaluations: [Evaluation]
    /// The alerts the demo raised, as logged.
    public var alerts: [Alert]
    public var asOf: CalendarDate
    /// Where the progress report was written.
    public var reportDirectory: String

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// A fresh temporary directory, `TMPDIR/planwatch-demo-XXXXXX` (`…-report-XXXXXX` for the report a
    /// temporary demo keeps), without a doubled slash.
    public static func temporaryDirectory(_ kind: String = "demo") throws -> String {
        var base = NSTemporaryDirectory()
        while base.count > 1, base.hasSuffix("/") { base.removeLast() }
        var template = Array((base + "/planwatch-\(kind)-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            throw Failure(
                description: "cannot create a temporary directory in \(base); set TMPDIR to a writable folder")
        }
        return String(cString: made)
    }

    /// Writes the published seed files into `directory/seed-data`, ingests them as a user would, evaluates as of `asOf`
    /// and logs the alerts to `logDirectory/alerts.jsonl`. `directory` must hold no database yet: the demo never
    /// writes into a state directory in use.
    /// The report goes to `reportDirectory` (default `directory/report`).
    public static func run(
        directory: String, logDirectory: String? = nil, reportDirectory: String? = nil, asOf: CalendarDate
    ) throws -> DemoRun {
        let directory = DemoRun.clean(directory)
        let logDirectory = DemoRun.clean(logDirectory ?? directory)
        var configuration = try Configuration.loadEmbedded()
        configuration.settings.stateDirectory = directory
        configuration.settings.logDirectory = logDirectory
        if FileManager.default.fileExists(atPath: configuration.settings.databasePath) {
            throw Failure(
                description:
                    "\(directory) already holds a database; the demo needs a new or empty state directory (or none: it then makes a temporary one)"
            )
        }
        let store = try StateDirectory.openStore(configuration)
        let ingester = try Ingester(configuration: configuration, store: store)
        let data = directory + "/seed-data"
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        var reports: [IngestReport] = []
        // The published figures, one file per publication with its source and vintage (seeds/data/): first
        // releases and their revisions are separate vintages, so the demo shows real revisions and `history` two
        // vintages of a figure.
        for path in EmbeddedSeeds.files.keys.sorted() where path.hasPrefix("data/") && path.hasSuffix(".csv") {
            let file = data + "/" + (path as NSString).lastPathComponent
            try Data(EmbeddedSeeds.files[path]!).write(to: URL(fileURLWithPath: file))
            reports.append(try ingester.ingest(path: file, name: "seeds/" + path))
        }
        let evaluations = try EvaluationRunner(configuration: configuration, store: store).evaluate(asOf: asOf)
        let log = AlertLog(path: configuration.settings.alertLogPath)
        let publication = AlertPublication(store: store, log: log, settings: configuration.settings)
        try publication.logPending()
        // The demo has no Alertmanager: its alerts are only marked as handed over.
        try publication.handOver(deliver: false)
        let alerts = try AlertReader(path: log.path).read(AlertReader.Filter()).map(\.alert)
        let report = DemoRun.clean(reportDirectory ?? directory + "/report")
        try ReportBuilder(configuration: configuration, store: store).write(
            evaluations: evaluations, asOf: asOf, language: .en, to: ReportWriter(directory: report))
        return DemoRun(
            directory: directory, logDirectory: logDirectory, reports: reports, configuration: configuration,
            evaluations: evaluations, alerts: alerts, asOf: asOf, reportDirectory: report)
    }

    /// A path without doubled or trailing slashes.
    static func clean(_ path: String) -> String {
        var text = path
        while text.contains("//") { text = text.replacingOccurrences(of: "//", with: "/") }
        while text.count > 1, text.hasSuffix("/") { text.removeLast() }
        return text
    }

    /// What the demo shows: the ingest reports, the status table, the alerts raised and where they are.
    public func text(color: Bool) -> String {
        // The paths are the user's; the rest is escaped by the reports, the table and the alert rows.
        let state = terminalSafe(directory)
        var lines = ["planwatch demo — embedded seed plans and data, as of \(asOf), state in \(state)", ""]
        lines += reports.map(\.text)
        lines.append("")
        lines.append(StatusTable(evaluations: evaluations, plans: configuration.planSet.plans, color: color).text)
        lines.append("")
        let log = terminalSafe(configuration.settings.alertLogPath)
        lines.append("\(counted(alerts.count, "alert")) raised, written to \(log):")
        lines += alerts.map(AlertReader.row)
        lines.append("")
        lines.append("The progress report, a chart for every target: \(terminalSafe(reportDirectory))/index.html")
        return lines.joined(separator: "\n")
    }

    /// Writes the embedded settings and plans into `directory/config`, so the follow-up commands read the same
    /// plans whatever configuration the machine has; returns the settings file's path. The settings record the
    /// demo's state and log directories, so `planwatch --config FILE status` alone reads the demo's state.
    public func writeConfiguration() throws -> String {
        let folder = directory + "/config"
        for (path, bytes) in EmbeddedSeeds.files where path == "planwatch.yaml" || path.hasPrefix("plans.d/") {
            let file = folder + "/" + path
            try FileManager.default.createDirectory(
                atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            var data = Data(bytes)
            if path == "planwatch.yaml" {
                data.append(contentsOf: Array("""

                    # Written by planwatch demo: this demo's own state and alert log.
                    state_dir: \(DemoRun.yamlQuoted(directory))
                    log_dir: \(DemoRun.yamlQuoted(logDirectory))

                    """.utf8))
            }
            try data.write(to: URL(fileURLWithPath: file))
        }
        return folder + "/planwatch.yaml"
    }

    /// A path as a double-quoted YAML scalar, whatever characters it holds.
    static func yamlQuoted(_ path: String) -> String {
        var out = "\""
        for scalar in path.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case _ where scalar.value < 0x20 || scalar.value == 0x7F: out += String(format: "\\x%02X", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// The commands that look further into a kept demo directory: its settings name its state and log, so
    /// `--config` is the only option they need.
    public func followUp(config: String) -> String {
        let plain = !config.contains(where: { " '\"$`\\".contains($0) })
        let quoted = plain ? config : "'" + config.replacingOccurrences(of: "'", with: "'\\''") + "'"
        return """
            Kept \(directory). Look further with:
              planwatch --config \(quoted) status
              planwatch --config \(quoted) alerts --severity warning
              planwatch --config \(quoted) list targets
              planwatch --config \(quoted) history rd_intensity CN-CENTRAL
              planwatch --config \(quoted) history urbanization_rate CN-AH
            """
    }
}
