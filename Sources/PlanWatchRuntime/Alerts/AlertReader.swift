import Foundation
import PlanWatchCore

/// Reads the alert log and its rotated predecessors (`alerts.jsonl.N`, oldest first) and filters alerts.
public struct AlertReader: Sendable {
    public struct Filter: Sendable {
        public var since: String?
        public var severity: Severity?
        public var plan: String?
        public var target: String?
        public var region: String?

        public init(since: String? = nil, severity: Severity? = nil, plan: String? = nil, target: String? = nil, region: String? = nil) {
            self.since = since
            self.severity = severity
            self.plan = plan
            self.target = target
            self.region = region
        }

        /// Whether an alert passes: at or after `since` (a date or RFC 3339 time), at least `severity`, and
        /// matching plan, target and region.
        public func matches(_ alert: Alert) -> Bool {
            if let since, alert.time < since { return false }
            if let severity, alert.severity < severity { return false }
            if let plan, alert.plan != plan { return false }
            if let target, alert.target != target { return false }
            if let region, alert.region != region { return false }
            return true
        }
    }

    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// The log files, oldest first: `alerts.jsonl.9` … `alerts.jsonl.1`, then `alerts.jsonl`.
    public var files: [String] {
        let folder = (path as NSString).deletingLastPathComponent
        let base = (path as NSString).lastPathComponent
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        let rotated = names.compactMap { name -> (Int, String)? in
            guard name.hasPrefix(base + "."), let number = Int(name.dropFirst(base.count + 1)) else { return nil }
            return (number, folder + "/" + name)
        }.sorted { $0.0 > $1.0 }.map(\.1)
        return rotated + (FileManager.default.fileExists(atPath: path) ? [path] : [])
    }

    /// Every alert line that passes the filter, with its decoded alert, oldest first; lines that are not
    /// alerts are reported through `skipped`.
    public func read(_ filter: Filter, skipped: (String, Int) -> Void = { _, _ in }) -> [(line: String, alert: Alert)] {
        var result: [(line: String, alert: Alert)] = []
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else { continue }
            for (number, line) in data.split(separator: UInt8(ascii: "\n")).enumerated() {
                guard let alert = try? JSONDecoder().decode(Alert.self, from: Data(line)) else {
                    skipped(file, number + 1)
                    continue
                }
                if filter.matches(alert) { result.append((String(decoding: line, as: UTF8.self), alert)) }
            }
        }
        return result
    }

    /// A readable table row: time, severity, kind, subject, message.
    public static func row(_ alert: Alert) -> String {
        let subject = alert.target ?? alert.file ?? "-"
        return "\(alert.time)  \(alert.severity.rawValue.padding(8))  \(alert.kind.rawValue.padding(16))  \(terminalSafe(subject))  \(terminalSafe(alert.message))"
    }
}
