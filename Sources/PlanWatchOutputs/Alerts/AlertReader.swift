import Foundation
import PlanWatchCore
import PlanWatchStore
import PlanWatchSetup
import PlanWatchIngest
import PlanWatchHTTP

/// Reads the alert log and its rotated predecessors, whatever logrotate named them (`alerts.jsonl.1`,
/// `alerts.jsonl-20261201`, either of them `.gz`), in time order, and filters alerts.
public struct AlertReader: Sendable {
    public struct Filter: Sendable {
        /// At or after this instant (seconds since 1970), compared as instants, not as text.
        public var since: Double?
        public var severity: Severity?
        public var plan: String?
        public var target: String?
        /// A region code (names and aliases are resolved by the caller).
        public var region: String?

        public init(
            since: Double? = nil, severity: Severity? = nil, plan: String? = nil, target: String? = nil,
            region: String? = nil
        ) {
            self.since = since
            self.severity = severity
            self.plan = plan
            self.target = target
            self.region = region
        }

        /// Whether an alert passes: at or after `since`, at least `severity`, and matching plan, target and region.
        public func matches(_ alert: Alert) -> Bool {
            if let since {
                guard let time = Instant.parseRFC3339(alert.time), time >= since else { return false }
            }
            if let severity, alert.severity < severity { return false }
            if let plan, alert.plan != plan { return false }
            if let target, alert.target != target { return false }
            if let region, alert.region != region { return false }
            return true
        }
    }

    /// A log file that exists but cannot be read: named with the reason, never reported as "no log".
    public struct Unreadable: Error, CustomStringConvertible {
        public var file: String
        public var reason: String
        /// A whole sentence instead (a permission problem, said with the group to join).
        public var sentence: String?
        public var description: String { sentence ?? "cannot read the alert log \(file): \(reason)" }
    }

    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// The log's files: the current one and every rotated one beside it (`NAME.N`, `NAME-DATE`, `NAME.N.gz`,
    /// `NAME-DATE.gz`), unordered. Other names beside it (`NAME.bak`, `NAME.1.tmp`) are not logs.
    public var files: [String] {
        let folder = (path as NSString).deletingLastPathComponent
        let base = (path as NSString).lastPathComponent
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { $0 == base || AlertReader.isRotated($0, of: base) }.map { folder + "/" + $0 }
    }

    /// `alerts.jsonl.3`, `alerts.jsonl-20261201`, `alerts.jsonl-2026-12-01`, `alerts.jsonl-20261201.gz`, `….1.gz`.
    static func isRotated(_ name: String, of base: String) -> Bool {
        guard name.hasPrefix(base), name.count > base.count else { return false }
        var suffix = Substring(name.dropFirst(base.count))
        if suffix.hasSuffix(".gz") { suffix = suffix.dropLast(3) }
        guard let mark = suffix.first, mark == "." || mark == "-" else { return false }
        let rest = suffix.dropFirst()
        return !rest.isEmpty && rest.allSatisfy { ($0.isASCII && $0.isNumber) || $0 == "-" || $0 == "_" }
    }

    /// The content of one log file, decompressed when it is gzip.
    static func contents(of file: String) throws(Unreadable) -> Data {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: file))
        } catch {
            let reason = access(file, R_OK) != 0 ? String(cString: strerror(errno)) : "\(error)"
            throw Unreadable(file: file, reason: reason + "; run as a member of the log's group, or with sudo")
        }
        guard data.starts(with: [0x1F, 0x8B]) else { return data }
        do {
            return try GzipDecoder.decompress(data)
        } catch {
            throw Unreadable(file: file, reason: "\(error)")
        }
    }

    /// Every alert line that passes the filter, with its decoded alert, oldest first: the files in the order of
    /// their first alert's time (so any rotation naming works), lines within a file as written. Lines that are
    /// not alerts are reported through `skipped`.
    public func read(
        _ filter: Filter, skipped: (String, Int) -> Void = { _, _ in }
    ) throws(Unreadable) -> [(line: String, alert: Alert)] {
        var logs: [(first: Double, file: String, alerts: [(line: String, alert: Alert)])] = []
        let decoder = JSONDecoder()
        // A log (or its folder) this user may not read is said as such, not taken for "no alert log yet".
        let folder = (path as NSString).deletingLastPathComponent
        for file in [path] + files {
            if let problem = FileAccess.denied(file) {
                throw Unreadable(file: file, reason: "permission denied", sentence: problem)
            }
        }
        if access(folder, R_OK) != 0, errno == EACCES, let problem = FileAccess.denied(folder) {
            throw Unreadable(file: folder, reason: "permission denied", sentence: problem)
        }
        for file in files {
            let data = try AlertReader.contents(of: file)
            var alerts: [(line: String, alert: Alert)] = []
            var first = Double.infinity
            for (number, line) in data.split(separator: UInt8(ascii: "\n")).enumerated() {
                guard let alert = try? decoder.decode(Alert.self, from: Data(line)) else {
                    skipped(file, number + 1)
                    continue
                }
                if first == .infinity, let time = Instant.parseRFC3339(alert.time) { first = time }
                if filter.matches(alert) { alerts.append((String(decoding: line, as: UTF8.self), alert)) }
            }
            logs.append((first, file, alerts))
        }
        // The current file last when it is empty; ties by name so the order is the same every time.
        logs.sort { ($0.first, $0.file == path ? 1 : 0, $0.file) < ($1.first, $1.file == path ? 1 : 0, $1.file) }
        return logs.flatMap(\.alerts)
    }

    /// A readable table row: time, severity, kind, subject, message.
    public static func row(_ alert: Alert) -> String {
        let subject = alert.target ?? alert.file ?? "-"
        return
            "\(alert.time)  \(alert.severity.rawValue.padding(8))  \(alert.kind.rawValue.padding(16))  \(terminalSafe(subject))  \(terminalSafe(alert.message))"
    }
}
