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
        var utf8 = UTF8Validator()
        do {
            digest = try FileBytes.sha256(path) { utf8.feed($0) }
            utf8.finish()
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
        var parse = FileParse(catalog: configuration.planSet.catalog, mapping: configuration.planSet.mapping, interrupted: interrupted)
        let result = try store.ingest(incoming(name, digest, layout: nil), ids: ids, at: now()) { writer in
            try parse.run(path: path, utf8: utf8, ids: ids, writer: writer)
            if parse.wasInterrupted { return (.rollback, parse.counts) }
            let keep = !dryRun && parse.problemCount == 0 || (!dryRun && policy == .skip && parse.fatal == nil && parse.counts.rows > parse.counts.badRows)
            return (keep ? .commit : .rollback, parse.counts)
        }
        report.layout = parse.layout
        report.encoding = parse.encoding
        report.unmapped = parse.unmapped
        report.otherSeriesValues = parse.otherSeriesValues
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

