/// A number as people write it: integers without `.0`, others in the shortest form that reads back exactly.
public func formatNumber(_ value: Double) -> String {
    if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
    return String(value)
}

/// A number as JSON output carries it: at most 12 significant digits, so float noise such as
/// `1.0600000000000005` prints as `1.06`; integers without `.0`.
public func formatJSONNumber(_ value: Double) -> String {
    guard value.isFinite, value != 0 else { return formatNumber(value) }
    // The double nearest a 12-digit decimal prints back in at most 12 digits (doubles keep 15).
    let rounded = Double(String(format: "%.12g", value)) ?? value
    return formatNumber(rounded)
}

/// A count with its noun in agreement: `1 row`, `2 rows`, `0 rows`; `plural` for irregular nouns.
public func counted(_ count: Int, _ singular: String, _ plural: String? = nil) -> String {
    "\(count) \(count == 1 ? singular : plural ?? singular + "s")"
}

/// `text` as one sentence: ending in exactly one full stop (or its own `?`), never `..`.
public func sentence(_ text: String) -> String {
    var text = text
    while text.last == " " || text.last == "\n" { text.removeLast() }
    if text.last == "?" || text.last == "!" { return text }
    while text.hasSuffix(".") { text.removeLast() }
    return text + "."
}
