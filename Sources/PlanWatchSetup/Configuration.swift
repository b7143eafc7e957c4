import Foundation
import PlanWatchCore

/// Settings and plans, loaded and validated exactly as the daemon uses them.
public struct Configuration: Sendable {
    public var settings: Settings
    public var planSet: PlanSet
    /// The settings file read, or the embedded seeds' name.
    public var origin: String
    /// Whether this is the embedded default (the seed plans compiled into the binary).
    public var isEmbedded: Bool
    /// Said once, on the first use of the user's own state directory by the embedded default: where it is.
    public var firstUseNote: String?

    /// Why a configuration could not be loaded: every problem, or a missing file.
    public enum LoadError: Error, CustomStringConvertible {
        case invalid(ConfigErrors)
        case missing(String)

        public var description: String {
            switch self {
            case .invalid(let errors): errors.description
            case .missing(let message): message
            }
        }
    }

    /// Loads the configuration the options point at: `--config`, `PLANWATCH_CONFIG`, the system file if it
    /// exists, else the embedded seeds; then applies the state and log directory overrides.
    public static func load(_ options: RuntimeOptions) throws(LoadError) -> Configuration {
        var configuration: Configuration
        if let path = options.value(options.config, "PLANWATCH_CONFIG") {
            configuration = try loadFromDisk(path)
        } else if FileManager.default.fileExists(atPath: options.systemConfig) {
            configuration = try loadFromDisk(options.systemConfig)
        } else {
            // No installed configuration: the embedded default keeps its state and alert log in the user's own
            // directory, never in /var/lib or /var/log, where a root-owned file would lock the service out later.
            configuration = try loadEmbedded()
            let own = Configuration.userStateDirectory(options.environment)
            configuration.settings.stateDirectory = own
            configuration.settings.logDirectory = own
            let overridden = options.value(options.stateDirectory, "PLANWATCH_STATE_DIR") != nil
                || options.value(options.logDirectory, "PLANWATCH_LOG_DIR") != nil
            if !overridden, !FileManager.default.fileExists(atPath: own) {
                configuration.firstUseNote = """
                    planwatch: no \(options.systemConfig); the embedded default keeps its database and alert log in \(own) \
                    (set --state-dir and --log-dir, or --config, to use others)
                    """
            }
        }
        if let state = options.value(options.stateDirectory, "PLANWATCH_STATE_DIR") {
            configuration.settings.stateDirectory = absolute(state)
        }
        if let log = options.value(options.logDirectory, "PLANWATCH_LOG_DIR") {
            configuration.settings.logDirectory = absolute(log)
        }
        return configuration
    }

    /// Where the embedded default keeps its state without an installed configuration: `$XDG_STATE_HOME/planwatch`,
    /// else `$HOME/.local/state/planwatch` (the XDG base directory specification's default).
    public static func userStateDirectory(_ environment: [String: String]) -> String {
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") { return state + "/planwatch" }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return (home.hasSuffix("/") ? String(home.dropLast()) : home) + "/.local/state/planwatch"
    }

    /// The embedded default: the seed settings and plans.
    public static func loadEmbedded() throws(LoadError) -> Configuration {
        let root = EmbeddedSeeds.displayRoot
        let settingsFile = ConfigFile(
            path: root + "/planwatch.yaml", bytes: EmbeddedSeeds.files["planwatch.yaml"] ?? [])
        do {
            var settings = try Settings.load(settingsFile, directory: "")
            let folder = settings.plansDirectory ?? "plans.d"
            settings.plansDirectory = nil
            let planSet = try PlanSet.load(
                EmbeddedSeeds.files(in: folder, extensions: [".yaml", ".yml"]), settings: settingsFile)
            return Configuration(settings: settings, planSet: planSet, origin: root, isEmbedded: true)
        } catch {
            throw .invalid(error)
        }
    }

    /// Loads a settings file (or a directory holding `planwatch.yaml`) and the plans directory it names.
    public static func loadFromDisk(_ path: String) throws(LoadError) -> Configuration {
        var file = absolute(path)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory) else {
            throw .missing(
                "\(file): no such settings file; pass --config with the path of planwatch.yaml (or its folder)")
        }
        if isDirectory.boolValue { file += "/planwatch.yaml" }
        guard let data = FileManager.default.contents(atPath: file) else {
            throw .missing("\(file): cannot read the settings file; check that it exists and is readable by this user")
        }
        let directory = (file as NSString).deletingLastPathComponent
        let settingsFile = ConfigFile(path: file, bytes: [UInt8](data))
        let (settings, settingsProblems) = Settings.read(settingsFile, directory: directory)
        let plans = settings.plansDirectory ?? directory + "/plans.d"
        let planSet: PlanSet
        do throws(ConfigErrors) {
            planSet = try PlanSet.load(try planFiles(in: plans, settingsFile: file), settings: settingsFile)
        } catch {
            throw .invalid(ConfigErrors(settingsProblems + error.diagnostics))
        }
        if !settingsProblems.isEmpty { throw .invalid(ConfigErrors(settingsProblems)) }
        return Configuration(settings: settings, planSet: planSet, origin: file, isEmbedded: false)
    }

    public static func planFiles(in directory: String, settingsFile: String) throws(ConfigErrors) -> [ConfigFile] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw ConfigErrors([ConfigDiagnostic(
                file: settingsFile, line: nil,
                    message:
                        "the plans directory \(directory) cannot be read; create it or set 'plans:' to the folder of your plan files"
                )
            ])
        }
        var files: [ConfigFile] = []
        var problems: [ConfigDiagnostic] = []
        for name in names.sorted() where !name.hasPrefix(".") && (name.hasSuffix(".yaml") || name.hasSuffix(".yml")) {
            let path = directory + "/" + name
            if let data = FileManager.default.contents(atPath: path) {
                files.append(ConfigFile(path: path, bytes: [UInt8](data)))
            } else {
                problems.append(
                    ConfigDiagnostic(file: path, line: nil, message: "cannot be read; check its permissions"))
            }
        }
        if !problems.isEmpty { throw ConfigErrors(problems) }
        return files
    }

    static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : Settings.resolve(path, against: FileManager.default.currentDirectoryPath)
    }
}
