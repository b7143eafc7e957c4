import Yams

/// Collects diagnostics while a configuration is read, so every problem is reported, not just the first.
final class DiagnosticSink {
    private(set) var diagnostics: [ConfigDiagnostic] = []

    func report(_ file: String, _ line: Int?, _ message: String) {
        diagnostics.append(ConfigDiagnostic(file: file, line: line, message: message))
    }
}

/// Reads one YAML mapping strictly: typed accessors report wrong types and missing keys with file and line, and
/// `finish()` reports every key nobody asked for, with the closest allowed key.
struct YAMLMapping {
    let file: String
    let line: Int?
    let what: String
    private let pairs: [(key: String, line: Int?, value: Node)]
    private let sink: DiagnosticSink
    private var used: Set<String> = []

    /// Wraps `node` as a mapping named `what` (e.g. `target 'x'`); reports and returns nil if it is not one.
    init?(_ node: Node, what: String, file: String, sink: DiagnosticSink) {
        self.file = file
        self.what = what
        self.sink = sink
        self.line = node.mark?.line
        guard let mapping = node.mapping else {
            sink.report(file, node.mark?.line, "\(what) must be a mapping of keys to values")
            return nil
        }
        var pairs: [(key: String, line: Int?, value: Node)] = []
        var seen: Set<String> = []
        for (key, value) in mapping {
            guard let name = key.scalar?.string else {
                sink.report(file, key.mark?.line, "\(what) has a key that is not a plain name")
                continue
            }
            if !seen.insert(name).inserted {
                sink.report(file, key.mark?.line, "\(what) has the key '\(name)' twice; keep one")
            }
            pairs.append((name, key.mark?.line, value))
        }
        self.pairs = pairs
    }

    /// The value of `key`, marking it as known.
    mutating func node(_ key: String) -> Node? {
        used.insert(key)
        return pairs.first { $0.key == key }?.value
    }

    /// The line of `key`'s value, or of the mapping.
    func lineOf(_ key: String) -> Int? {
        pairs.first { $0.key == key }?.value.mark?.line ?? line
    }

    /// The lines of those `keys` that are present.
    func keyLines(_ keys: [String]) -> [String: Int] {
        var lines: [String: Int] = [:]
        for pair in pairs where keys.contains(pair.key) {
            if let line = pair.value.mark?.line { lines[pair.key] = line }
        }
        return lines
    }

    func report(_ line: Int?, _ message: String) {
        sink.report(file, line ?? self.line, message)
    }

    mutating func has(_ key: String) -> Bool {
        used.insert(key)
        return pairs.contains { $0.key == key }
    }

    /// A string value; reports when required and missing, or when not a scalar.
    mutating func string(_ key: String, required: Bool = false) -> String? {
        guard let node = node(key) else {
            if required { report(line, "\(what) is missing the required key '\(key)'") }
            return nil
        }
        guard let scalar = node.scalar else {
            report(node.mark?.line, "'\(key)' of \(what) must be a single value")
            return nil
        }
        let text = scalar.string
        if required, text.isEmpty {
            report(node.mark?.line, "'\(key)' of \(what) must not be empty")
            return nil
        }
        return text
    }

    /// A number value.
    mutating func number(_ key: String, required: Bool = false) -> Double? {
        guard let text = string(key, required: required) else { return nil }
        guard let value = Double(text), value.isFinite else {
            report(lineOf(key), "'\(key)' of \(what) must be a number, not '\(text)'")
            return nil
        }
        return value
    }

    /// A value from a fixed set, reporting the allowed values otherwise.
    mutating func choice<T: RawRepresentable & CaseIterable>(_ key: String, required: Bool = false) -> T?
    where T.RawValue == String {
        guard let text = string(key, required: required) else { return nil }
        if let value = T(rawValue: text) { return value }
        let allowed = T.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", ")
        report(lineOf(key), "'\(key)' of \(what) is '\(text)'; use one of \(allowed)")
        return nil
    }

    /// A period (`2025`, `2025-Q4`, `2025-12`).
    mutating func period(_ key: String, required: Bool = false) -> Period? {
        guard let text = string(key, required: required) else { return nil }
        guard let period = Period(parsing: text) else {
            report(lineOf(key), "'\(key)' of \(what) is '\(text)', not a period; write 2025, 2025-Q4 or 2025-12")
            return nil
        }
        return period
    }

    /// A duration (`P6M`, `P30D`, `5m`).
    mutating func duration(_ key: String, required: Bool = false) -> CalendarDuration? {
        guard let text = string(key, required: required) else { return nil }
        guard let duration = CalendarDuration(parsing: text) else {
            report(lineOf(key), "'\(key)' of \(what) is '\(text)', not a duration; write e.g. P6M, P30D or PT5M")
            return nil
        }
        return duration
    }

    /// A list of strings (a single string counts as a list of one).
    mutating func strings(_ key: String, required: Bool = false) -> [String]? {
        guard let node = node(key) else {
            if required { report(line, "\(what) is missing the required key '\(key)'") }
            return nil
        }
        if let scalar = node.scalar { return [scalar.string] }
        guard let sequence = node.sequence else {
            report(node.mark?.line, "'\(key)' of \(what) must be a list")
            return nil
        }
        var result: [String] = []
        for item in sequence {
            guard let scalar = item.scalar else {
                report(item.mark?.line, "every item of '\(key)' of \(what) must be a single value")
                continue
            }
            result.append(scalar.string)
        }
        return result
    }

    /// Reports every key that was not read, suggesting the closest known key.
    func finish() {
        for pair in pairs where !used.contains(pair.key) {
            let known = used.sorted()
            let suggestion = known.min {
                Catalog.editDistance(Array($0.unicodeScalars), Array(pair.key.unicodeScalars))
                    < Catalog.editDistance(Array($1.unicodeScalars), Array(pair.key.unicodeScalars))
            }
            var message = "\(what) has the unknown key '\(pair.key)'"
            if let suggestion,
                Catalog.editDistance(Array(suggestion.unicodeScalars), Array(pair.key.unicodeScalars)) <= 3
            {
                message += "; did you mean '\(suggestion)'?"
            } else {
                message += "; known keys: \(known.joined(separator: ", "))"
            }
            sink.report(file, pair.line, message)
        }
    }
}
