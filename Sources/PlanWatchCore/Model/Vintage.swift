/// When a value was published. Stored as text that sorts in time order: a date as `YYYY-MM-DD`, a time as
/// `YYYY-MM-DDTHH:MM:SS.sssZ` in UTC (a file's arrival). A date sorts before any time of that day.
public enum Vintage {
    /// A vintage as files write it, made canonical: `2024-09-30`; an RFC 3339 time (`2024-09-30T08:00:00+08:00`,
    /// to UTC); Eurostat's `LAST UPDATE` (`30/09/24 23:00:00`, `30/09/2024`); `2024-09-30 23:00:00` (UTC). Nil for
    /// anything else.
    public static func normalize(_ text: String) -> String? {
        let text = text.trimmingSpaces
        if text.utf8.count == 10, let date = CalendarDate(parsing: text) { return date.description }
        if let instant = Instant.parseRFC3339(text) ?? Instant.parseRFC3339(text.replacingSpaceTime() + "Z") {
            return time(instant)
        }
        // dd/mm/yy or dd/mm/yyyy, optionally with a time (Eurostat)
        let parts = text.split(separator: " ", maxSplits: 1)
        guard let first = parts.first else { return nil }
        let day = first.split(separator: "/")
        guard day.count == 3, let d = Int(day[0]), let m = Int(day[1]), var y = Int(day[2]) else { return nil }
        if day[2].count == 2 { y += 2000 }
        guard day[2].count == 2 || day[2].count == 4,
            let date = CalendarDate(parsing: String(format4(y)) + "-" + pad2(m) + "-" + pad2(d))
        else { return nil }
        guard parts.count == 2 else { return date.description }
        return Instant.parseRFC3339(date.description + "T" + parts[1] + "Z").map(time)
    }

    /// The vintage of an instant (seconds since 1970): `2026-12-01T18:15:59.000Z`.
    public static func time(_ instant: Double) -> String {
        let seconds = Int(instant.rounded(.down))
        let millis = Int(((instant - Double(seconds)) * 1000).rounded(.down))
        let day = CalendarDate(daysSinceEpoch: Int((Double(seconds) / 86_400).rounded(.down)))
        let rest = seconds - day.daysSinceEpoch * 86_400
        return "\(day)T\(pad2(rest / 3600)):\(pad2(rest / 60 % 60)):\(pad2(rest % 60)).\(String(repeating: "0", count: 3 - String(millis).count))\(millis)Z"
    }

    /// Whether a vintage was published on or before the end of `day` (for `--known-at`).
    public static func isKnown(_ vintage: String, at day: CalendarDate) -> Bool {
        vintage.prefix(10) <= day.description
    }
}

private func pad2(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
private func format4(_ value: Int) -> String { String(repeating: "0", count: max(0, 4 - String(value).count)) + String(value) }

extension String {
    /// `2024-09-30 23:00:00` → `2024-09-30T23:00:00`.
    fileprivate func replacingSpaceTime() -> String {
        guard utf8.count >= 19, let space = firstIndex(of: " ") else { return self }
        var copy = self
        copy.replaceSubrange(space...space, with: "T")
        return copy
    }
}
