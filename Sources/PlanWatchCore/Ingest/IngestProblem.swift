import Foundation

/// One problem with one row (or the header) of an input file: where it is, the value, what is wrong, the fix.
public struct IngestProblem: Error, Hashable, Sendable, Codable, CustomStringConvertible {
    /// The record number, header = 1 (a spreadsheet's row number).
    public var row: Int
    /// The physical line the row starts on.
    public var line: Int
    /// The column's header name, when the problem is in one column.
    public var column: String?
    /// The 1-based column number.
    public var columnNumber: Int?
    /// The offending value, as read.
    public var value: String?
    public var message: String
    /// The closest known names, for an unknown indicator or region.
    public var suggestions: [String]
    /// What the row names that the catalogue does not know, when that is the problem: the data alerts name
    /// unknown references by this, never by reading the message. Not part of the stored reports.
    public var unknown: UnknownReference?

    /// A name the catalogue does not know.
    public enum UnknownReference: String, Sendable, Hashable {
        case indicator, region
    }

    public init(
        row: Int, line: Int, column: String? = nil, columnNumber: Int? = nil, value: String? = nil,
        message: String, suggestions: [String] = [], unknown: UnknownReference? = nil
    ) {
        self.row = row
        self.line = line
        self.column = column
        self.columnNumber = columnNumber
        self.value = value.map(IngestProblem.shorten)
        self.message = IngestProblem.shortenQuoted(message, value)
        self.suggestions = suggestions
        self.unknown = unknown
    }

    /// Values longer than this are quoted by their start and length only.
    static let quoteLimit = 120

    static func shorten(_ value: String) -> String {
        guard value.utf8.count > quoteLimit else { return value }
        return String(value.prefix(60)) + "… (\(value.utf8.count) bytes)"
    }

    /// The message with a quoted over-long value shortened the same way.
    static func shortenQuoted(_ message: String, _ value: String?) -> String {
        guard let value, value.utf8.count > quoteLimit else { return message }
        return message.replacingOccurrences(of: "'\(value)'", with: "'\(shorten(value))'")
    }

    enum CodingKeys: String, CodingKey {
        case row, line, column
        case columnNumber = "column_number"
        case value, message, suggestions
    }

    /// A problem of the whole file (row 0: it cannot be opened, it changed while read) has no row or line:
    /// JSON says `null` for both rather than a row 0 no spreadsheet has.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        let wholeFile = row == 0 && columnNumber == nil
        try container.encode(wholeFile ? nil : row, forKey: .row)
        try container.encode(wholeFile ? nil : line, forKey: .line)
        try container.encodeIfPresent(column, forKey: .column)
        try container.encodeIfPresent(columnNumber, forKey: .columnNumber)
        try container.encodeIfPresent(value, forKey: .value)
        try container.encode(message, forKey: .message)
        try container.encode(suggestions, forKey: .suggestions)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        row = try container.decodeIfPresent(Int.self, forKey: .row) ?? 0
        line = try container.decodeIfPresent(Int.self, forKey: .line) ?? 0
        column = try container.decodeIfPresent(String.self, forKey: .column)
        columnNumber = try container.decodeIfPresent(Int.self, forKey: .columnNumber)
        value = try container.decodeIfPresent(String.self, forKey: .value)
        message = try container.decode(String.self, forKey: .message)
        suggestions = try container.decodeIfPresent([String].self, forKey: .suggestions) ?? []
    }

    /// `row 3, column 4 'value': "abc" is not a number; …`. Text from the file (the column name, the value quoted
    /// in the message, suggestions) is passed through `terminalSafe`, so a report never carries a cell's escapes.
    public var description: String {
        // Row 0 is the file as a whole (it cannot be opened, it changed while read): no row to name.
        if row == 0, columnNumber == nil {
            return terminalSafe(message) + (suggestions.isEmpty ? "" : "; did you mean " + suggestions.map { "'\(terminalSafe($0))'" }.joined(separator: " or ") + "?")
        }
        var text = "row \(row)"
        if line != row { text += " (line \(line))" }
        if let columnNumber {
            text += ", column \(columnNumber)"
            if let column { text += " '\(terminalSafe(column))'" }
        }
        text += ": " + terminalSafe(message)
        if !suggestions.isEmpty {
            text += "; did you mean " + suggestions.map { "'\(terminalSafe($0))'" }.joined(separator: " or ") + "?"
        }
        return text
    }
}
