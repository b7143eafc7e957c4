import Foundation
import Logging
import PlanWatchCore
import PlanWatchSetup
import PlanWatchHTTP

/// Writes log records to standard error as one line each, prefixed with the syslog priority (`<3>` error,
/// `<4>` warning, …) so journald keeps the level; metadata follows as `key=value`.
public struct JournalLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    private let label: String

    public init(label: String) {
        self.label = label
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let priority: Int
        switch event.level {
        case .critical: priority = 2
        case .error: priority = 3
        case .warning: priority = 4
        case .notice: priority = 5
        case .info: priority = 6
        case .debug, .trace: priority = 7
        }
        var all = metadata
        if let extra = event.metadata { all.merge(extra) { $1 } }
        let suffix =
            all.isEmpty
            ? "" : " " + all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let lines = "\(event.message)\(suffix)".split(separator: "\n", omittingEmptySubsequences: false)
        // A message carries file names and cells: none of their control characters may reach a terminal raw.
        let text = lines.map { "<\(priority)>\(terminalSafe(String($0)))" }.joined(separator: "\n") + "\n"
        FileHandle.standardError.write(Data(text.utf8))
    }
}
