/// A small typed writer for the elements a page repeats hundreds of times (chart marks and ticks, table rows):
/// every attribute value and text goes through `escape`, so nothing a publisher or a plan file writes can break the
/// markup. The page around them is a Mustache template (`ReportTemplates`). Why both: swift-mustache looks every
/// `{{tag}}` up through dynamic casts and escapes character by character through a dictionary, which made the
/// report of 10,000 targets take 19 s on 2 cores (bench/report.py); the repeated rows written here, and the page
/// skeleton left to the template, take a fraction of that.
enum Markup {
    /// `text` with `&`, `<`, `>`, `"` and `'` replaced by entities (the set Mustache escapes).
    static func escape(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }) else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count + 16)
        for character in text.unicodeScalars {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.unicodeScalars.append(character)
            }
        }
        return result
    }

    /// Appends `<name a="v" …>` (or `<name … />` when `close` is true and there is no text), the escaped
    /// `text`, and the end tag.
    static func element(_ name: String, _ attributes: KeyValuePairs<String, String>, text: String? = nil, inner: String? = nil, into out: inout String) {
        out += "<"
        out += name
        for (key, value) in attributes {
            out += " "
            out += key
            out += "=\""
            out += escape(value)
            out += "\""
        }
        if text == nil && inner == nil {
            out += "/>"
            return
        }
        out += ">"
        if let text { out += escape(text) }
        if let inner { out += inner }
        out += "</"
        out += name
        out += ">"
    }
}
