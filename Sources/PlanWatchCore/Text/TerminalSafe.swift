/// Text from a file made safe to print: C0 controls (tab and line breaks included), DEL and C1 controls become
/// visible escapes such as `\x1b`, so a cell cannot move the cursor, recolour the terminal or forge a report line.
/// Everything else (Chinese, emoji, other Unicode) is left as it is.
public func terminalSafe(_ text: String) -> String {
    escaping(text) { needsEscape($0) }
}

/// A whole output of several lines made safe to print: as `terminalSafe`, but `\n` stays. For the last line of
/// defence where a command writes; the fields from outside that could forge a line are escaped with
/// `terminalSafe` where they are put in.
public func terminalSafeLines(_ text: String) -> String {
    escaping(text) { needsEscape($0) && $0 != "\n" }
}

private func escaping(_ text: String, _ escaped: (Unicode.Scalar) -> Bool) -> String {
    guard text.unicodeScalars.contains(where: escaped) else { return text }
    var result = String.UnicodeScalarView()
    for scalar in text.unicodeScalars {
        guard escaped(scalar) else {
            result.append(scalar)
            continue
        }
        let hex = String(scalar.value, radix: 16)
        result.append(contentsOf: "\\x".unicodeScalars)
        if hex.count < 2 { result.append("0") }
        result.append(contentsOf: hex.unicodeScalars)
    }
    return String(result)
}

/// JSON text safe to print: DEL and the C1 controls, which JSON leaves raw inside strings and a terminal may obey
/// (U+009B is CSI), written as `\u00XX` escapes; the JSON means the same. C0 controls are escaped by every JSON
/// writer already, and DEL and C1 can only stand inside strings, so nothing else changes.
public func terminalSafeJSON(_ json: String) -> String {
    let escaped = { (scalar: Unicode.Scalar) in (0x7F...0x9F).contains(scalar.value) }
    guard json.unicodeScalars.contains(where: escaped) else { return json }
    var result = String.UnicodeScalarView()
    for scalar in json.unicodeScalars {
        if escaped(scalar) {
            result.append(contentsOf: "\\u00\(String(scalar.value, radix: 16))".unicodeScalars)
        } else {
            result.append(scalar)
        }
    }
    return String(result)
}

/// U+0000–U+001F, U+007F and U+0080–U+009F.
private func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
    scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
}
