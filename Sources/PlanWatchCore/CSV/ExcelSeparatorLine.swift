/// Excel's delimiter line: a file may start with `sep=;` (or `sep=,`, `sep=\t`, …) naming its delimiter, a line
/// Excel reads and hides. Recognises it at the start of `bytes`, after an optional UTF-8 byte order mark: `sep=`
/// (any case), one ASCII byte other than a quote or line break, then `\n` or `\r\n`. Returns the delimiter and the
/// bytes to skip (mark, line and line end); read the rest with `CSVReader(delimiter:firstLine: 2)`, so the header
/// stays row 1, as Excel numbers it, on file line 2. Nil otherwise, also when `bytes` ends before the line does.
public func excelSeparatorLine(_ bytes: UnsafeRawBufferPointer) -> (delimiter: UInt8, length: Int)? {
    var i = 0
    if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { i = 3 }
    for expected in "sep=".utf8 {
        guard i < bytes.count, bytes[i] | 0x20 == expected | 0x20 else { return nil }
        i += 1
    }
    guard i < bytes.count else { return nil }
    let delimiter = bytes[i]
    guard delimiter < 0x80, delimiter != UInt8(ascii: "\""), delimiter != 0x0A, delimiter != 0x0D else { return nil }
    i += 1
    if i < bytes.count, bytes[i] == 0x0D { i += 1 }
    guard i < bytes.count, bytes[i] == 0x0A else { return nil }
    return (delimiter, i + 1)
}
