import Foundation
import PlanWatchCore
import PlanWatchSetup
import PlanWatchHTTP

/// journald's native protocol (a datagram of `FIELD=value` lines to `/run/systemd/journal/socket`), so every alert
/// arrives with fields to filter on: `journalctl -u planwatch PLANWATCH_TARGET=anhui-urbanization-1pp`, `-p warning`.
/// Written by hand (a few lines, no libsystemd), like the notify socket. Used when the service's standard error is
/// the journal (`$JOURNAL_STREAM`) and the socket is there; else alerts go to standard error as `<N>` lines.
public enum Journal {
    static let socketPath = "/run/systemd/journal/socket"

    /// Whether alerts should go to the journal natively.
    public static var available: Bool {
        guard ProcessInfo.processInfo.environment["JOURNAL_STREAM"] != nil else { return false }
        var info = stat()
        return stat(socketPath, &info) == 0 && (info.st_mode & S_IFMT) == S_IFSOCK
    }

    /// The datagram for `fields`: `NAME=value\n`, or for a value holding a newline `NAME\n`, its length as 64-bit
    /// little-endian, the bytes and `\n` (journald's binary-safe form).
    public static func encode(_ fields: [(String, String)]) -> [UInt8] {
        var bytes: [UInt8] = []
        for (name, value) in fields {
            let data = Array(value.utf8)
            if data.contains(0x0A) {
                bytes += Array(name.utf8) + [0x0A]
                var length = UInt64(data.count).littleEndian
                withUnsafeBytes(of: &length) { bytes += $0 }
                bytes += data + [0x0A]
            } else {
                bytes += Array(name.utf8) + [0x3D] + data + [0x0A]
            }
        }
        return bytes
    }

    /// The fields of an alert: its line as the message, its priority, and what it is about.
    public static func fields(_ alert: Alert) -> [(String, String)] {
        var line = alert.journalLine
        if line.hasPrefix("<"), let end = line.firstIndex(of: ">") { line = String(line[line.index(after: end)...]) }
        var fields: [(String, String)] = [
            ("MESSAGE", line), ("PRIORITY", String(alert.syslogPriority)), ("SYSLOG_IDENTIFIER", "planwatch"),
            ("PLANWATCH_ALERT_ID", alert.id), ("PLANWATCH_KIND", alert.kind.rawValue),
            ("PLANWATCH_SEVERITY", alert.severity.rawValue),
        ]
        for (name, value) in [
            ("PLANWATCH_PLAN", alert.plan), ("PLANWATCH_TARGET", alert.target),
            ("PLANWATCH_STATE", alert.state?.rawValue),
            ("PLANWATCH_PREVIOUS_STATE", alert.previousState?.rawValue), ("PLANWATCH_REGION", alert.region),
            ("PLANWATCH_INDICATOR", alert.indicator), ("PLANWATCH_FILE", alert.file),
            ("PLANWATCH_STALE", alert.stale.map { $0 ? "true" : "false" }),
        ] {
            if let value { fields.append((name, value)) }
        }
        return fields
    }

    /// Sends one entry; false when the journal did not take it (the caller then writes the `<N>` line).
    public static func send(_ fields: [(String, String)]) -> Bool {
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let path = Array(socketPath.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: path) }
        let datagram = encode(fields)
        let sent = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                datagram.withUnsafeBytes {
                    sendto(fd, $0.baseAddress, $0.count, 0, socketAddress, socklen_t(MemoryLayout<sockaddr_un>.size))
                }
            }
        }
        return sent == datagram.count
    }
}
