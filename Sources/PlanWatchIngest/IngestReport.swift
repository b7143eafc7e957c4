import Foundation
import PlanWatchCore
import PlanWatchStore
import PlanWatchSetup

/// What ingesting one file did, for people (`text`) and programs (JSON, the same fields).
public struct IngestReport: Sendable, Codable {
    public enum Outcome: String, Sendable, Codable {
        case ingested, rejected, duplicate
        /// A dry run's verdicts: the file would be ingested (`valid`) or rejected (`invalid`); nothing was stored.
        case valid, invalid
        /// Stopped before the end (the daemon is shutting down); rolled back, nothing stored, the file untouched.
        case interrupted
    }

    /// What one series in the file amounts to (for `--dry-run`).
    public struct Series: Sendable, Codable, Equatable {
        public var indicator: String
        public var region: String
        public var rows: Int
        public var first: String
        public var last: String
        var firstPeriod: Period
        var lastPeriod: Period

        init(indicator: String, region: String, rows: Int, first: Period, last: Period) {
            self.indicator = indicator
            self.region = region
            self.rows = rows
            self.first = first.description
            self.last = last.description
            firstPeriod = first
            lastPeriod = last
        }

        enum CodingKeys: String, CodingKey {
            case indicator, region, rows, first, last
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            indicator = try container.decode(String.self, forKey: .indicator)
            region = try container.decode(String.self, forKey: .region)
            rows = try container.decode(Int.self, forKey: .rows)
            first = try container.decode(String.self, forKey: .first)
            last = try container.decode(String.self, forKey: .last)
            firstPeriod = Period(parsing: first) ?? Period(year: 1000)
            lastPeriod = Period(parsing: last) ?? Period(year: 1000)
        }

        public static func == (lhs: Series, rhs: Series) -> Bool {
            (lhs.indicator, lhs.region, lhs.rows, lhs.first, lhs.last) == (
                rhs.indicator, rhs.region, rhs.rows, rhs.first, rhs.last
            )
        }
    }

    public var file: String
    public var sha256: String?
    public var size: Int64?
    public var layout: String?
    /// `utf-8` or `gb18030`, as detected (or set in the mapping).
    public var encoding: String?
    public var dryRun: Bool
    public var outcome: Outcome
    public var counts: IngestCounts
    /// The first problems found (at most `IngestReport.problemLimit`); `problemCount` counts them all.
    public var problems: [IngestProblem]
    public var problemCount: Int
    /// For a duplicate: the earlier file with the same content.
    public var duplicateOf: String?
    public var series: [Series]
    /// Series skipped because the catalogue does not track them (`region 'ARB'`), the first 20.
    public var unmapped: [String] = []
    /// Values stored in series beyond the first 1,000 listed in `series`.
    public var otherSeriesValues = 0
    /// What was done to values on the way in, one sentence each: unit conversions, older vintages kept in history.
    public var notes: [String] = []
    /// The source whose reading the file got: the one `planwatch fetch` brought it for, or `ingest --source`.
    public var source: String?

    public static let problemLimit = 1000

    /// The `ingested_file` row this report was recorded as (not part of the JSON).
    public var recordID: Int64? = nil
    /// Set when the daemon found this content already recorded under this name but not yet moved (a crash came
    /// in between): nothing was ingested or recorded again, only the move is left.
    public var resumed = false
    /// For a rejected inbox file: the JSON and text reports as stored with its row, written beside it.
    public var storedReport: (json: String, text: String)? = nil

    /// A report with nothing found yet.
    public static func empty(_ name: String, dryRun: Bool) -> IngestReport {
        IngestReport(
            file: name, sha256: nil, size: nil, layout: nil, dryRun: dryRun, outcome: .rejected, counts: IngestCounts(),
            problems: [], problemCount: 0, duplicateOf: nil, series: [])
    }

    /// The report as pretty JSON with sorted keys (`NAME.errors.json`, `ingest --json`).
    public func jsonData() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)) ?? Data("{}".utf8)
    }

    enum CodingKeys: String, CodingKey {
        case file, sha256, size, layout, encoding
        case dryRun = "dry_run"
        case outcome, counts, problems
        case problemCount = "problem_count"
        case duplicateOf = "duplicate_of"
        case series, unmapped, notes, source
        case otherSeriesValues = "other_series_values"
    }

    /// `[layout]`, or `[layout, gb18030]` for a file that was not UTF-8.
    private var tag: String {
        guard let layout else { return "" }
        return encoding == nil || encoding == "utf-8" ? " [\(layout)]" : " [\(layout), \(encoding!)]"
    }

    /// A summary line, then one line per problem.
    public var text: String {
        let file = terminalSafe(self.file)
        let verb: String
        switch (outcome, dryRun) {
        case (.ingested, _): verb = "ingested"
        case (.valid, _): verb = "valid (dry run, nothing stored); would store"
        case (.rejected, _): verb = "rejected"
        case (.invalid, _): verb = "would be rejected"
        case (.duplicate, _): verb = "duplicate"
        case (.interrupted, _): verb = "interrupted"
        }
        var lines: [String] = []
        switch outcome {
        case .duplicate:
            lines.append("\(file): duplicate of \(duplicateOf ?? "an earlier file") (same SHA-256); nothing stored")
        case .ingested, .valid:
            let stored = counts.inserted + counts.revised
            let observations = counts.inserted + counts.revised + counts.unchanged
            var parts = [
                "\(counts.inserted) new", "\(counts.revised) revised", "\(counts.unchanged) unchanged",
                counted(counts.missing, "missing value"),
            ]
            if counts.deleted > 0 { parts.append("\(counts.deleted) deleted") }
            if counts.older > 0 { parts.append("\(counts.older) of an older vintage") }
            if counts.skipped > 0 { parts.append("\(counts.skipped) untracked skipped") }
            if counts.badRows > 0 { parts.append(counted(counts.badRows, "bad row") + " skipped") }
            let what = observations == counts.rows || layout == "canonical"
                ? "\(stored) of \(counts.rows) row\(counts.rows == 1 ? "" : "s")"
                : "\(stored) value\(stored == 1 ? "" : "s") from \(counts.rows) row\(counts.rows == 1 ? "" : "s")"
            lines.append("\(file): \(verb) \(what) (\(parts.joined(separator: ", ")))\(tag)")
        case .interrupted:
            lines.append("\(file): interrupted; rolled back, nothing stored; it will be ingested again")
        case .rejected, .invalid:
            lines.append(
                "\(file): \(verb): \(problemCount) problem\(problemCount == 1 ? "" : "s"), nothing stored\(tag)")
        }
        if !unmapped.isEmpty, outcome == .ingested || outcome == .valid {
            lines.append(
                "  not tracked, skipped: \(unmapped.joined(separator: ", "))\(counts.skipped > unmapped.count && unmapped.count == 20 ? ", …" : "")"
            )
        }
        if outcome == .ingested || outcome == .valid {
            for note in notes { lines.append("  " + note) }
        }
        if outcome == .valid {
            for series in series {
                let periods = series.first == series.last ? series.first : "\(series.first)–\(series.last)"
                lines.append(
                    "  \(series.indicator) \(series.region): \(series.rows) row\(series.rows == 1 ? "" : "s"), \(periods)"
                )
            }
            if otherSeriesValues > 0 {
                lines.append("  … and \(counted(otherSeriesValues, "value")) in further series")
            }
        }
        for problem in problems { lines.append("  " + problem.description) }
        if problemCount > problems.count {
            lines.append(
                "  … and \(problemCount - problems.count) more problem\(problemCount - problems.count == 1 ? "" : "s")")
        }
        return lines.joined(separator: "\n")
    }
}
