/// Text from a file made safe to print: C0 controls (tab and line breaks included), DEL and C1 controls become
/// visible escapes such as `\x1b`, so a cell cannot move the cursor, recolour the terminal or forge a report line.
/// Everything else (Chinese, emoji, other Unicode) is left as it is.
public func terminalSafe(_ text: String) -> String {
    guard text.unicodeScalars.contains(where: needsEscape) else { return text }
    var result = String.UnicodeScalarView()
    for scalar in text.unicodeScalars {
        guard needsEscape(scalar) else {
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

/// U+0000–U+001F, U+007F and U+0080–U+009F.
private func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
    scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
}
