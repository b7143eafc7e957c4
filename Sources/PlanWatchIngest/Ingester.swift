import Foundation
import PlanWatchCore
import PlanWatchStore
import PlanWatchSetup

/// Ingests CSV files into the store: one pass to hash (a duplicate costs no parsing), one streaming pass that
/// parses, validates and writes every row inside a single transaction, committed only when the file is good
/// (or, with `on_bad_rows: skip`, for its good rows). The same path serves the CLI and the inbox.
public struct Ingester: Sendable {
    public let configuration: Configuration
    public let store: Store
    private let ids: CatalogIDs
    private let now: @Sendable () -> Date
    /// The vintage of values whose file states none (`ingest --vintage DATE`); nil: each file's arrival (for a
    /// fetched file, the vintage its source's rule gave it).
    public var vintage: String?
    /// The source whose reading (its `fetch:` mapping, its id as the values' source) every file gets
    /// (`ingest --source ID`); nil: a file `planwatch fetch` dropped gets its own source's, any other the plain one.
    public var source: String?
    /// The fetch that brought the file being ingested.
    private var fetched: FetchedFile?

    /// Records the catalogue in the store, so rows can refer to indicators and regions by id.
    public init(
        configuration: Configuration, store: Store, now: @escaping @Sendable () -> Date = { Date() }
    ) throws(StoreError) {
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
        let file: OpenedFile
        do {
            file = try OpenedFile(path: path, followLinks: true)
        } catch {
            var report = IngestReport.empty(name, dryRun: dryRun)
            report.problems = [IngestProblem(row: 0, line: 0, message: "\(error)")]
            report.problemCount = 1
            return report
        }
        defer { file.close() }
        guard file.status.isRegularFile else {
            var report = IngestReport.empty(name, dryRun: dryRun)
            report.problems = [
                IngestProblem(row: 0, line: 0, message: "\(path): not a regular file; give planwatch CSV files")
            ]
            report.problemCount = 1
            return report
        }
        return try ingest(file: file, name: name, dryRun: dryRun, interrupted: interrupted)
    }

    /// Ingests one opened file, reading only through its descriptor. With `fromInbox` (the daemon) the file row is
    /// stored as waiting for its move, a rejected file's reports are stored with it, and content this name already
    /// left pending before a crash is not ingested again: the report then says `resumed` and carries the row.
    public func ingest(
        file: OpenedFile, name: String, dryRun: Bool = false, fromInbox: Bool = false,
        interrupted: @escaping @Sendable () -> Bool = { false }
    ) throws(StoreError) -> IngestReport {
        // A file `planwatch fetch` dropped, or a member of one, is read as its source's, with its rule's vintage.
        var effective = self
        if source == nil, let fetched = try store.fetchedFile(named: (name as NSString).lastPathComponent) {
            effective.source = fetched.source
            effective.vintage = vintage ?? fetched.vintage
            effective.fetched = fetched
        }
        return try effective.ingestRead(
            file: file, name: name, dryRun: dryRun, fromInbox: fromInbox, interrupted: interrupted)
    }

    private func ingestRead(
        file: OpenedFile, name: String, dryRun: Bool, fromInbox: Bool, interrupted: @escaping @Sendable () -> Bool
    ) throws(StoreError) -> IngestReport {
        var report = IngestReport.empty(name, dryRun: dryRun)
        let digest: (hex: String, size: Int64)
        var utf8 = UTF8Validator()
        do {
            // `interrupted` is also the daemon's heartbeat: called once a chunk, here and on both sides of the parse.
            digest = try FileBytes.sha256(file, limit: configuration.settings.maxFileSize) {
                utf8.feed($0)
                _ = interrupted()
            }
            utf8.finish()
        } catch {
            report.problems = [IngestProblem(row: 0, line: 0, message: "\(error)")]
            report.problemCount = 1
            return report
        }
        report.sha256 = digest.hex
        report.size = digest.size
        if fromInbox {
            if let pending = try store.pendingFile(sha256: digest.hex, name: incoming(name, digest, layout: nil).name) {
                report.recordID = pending.id
                report.resumed = true
                report.outcome = IngestReport.Outcome(rawValue: pending.outcome) ?? .rejected
                report.storedReport = pending.reportJSON.map { ($0, pending.reportText ?? "") }
                return report
            }
            // A different file under a name left pending: the earlier one is gone from the inbox.
            for stale in try store.pendingFiles() where stale.name == incoming(name, digest, layout: nil).name {
                try store.finishMove(stale.id, movedTo: nil)
            }
        }
        if let changed = changedWhileRead(file, size: digest.size) {
            report.problems = [changed]
            report.problemCount = 1
            try recordRejected(&report, digest, counts: IngestCounts(), layout: nil, fromInbox: fromInbox)
            return report
        }
        if let earlier = try store.ingestedFile(sha256: digest.hex) {
            try recordDuplicate(&report, of: earlier, digest, fromInbox: fromInbox)
            return report
        }
        let policy = configuration.settings.onBadRows
        let reading = source.map { configuration.planSet.reading(for: $0) }
            ?? SourceReading(catalog: configuration.planSet.catalog, mapping: configuration.planSet.mapping)
        var parse = FileParse(
            catalog: reading.catalog, mapping: reading.mapping, contentLimit: configuration.settings.maxFileSize,
            interrupted: interrupted)
        var changed: IngestProblem?
        let result = try store.ingest(incoming(name, digest, layout: nil), ids: ids, at: now(), pendingMove: fromInbox)
        { writer in
            try parse.run(file: file, utf8: utf8, ids: ids, writer: writer)
            if parse.wasInterrupted { return (.rollback, parse.counts, []) }
            changed = changedWhileRead(file, size: digest.size)
            let good = changed == nil
                && (parse.problemCount == 0
                    || (policy == .skip && parse.fatal == nil && parse.counts.rows > parse.counts.badRows))
            guard good, !dryRun else { return (.rollback, parse.counts, []) }
            writer.layout = parse.layout
            let conflicts = try writer.sourceConflicts(tolerance: configuration.settings.sourceTolerance)
            var stored = report
            stored.outcome = .ingested
            stored.counts = parse.counts
            stored.problems = parse.problems
            stored.problemCount = parse.problemCount
            return (.commit, parse.counts, dataAlerts(stored, revisions: parse.revisions, conflicts: conflicts))
        }
        report.layout = parse.layout
        report.encoding = parse.encoding
        report.source = source
        if let source {
            let origin = fetched.map { "fetched from \($0.url) at \(Vintage.time($0.fetchedAt)); " } ?? ""
            let vintages =
                reading.mapping.overridesVintage ? "every value's vintage is " : "values that state no vintage carry "
            report.notes.append(
                "\(origin)read as source \(source)'s: its mapping, its id for values that name no source; \(vintages)\(vintage ?? "the file's arrival")"
            )
        }
        for conversion in parse.conversions {
            report.notes.append(
                "\(counted(conversion.count, "value")) of \(conversion.indicator) converted from '\(conversion.found)' to '\(conversion.unit)' (× \(formatJSONNumber(conversion.factor)))"
            )
        }
        if parse.unattributed > 0 {
            report.notes.append(
                "\(counted(parse.unattributed, "value")) name\(parse.unattributed == 1 ? "s" : "") no source: stored as 'unattributed', which ranks below every named source; add a source column (or source: in the mapping)"
            )
        }
        if result.counts.older > 0 {
            report.notes.append(
                "\(counted(result.counts.older, "value")) older than the stored vintage kept in history, not current")
        }
        report.unmapped = parse.unmapped
        report.otherSeriesValues = parse.otherSeriesValues
        report.counts = result.counts
        report.problems = parse.problems
        report.problemCount = parse.problemCount
        report.series = parse.series
        report.recordID = result.fileID
        if parse.wasInterrupted {
            report.outcome = .interrupted
            return report
        }
        if let duplicate = result.duplicateOf {
            // Another process ingested the same content meanwhile.
            try recordDuplicate(&report, of: duplicate, digest, fromInbox: fromInbox)
            return report
        }
        if let changed {
            report.problems = [changed] + report.problems
            report.problemCount += 1
        }
        let good =
            changed == nil
            && (parse.problemCount == 0
                || (policy == .skip && parse.fatal == nil && parse.counts.rows > parse.counts.badRows))
        report.outcome = good ? (dryRun ? .valid : .ingested) : (dryRun ? .invalid : .rejected)
        if !dryRun, report.outcome == .rejected {
            try recordRejected(&report, digest, counts: parse.counts, layout: parse.layout, fromInbox: fromInbox)
        }
        return report
    }

    /// Records a file whose content `earlier` already brought: nothing of it is stored.
    private func recordDuplicate(
        _ report: inout IngestReport, of earlier: FileRecord, _ digest: (hex: String, size: Int64), fromInbox: Bool
    ) throws(StoreError) {
        report.outcome = .duplicate
        report.duplicateOf = "\(earlier.name), ingested \(earlier.receivedAt)"
        guard !report.dryRun else { return }
        report.recordID = try store.recordUningested(
            incoming(report.file, digest, layout: nil), outcome: "duplicate", counts: IngestCounts(),
            duplicateOf: earlier.id,
            at: now(), pendingMove: fromInbox)
    }

    /// Records a rejected file with its data alerts (and, for the inbox, its reports) in one transaction.
    private func recordRejected(
        _ report: inout IngestReport, _ digest: (hex: String, size: Int64), counts: IngestCounts, layout: String?,
        fromInbox: Bool
    ) throws(StoreError) {
        report.outcome = .rejected
        guard !report.dryRun else { return }
        let stored: (json: String, text: String)? =
            fromInbox ? (String(decoding: report.jsonData(), as: UTF8.self), report.text) : nil
        report.recordID = try store.recordUningested(
            incoming(report.file, digest, layout: layout), outcome: "rejected", counts: counts, duplicateOf: nil,
            at: now(),
            alerts: dataAlerts(report, revisions: []), report: stored, pendingMove: fromInbox)
        report.storedReport = stored
    }

    /// A problem when the file is not what it was when opened: a writer still writing after renaming it in.
    private func changedWhileRead(_ file: OpenedFile, size: Int64) -> IngestProblem? {
        guard let now = file.current() else { return nil }
        let before = file.status
        guard now.size != before.size || size != before.size || now.modified != before.modified
            || now.modifiedNanoseconds != before.modifiedNanoseconds
        else { return nil }
        return IngestProblem(
            row: 0, line: 0,
            message:
                "the file changed while it was read (\(before.size) bytes when opened, \(now.size) now); write files elsewhere and rename them into the inbox only when complete, then drop it again"
        )
    }

    /// At most this many `value_revised` alerts per file; one more summarizes the rest.
    static let revisionAlertLimit = 100

    /// The data alerts a file raises (SPEC §6): rejected, rows rejected, unknown indicator or region, revisions.
    package func dataAlerts(
        _ report: IngestReport, revisions: [(row: ObservationRow, old: Double)],
        conflicts: [ObservationWriter.SourceConflict] = []
    ) -> [Alert] {
        let time = rfc3339(now())
        let file = (report.file as NSString).lastPathComponent
        func alert(_ kind: AlertKind, _ severity: Severity, _ message: String) -> Alert {
            Alert(
                id: UUID().uuidString.lowercased(), time: time, severity: severity, kind: kind, file: file,
                message: sentence(message))
        }
        var alerts: [Alert] = []
        let first = report.problems.first.map { "; first: \($0.description)" } ?? ""
        if report.outcome == .rejected {
            alerts.append(
                alert(
                    .fileRejected, .warning,
                    "\(file) was rejected with \(counted(report.problemCount, "problem")); nothing from it was stored\(first)"
                ))
        } else if report.counts.badRows > 0 {
            alerts.append(
                alert(
                    .rowsRejected, .warning,
                    "\(file): \(counted(report.counts.badRows, "bad row")) skipped, the rest stored\(first)"))
        }
        let unknown = Set(report.problems.compactMap { problem -> String? in
            guard let value = problem.value, problem.unknown != nil else { return nil }
            return "\(problem.column ?? "?") '\(value)'"
        }).sorted()
        if !unknown.isEmpty {
            alerts.append(
                alert(
                    .unknownReference, .warning,
                    "\(file) names unknown indicators or regions: \(unknown.joined(separator: ", ")); add them to the catalogue as aliases or fix the file"
                ))
        }
        for (row, old) in revisions {
            var revised = alert(
                .valueRevised, .info,
                "\(row.indicator) for \(row.region) in \(row.period) revised from \(formatForPeople(old)) to \(formatForPeople(row.value)) by \(file) row \(row.row)"
            )
            revised.indicator = row.indicator
            revised.region = row.region
            revised.period = row.period.description
            revised.oldValue = old
            revised.newValue = row.value
            alerts.append(revised)
        }
        let catalog = configuration.planSet.catalog
        for conflict in conflicts.prefix(Ingester.revisionAlertLimit) {
            let message = Ingester.conflictMessage(conflict, file: file, catalog: catalog)
            var raised = alert(.sourceConflict, .warning, message)
            raised.indicator = conflict.indicator
            raised.region = conflict.region
            raised.period = conflict.period.description
            // One other value is the alert's old value; several are listed in the message.
            raised.oldValue = conflict.others.count == 1 ? conflict.others[0].value : nil
            raised.newValue = conflict.value
            alerts.append(raised)
        }
        if conflicts.count > Ingester.revisionAlertLimit {
            alerts.append(
                alert(
                    .sourceConflict, .warning,
                    "\(file) disagrees with another source in \(counted(conflicts.count - Ingester.revisionAlertLimit, "more cell")); see the source_conflict table"
                ))
        }
        if report.counts.revised > revisions.count {
            alerts.append(
                alert(
                    .valueRevised, .info,
                    "\(file) revised \(counted(report.counts.revised - revisions.count, "more value")); see observation_revision in the database"
                ))
        }
        return alerts
    }

    /// Other sources' values a `source_conflict` message names; the rest are counted (`planwatch history` has all).
    static let conflictValuesListed = 10

    /// What a `source_conflict` alert says: this file's value for the cell, and the values it disagrees with.
    static func conflictMessage(
        _ conflict: ObservationWriter.SourceConflict, file: String, catalog: Catalog
    ) -> String {
        func apart(_ other: Double) -> String {
            formatForPeople(abs(conflict.value - other) / max(abs(conflict.value), abs(other)) * 100) + "% apart"
        }
        let cell = "\(conflict.indicator) for \(conflict.region) in \(conflict.period)"
        let this = "\(catalog.sourceName(conflict.source)) says \(formatForPeople(conflict.value)) (\(file))"
        let history = "(see planwatch history \(conflict.indicator) \(conflict.region))"
        if conflict.others.count == 1, let other = conflict.others.first {
            return "\(cell): \(this), \(catalog.sourceName(other.source)) says \(formatForPeople(other.value)), "
                + "\(apart(other.value)); evaluation uses the higher-ranked source \(history)"
        }
        var listed = conflict.others.prefix(conflictValuesListed).map { other in
            "\(catalog.sourceName(other.source)) says \(formatForPeople(other.value)) (\(apart(other.value)))"
        }
        if conflict.others.count > conflictValuesListed {
            listed.append("and \(conflict.others.count - conflictValuesListed) more")
        }
        return "\(cell): \(this) and \(conflict.others.count) other sources disagree: "
            + "\(listed.joined(separator: ", ")); evaluation uses the highest-ranked source \(history)"
    }

    private func incoming(_ name: String, _ digest: (hex: String, size: Int64), layout: String?) -> IncomingFile {
        IncomingFile(
            name: (name as NSString).lastPathComponent, sha256: digest.hex, size: digest.size,
            layout: layout ?? "unknown",
            vintage: vintage)
    }
}

