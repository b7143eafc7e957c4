import Yams

/// What to do with a file that has some bad rows.
public enum BadRowPolicy: String, Sendable, Codable, CaseIterable {
    /// Store nothing from the file (the default).
    case reject
    /// Store the good rows and report the rest.
    case skip
}

/// The daemon's settings (`planwatch.yaml`), with paths already resolved against the settings file's folder.
public struct Settings: Sendable, Equatable {
    /// The plans directory; nil means the built-in seed plans.
    public var plansDirectory: String?
    public var stateDirectory: String = "/var/lib/planwatch"
    public var logDirectory: String = "/var/log/planwatch"
    /// The database file; relative paths are inside the state directory.
    public var database: String = "planwatch.sqlite"
    public var onBadRows: BadRowPolicy = .reject
    public var maxFileSize: Int64 = 1 << 30
    /// The most entries a zip archive may hold: each is a file of its own in the inbox, and a bomb of a million
    /// empty entries costs time without bytes.
    public var maxArchiveMembers: Int = 1_000
    /// Two sources' values for one cell differing by more than this many percent (relative to the larger) raise
    /// a `source_conflict` alert.
    public var sourceTolerance: Double = 0.5
    public var onTrackRatio: Double = 0.95
    public var atRiskRatio: Double = 0.60
    public var staleGrace = CalendarDuration(days: 30)
    /// How often the daemon evaluates without a new file (deadlines pass, data goes stale).
    public var evaluateInterval = CalendarDuration(seconds: 3600)
    /// How long the inbox must be quiet after files changed data before the daemon evaluates (`schedule.settle`):
    /// files that arrive together are judged once, on their final state. 0 evaluates as soon as a file is done.
    public var settle = CalendarDuration(seconds: 2)
    /// The longest changed data waits for its evaluation while files keep arriving (`schedule.settle_max`).
    public var settleMax = CalendarDuration(seconds: 60)
    /// How often the daemon rescans the inbox (inotify covers the rest).
    public var rescanInterval = CalendarDuration(seconds: 300)
    /// The alert log's file name inside the log directory.
    public var alertLogName = "alerts.jsonl"
    /// Re-announce a target that stays `off_track` this often (targets may set their own); nil: never.
    public var repeatInterval: CalendarDuration?
    /// The progress report's folder (`report.dir`); nil: `STATE_DIR/report`. The daemon rewrites it after every
    /// evaluation unless `report.enabled` is false.
    public var reportDirectory: String?
    public var reportEnabled = true
    /// `en` or `zh` (`report.lang`).
    public var reportLanguage = "en"
    /// Alertmanager's base URL (`alerts.alertmanager.url`, `http://host:port`); nil: no delivery.
    public var alertmanagerURL: String?
    /// A PEM file of CA certificates trusted for an `https://` Alertmanager instead of the system's store.
    public var alertmanagerCAFile: String?
    /// How long one POST to Alertmanager may take.
    public var alertmanagerTimeout = CalendarDuration(seconds: 10)
    /// How often a firing alert is sent again, so Alertmanager's resolve timeout never resolves it by itself.
    public var alertmanagerResendInterval = CalendarDuration(seconds: 60)
    /// The metrics file for node_exporter's textfile collector (`metrics.textfile`); nil: none.
    public var metricsTextfile: String?

    public init() {}

    /// The progress report's folder.
    public var reportPath: String { reportDirectory ?? stateDirectory + "/report" }

    /// The alert log's path.
    public var alertLogPath: String {
        alertLogName.hasPrefix("/") ? alertLogName : logDirectory + "/" + alertLogName
    }

    /// The database path.
    public var databasePath: String {
        database.hasPrefix("/") ? database : stateDirectory + "/" + database
    }

    /// Reads a settings file; `directory` is its folder, against which relative paths resolve.
    public static func load(_ file: ConfigFile, directory: String) throws(ConfigErrors) -> Settings {
        let (settings, diagnostics) = read(file, directory: directory)
        if !diagnostics.isEmpty { throw ConfigErrors(diagnostics) }
        return settings
    }

    /// Reads a settings file as far as it can: the settings (defaults where a value is bad) and every problem.
    public static func read(_ file: ConfigFile, directory: String) -> (Settings, [ConfigDiagnostic]) {
        let sink = DiagnosticSink()
        var settings = Settings()
        settings.plansDirectory = resolve("plans.d", against: directory)
        guard let text = String(validating: file.bytes, as: UTF8.self) else {
            return (settings, [ConfigDiagnostic(file: file.path, line: nil, message: "is not valid UTF-8; save it as UTF-8")])
        }
        let root: Node?
        do {
            // The basic resolver: every value is read as text and typed by the loader itself, so Yams' per-scalar
            // regular expressions for inferring types (a third of the loading time for large plans) are not run.
            root = try Yams.compose(yaml: text, Resolver.basic)
        } catch let error as YamlError {
            return (settings, [ConfigDiagnostic(file: file.path, line: PlanSetLoader.line(of: error), message: "is not valid YAML: \(PlanSetLoader.problem(of: error))")])
        } catch {
            return (settings, [ConfigDiagnostic(file: file.path, line: nil, message: "is not valid YAML: \(error)")])
        }
        guard let root else { return (settings, []) }
        guard var top = YAMLMapping(root, what: "the settings file", file: file.path, sink: sink) else {
            return (settings, sink.diagnostics)
        }
        if let plans = top.string("plans") { settings.plansDirectory = resolve(plans, against: directory) }
        if let state = top.string("state_dir") { settings.stateDirectory = resolve(state, against: directory) }
        if let log = top.string("log_dir") { settings.logDirectory = resolve(log, against: directory) }
        if let database = top.string("database") { settings.database = database }
        if let node = top.node("ingest"), var ingest = YAMLMapping(node, what: "'ingest'", file: file.path, sink: sink) {
            if let policy: BadRowPolicy = ingest.choice("on_bad_rows") { settings.onBadRows = policy }
            if let text = ingest.string("max_file_size") {
                if let size = parseSize(text) {
                    settings.maxFileSize = size
                } else {
                    ingest.report(ingest.lineOf("max_file_size"), "'max_file_size' is '\(text)', not a size; write e.g. 500MiB or 2GB")
                }
            }
            if let members = ingest.number("max_archive_members") {
                if members >= 1, members == members.rounded(), members <= 1_000_000 {
                    settings.maxArchiveMembers = Int(members)
                } else {
                    ingest.report(
                        ingest.lineOf("max_archive_members"),
                        "'max_archive_members' must be a whole number from 1 to 1000000, e.g. 1000")
                }
            }
            if let tolerance = ingest.number("source_tolerance") {
                if tolerance >= 0 {
                    settings.sourceTolerance = tolerance
                } else {
                    ingest.report(ingest.lineOf("source_tolerance"), "'source_tolerance' must be a percentage of 0 or more, e.g. 0.5")
                }
            }
            ingest.finish()
        }
        if let node = top.node("evaluation"),
            var evaluation = YAMLMapping(node, what: "'evaluation'", file: file.path, sink: sink)
        {
            if let ratio = evaluation.number("on_track") { settings.onTrackRatio = ratio }
            if let ratio = evaluation.number("at_risk") { settings.atRiskRatio = ratio }
            if let grace = evaluation.duration("stale_grace") { settings.staleGrace = grace }
            if settings.atRiskRatio > settings.onTrackRatio {
                evaluation.report(evaluation.lineOf("at_risk"), "'at_risk' (\(settings.atRiskRatio)) must not be above 'on_track' (\(settings.onTrackRatio))")
            }
            evaluation.finish()
        }
        if let node = top.node("schedule"), var schedule = YAMLMapping(node, what: "'schedule'", file: file.path, sink: sink) {
            readIntervals(
                &schedule, section: "schedule",
                [("evaluate", \.evaluateInterval), ("rescan", \.rescanInterval), ("settle_max", \.settleMax)],
                into: &settings)
            readSettle(&schedule, into: &settings)
            schedule.finish()
        }
        if let node = top.node("alerts"), var alerts = YAMLMapping(node, what: "'alerts'", file: file.path, sink: sink) {
            if let name = alerts.string("file") { settings.alertLogName = name }
            if let interval = alerts.duration("repeat_interval") { settings.repeatInterval = interval }
            if let node = alerts.node("alertmanager"), var manager = YAMLMapping(node, what: "'alertmanager' of 'alerts'", file: file.path, sink: sink) {
                if let url = manager.string("url", required: true) {
                    var trimmed = url
                    while trimmed.hasSuffix("/") { trimmed.removeLast() }
                    let scheme = trimmed.lowercased().hasPrefix("https://") ? "https://" : "http://"
                    if !trimmed.lowercased().hasPrefix(scheme) || trimmed.count <= scheme.count {
                        manager.report(manager.lineOf("url"), "'url' of 'alertmanager' is '\(url)'; write Alertmanager's address, e.g. http://127.0.0.1:9093 (or https:// for a TLS listener)")
                    } else {
                        settings.alertmanagerURL = trimmed
                    }
                }
                if let file = manager.string("ca_file") {
                    if settings.alertmanagerURL?.lowercased().hasPrefix("https://") == false {
                        manager.report(manager.lineOf("ca_file"), "'ca_file' of 'alertmanager' is for an https:// address; '\(settings.alertmanagerURL!)' is plain http")
                    }
                    settings.alertmanagerCAFile = resolve(file, against: directory)
                }
                readIntervals(&manager, section: "alertmanager", [("timeout", \.alertmanagerTimeout), ("resend_interval", \.alertmanagerResendInterval)], into: &settings)
                manager.finish()
            }
            alerts.finish()
        }
        if let node = top.node("report"), var report = YAMLMapping(node, what: "'report'", file: file.path, sink: sink) {
            if let dir = report.string("dir") { settings.reportDirectory = resolve(dir, against: directory) }
            if let enabled = report.string("enabled") {
                switch enabled.lowercased() {
                case "true", "yes", "on": settings.reportEnabled = true
                case "false", "no", "off": settings.reportEnabled = false
                default: report.report(report.lineOf("enabled"), "'enabled' of 'report' is '\(enabled)'; write true or false")
                }
            }
            if let language = report.string("lang") {
                if ["en", "zh"].contains(language) {
                    settings.reportLanguage = language
                } else {
                    report.report(report.lineOf("lang"), "'lang' of 'report' is '\(language)'; use en or zh")
                }
            }
            report.finish()
        }
        if let node = top.node("metrics"), var metrics = YAMLMapping(node, what: "'metrics'", file: file.path, sink: sink) {
            if let path = metrics.string("textfile") {
                if path.hasSuffix(".prom") {
                    settings.metricsTextfile = resolve(path, against: directory)
                } else {
                    metrics.report(metrics.lineOf("textfile"), "'textfile' of 'metrics' is '\(path)'; node_exporter reads only files ending in .prom, e.g. /var/lib/prometheus/node-exporter/planwatch.prom")
                }
            }
            metrics.finish()
        }
        _ = top.node("mapping")  // read with the plans (PlanSet.load), where the names it maps are known
        top.finish()
        return (settings, sink.diagnostics)
    }

    /// Durations of a section that must be at least a second (`schedule.evaluate`, `alertmanager.timeout`).
    private static func readIntervals(
        _ fields: inout YAMLMapping, section: String, _ keys: [(String, WritableKeyPath<Settings, CalendarDuration>)], into settings: inout Settings
    ) {
        for (key, path) in keys {
            guard let interval = fields.duration(key) else { continue }
            if interval.approximateSeconds < 1 {
                fields.report(fields.lineOf(key), "'\(key)' of '\(section)' must be at least one second")
            } else {
                settings[keyPath: path] = interval
            }
        }
    }

    /// `schedule.settle`: may be 0 (judge as soon as a file is done), never longer than `settle_max`, which would
    /// make the longest wait the only one.
    private static func readSettle(_ schedule: inout YAMLMapping, into settings: inout Settings) {
        guard let settle = schedule.duration("settle") else { return }
        if settle.approximateSeconds > settings.settleMax.approximateSeconds {
            let message = "'settle' of 'schedule' (\(settle)) must not be longer than 'settle_max' "
                + "(\(settings.settleMax)): files are judged at the latest 'settle_max' after they changed data"
            schedule.report(schedule.lineOf("settle"), message)
        } else {
            settings.settle = settle
        }
    }

    /// `path` made absolute against `directory`, unless it already is.
    public static func resolve(_ path: String, against directory: String) -> String {
        if path.hasPrefix("/") || directory.isEmpty { return path }
        var base = directory
        while base.count > 1, base.hasSuffix("/") { base.removeLast() }
        var rest = Substring(path)
        while rest.hasPrefix("./") { rest = rest.dropFirst(2) }
        return rest.isEmpty || rest == "." ? base : base + "/" + rest
    }

    /// Parses `1GiB`, `500MiB`, `2GB`, `1024`, `10KB`.
    static func parseSize(_ text: String) -> Int64? {
        let trimmed = text.trimmingSpaces
        let digits = trimmed.prefix { $0.isASCII && $0.isNumber }
        guard let number = Int64(digits) else { return nil }
        let units: [String: Int64] = [
            "": 1, "B": 1, "KB": 1000, "MB": 1_000_000, "GB": 1_000_000_000, "KIB": 1 << 10, "MIB": 1 << 20,
            "GIB": 1 << 30, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30,
        ]
        let unit = trimmed.dropFirst(digits.count).trimmingCharacters(in: " ").uppercased()
        guard let scale = units[unit] else { return nil }
        // A size past Int64 (`99999999999GiB`) is refused, not a crash.
        let (size, overflow) = number.multipliedReportingOverflow(by: scale)
        return overflow ? nil : size
    }
}

extension Substring {
    func trimmingCharacters(in set: Character) -> Substring {
        var slice = self
        while slice.first == set { slice = slice.dropFirst() }
        while slice.last == set { slice = slice.dropLast() }
        return slice
    }
}
