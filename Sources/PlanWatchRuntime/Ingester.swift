import Foundation
import PlanWatchCore
import PlanWatchStore

/// Ingests CSV files into the store: one pass to hash (a duplicate costs no parsing), one streaming pass that
/// parses, validates and writes every row inside a single transaction, committed only when the file is good
/// (or, with `on_bad_rows: skip`, for its good rows). The same path serves the CLI and the inbox.
public struct Ingester: Sendable {
    public let configuration: Configuration
    public let store: Store
    private let ids: CatalogIDs
    private let now: @Sendable () -> Date

    /// Records the catalogue in the store, so rows can refer to indicators and regions by id.
    public init(configuration: Configuration, store: Store, now: @escaping @Sendable () -> Date = { Date() }) throws(StoreError) {
        self.configuration = configuration
        self.store = store
        self.now = now
        ids = try store.sync(configuration.planSet.catalog)
    }

    /// Ingests (or with `dryRun`, validates) one file. File problems go in the report; a failing database throws.
    public func ingest(
        path: String, name: String? = nil, dryRun: Bool = false, interrupted: @escaping @Sendable () -> Bool = { false }
    ) throws(StoreError) -> IngestReport {
        let name = name ?? path
        var report = IngestReport(
            file: name, sha256: nil, size: nil, layout: nil, dryRun: dryRun, outcome: .rejected, counts: IngestCounts(),
            problems: [], problemCount: 0, duplicateOf: nil, series: [])
        let digest: (hex: String, size: Int64)
        do {
            digest = try FileBytes.sha256(path)
        } catch {
            report.problems = [IngestProblem(row: 0, line: 0, message: "\(error)")]
            report.problemCount = 1
            return report
        }
        report.sha256 = digest.hex
        report.size = digest.size
        if let earlier = try store.ingestedFile(sha256: digest.hex) {
            report.outcome = .duplicate
            report.duplicateOf = "\(earlier.name), ingested \(earlier.receivedAt)"
            if !dryRun {
                try store.recordUningested(
                    incoming(name, digest, layout: nil), outcome: "duplicate", counts: IngestCounts(), duplicateOf: earlier.id,
                    at: now())
            }
            return report
        }
        let policy = configuration.settings.onBadRows
        var parse = FileParse(catalog: configuration.planSet.catalog, interrupted: interrupted)
        let result = try store.ingest(incoming(name, digest, layout: "canonical"), ids: ids, at: now()) { writer in
            try parse.run(path: path, writer: writer)
            if parse.wasInterrupted { return (.rollback, parse.counts) }
            let keep = !dryRun && parse.problemCount == 0 || (!dryRun && policy == .skip && parse.fatal == nil && parse.counts.rows > parse.counts.badRows)
            return (keep ? .commit : .rollback, parse.counts)
        }
        report.layout = parse.layout
        report.counts = result.counts
        report.problems = parse.problems
        report.problemCount = parse.problemCount
        report.series = parse.series
        if parse.wasInterrupted {
            report.outcome = .interrupted
            return report
        }
        if let duplicate = result.duplicateOf {
            report.outcome = .duplicate
            report.duplicateOf = "\(duplicate.name), ingested \(duplicate.receivedAt)"
            return report
        }
        let good = parse.problemCount == 0 || (policy == .skip && parse.fatal == nil && parse.counts.rows > parse.counts.badRows)
        report.outcome = good ? .ingested : .rejected
        if !dryRun, report.outcome == .rejected {
            try store.recordUningested(
                incoming(name, digest, layout: parse.layout), outcome: "rejected", counts: parse.counts, duplicateOf: nil, at: now())
        }
        if !dryRun { try store.insert(dataAlerts(report, revisions: parse.revisions)) }
        return report
    }

    /// At most this many `value_revised` alerts per file; one more summarizes the rest.
    static let revisionAlertLimit = 100

    /// The data alerts a file raises (SPEC §6): rejected, rows rejected, unknown indicator or region, revisions.
    func dataAlerts(_ report: IngestReport, revisions: [(row: ObservationRow, old: Double)]) -> [Alert] {
        let time = rfc3339(now())
        let file = (report.file as NSString).lastPathComponent
        func alert(_ kind: AlertKind, _ severity: Severity, _ message: String) -> Alert {
            Alert(id: UUID().uuidString.lowercased(), time: time, severity: severity, kind: kind, file: file, message: message)
        }
        var alerts: [Alert] = []
        let first = report.problems.first.map { "; first: \($0.description)" } ?? ""
        if report.outcome == .rejected {
            alerts.append(alert(.fileRejected, .warning, "\(file) was rejected with \(report.problemCount) problem\(report.problemCount == 1 ? "" : "s"); nothing from it was stored\(first)"))
        } else if report.counts.badRows > 0 {
            alerts.append(alert(.rowsRejected, .warning, "\(file): \(report.counts.badRows) bad row\(report.counts.badRows == 1 ? "" : "s") skipped, the rest stored\(first)"))
        }
        let unknown = Set(report.problems.compactMap { problem -> String? in
            guard let value = problem.value, problem.message.hasPrefix("unknown indicator") || problem.message.hasPrefix("unknown region") else { return nil }
            return "\(problem.column ?? "?") '\(value)'"
        }).sorted()
        if !unknown.isEmpty {
            alerts.append(alert(.unknownReference, .warning, "\(file) names unknown indicators or regions: \(unknown.joined(separator: ", ")); add them to the catalogue as aliases or fix the file"))
        }
        for (row, old) in revisions {
            var revised = alert(.valueRevised, .info, "\(row.indicator) for \(row.region) in \(row.period) revised from \(formatForPeople(old)) to \(formatForPeople(row.value)) by \(file) row \(row.row)")
            revised.indicator = row.indicator
            revised.region = row.region
            revised.period = row.period.description
            revised.oldValue = old
            revised.newValue = row.value
            alerts.append(revised)
        }
        if report.counts.revised > revisions.count {
            alerts.append(alert(.valueRevised, .info, "\(file) revised \(report.counts.revised - revisions.count) more values; see observation_revision in the database"))
        }
        return alerts
    }

    private func incoming(_ name: String, _ digest: (hex: String, size: Int64), layout: String?) -> IncomingFile {
        IncomingFile(name: (name as NSString).lastPathComponent, sha256: digest.hex, size: digest.size, layout: layout ?? "unknown")
    }
}

/// The state of one streaming parse: the layout, counts, problems and per-series summary.
struct FileParse {
    let catalog: Catalog
    let interrupted: @Sendable () -> Bool
    /// Whether the parse stopped early because `interrupted` said so.
    var wasInterrupted = false
    var layout: String?
    var counts = IngestCounts()
    var problems: [IngestProblem] = []
    var problemCount = 0
    /// A problem that stopped the parse (broken CSV, bad header, not a text file).
    var fatal: IngestProblem?
    /// The first revisions made (for `value_revised` alerts); `counts.revised` counts them all.
    var revisions: [(row: ObservationRow, old: Double)] = []
    private var seriesIndex: [String: Int] = [:]
    private(set) var series: [IngestReport.Series] = []

    init(catalog: Catalog, interrupted: @escaping @Sendable () -> Bool = { false }) {
        self.catalog = catalog
        self.interrupted = interrupted
    }

    mutating func note(_ problem: IngestProblem) {
        problemCount += 1
        if problems.count < IngestReport.problemLimit { problems.append(problem) }
    }

    mutating func run(path: String, writer: ObservationWriter) throws {
        var reader = CSVReader()
        var canonical: CanonicalLayout?
        var sawHeader = false
        var firstChunk = true
        var stop = false
        let catalog = self.catalog
        do {
            try FileBytes.forEachChunk(path) { chunk in
                guard !stop else { return }
                if interrupted() {
                    wasInterrupted = true
                    stop = true
                    return
                }
                if firstChunk {
                    firstChunk = false
                    if let problem = FileParse.notText(chunk) {
                        fatal = problem
                        stop = true
                        return
                    }
                }
                try reader.feed(chunk) { record in
                    guard !stop else { return }
                    guard sawHeader else {
                        sawHeader = true
                        do throws(IngestFailure) {
                            canonical = try CanonicalLayout(header: record, catalog: catalog)
                            layout = "canonical"
                        } catch {
                            for problem in error.problems { note(problem) }
                            stop = true
                        }
                        return
                    }
                    try handle(record, layout: &canonical!, writer: writer)
                }
            }
            if !stop { try reader.finish { record in try handle(record, layout: &canonical!, writer: writer) } }
        } catch let error as CSVSyntaxError {
            fatal = IngestProblem(row: error.row, line: error.line, columnNumber: error.column, message: error.message)
        } catch let error as FileBytes.ReadError {
            fatal = IngestProblem(row: 0, line: 0, message: error.message)
        }
        if wasInterrupted { return }
        if let fatal { note(fatal) }
        if fatal == nil, problemCount == 0, !sawHeader {
            fatal = IngestProblem(row: 1, line: 1, message: "the file is empty; the first row must be the header indicator,region,period,value")
            note(fatal!)
        } else if fatal == nil, problemCount == 0, counts.rows == 0 {
            fatal = IngestProblem(row: 2, line: 2, message: "the file has a header but no data rows; nothing to store")
            note(fatal!)
        }
    }

    private mutating func handle(_ record: CSVRecord, layout: inout CanonicalLayout, writer: ObservationWriter) throws {
        counts.rows += 1
        switch layout.read(record) {
        case .missing:
            counts.missing += 1
        case .problems(let found):
            counts.badRows += 1
            for problem in found { note(problem) }
        case .observation(let row):
            switch try writer.put(row) {
            case .inserted: counts.inserted += 1
            case .unchanged: counts.unchanged += 1
            case .revised(let old):
                counts.revised += 1
                if revisions.count < Ingester.revisionAlertLimit { revisions.append((row, old)) }
            case .conflict(let first, let value):
                counts.badRows += 1
                let column = layout.valueHeader
                note(IngestProblem(
                    row: record.number, line: record.line, column: column.name, columnNumber: column.number,
                    value: formatNumber(row.value),
                    message: "\(row.indicator) \(row.region) \(row.period) is \(formatNumber(row.value)) here but \(formatNumber(value)) on row \(first); keep one of the two rows"))
                return
            }
            let key = row.indicator + "\u{1F}" + row.region
            if let index = seriesIndex[key] {
                series[index].rows += 1
                if let first = Period(parsing: series[index].first), row.period < first { series[index].first = row.period.description }
                if let last = Period(parsing: series[index].last), row.period > last { series[index].last = row.period.description }
            } else {
                seriesIndex[key] = series.count
                series.append(.init(indicator: row.indicator, region: row.region, rows: 1, first: row.period.description, last: row.period.description))
            }
        }
    }

    /// A problem when the bytes are plainly not CSV text: UTF-16, or binary with NUL bytes.
    static func notText(_ chunk: UnsafeRawBufferPointer) -> IngestProblem? {
        if chunk.count >= 2, (chunk[0] == 0xFF && chunk[1] == 0xFE) || (chunk[0] == 0xFE && chunk[1] == 0xFF) {
            return IngestProblem(row: 1, line: 1, message: "the file is UTF-16 encoded; save it as CSV UTF-8")
        }
        if chunk.prefix(65_536).contains(0) {
            return IngestProblem(row: 1, line: 1, message: "the file contains NUL bytes, so it is not a CSV text file (is it a spreadsheet or an archive? export it as CSV)")
        }
        return nil
    }
}
