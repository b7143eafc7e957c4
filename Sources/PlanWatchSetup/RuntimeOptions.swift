/// The global options every command takes (SPEC §8). Command line wins over the environment, which wins over
/// the settings file, which wins over the defaults.
public struct RuntimeOptions: Sendable {
    public var config: String?
    public var stateDirectory: String?
    public var logDirectory: String?
    /// The environment, for `PLANWATCH_CONFIG`, `PLANWATCH_STATE_DIR` and `PLANWATCH_LOG_DIR`.
    public var environment: [String: String]
    /// Where the service's settings live; used when neither `--config` nor `PLANWATCH_CONFIG` is given.
    public var systemConfig = "/etc/planwatch/planwatch.yaml"

    public init(
        config: String? = nil, stateDirectory: String? = nil, logDirectory: String? = nil,
        environment: [String: String] = [:]
    ) {
        self.config = config
        self.stateDirectory = stateDirectory
        self.logDirectory = logDirectory
        self.environment = environment
    }

    func value(_ option: String?, _ variable: String) -> String? {
        if let option, !option.isEmpty { return option }
        if let value = environment[variable], !value.isEmpty { return value }
        return nil
    }
}
