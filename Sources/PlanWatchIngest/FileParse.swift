import Foundation
import PlanWatchCore
import PlanWatchStore
import PlanWatchSetup

/// One file's ingest in two halves on two cores: a `FileReading` on its own thread parses and resolves rows into
/// batches on a bounded `ItemChannel`, while this side, on the thread that holds the transaction, stores them and
/// notes what storing found (new, unchanged, revised, conflicting values; the series summary; revisions). SQLite's
/// inserts and the parsing each take about as long, so overlapping them nearly halves an ingest's wall time.
struct FileParse {
    let catalog: Catalog
    let mapping: SourceMapping
    let interrupted: @Sendable () -> Bool
    /// The reading side's final state: layout, encoding, what stopped it, the untracked series.
    private(set) var reading: FileReading?
    /// Both sides' counts, and both sides' problems in row order.
    var counts = IngestCounts()
    var problems: [IngestProblem] = []
    var problemCount = 0
    /// The first revisions made (for `value_revised` alerts); `counts.revised` counts them all.
    var revisions: [(row: ObservationRow, old: Double)] = []
    private(set) var series: [IngestReport.Series] = []
    /// Values stored in series beyond the first `SeriesSummary.limit`.
    private(set) var otherSeriesValues = 0
    /// Values converted to their indicator's unit.
    var conversions: [FileReading.Conversion] { reading?.conversions ?? [] }
    /// Values stored without a named source.
    var unattributed: Int { reading?.unattributed ?? 0 }

    var layout: String? { reading?.layout }
    var encoding: String { reading?.encoding ?? "utf-8" }
    /// A problem that stopped the parse (broken CSV, unknown layout, bad encoding, not a text file).
    var fatal: IngestProblem? { reading?.fatal }
    /// Whether the parse stopped early because `interrupted` said so.
    var wasInterrupted: Bool { reading?.wasInterrupted ?? false }
    /// The series skipped as not tracked (`region 'ARB'`), the first ones.
    var unmapped: [String] { reading?.unmapped ?? [] }

    /// Items per batch handed across threads.
    static let batchSize = 4096

    /// How far a compressed file may expand (`ingest.max_file_size`).
    let contentLimit: Int64

    init(
        catalog: Catalog, mapping: SourceMapping = SourceMapping(), contentLimit: Int64 = 1 << 30,
        interrupted: @escaping @Sendable () -> Bool = { false }
    ) {
        self.catalog = catalog
        self.mapping = mapping
        self.contentLimit = contentLimit
        self.interrupted = interrupted
    }

    /// Reads the file on a second thread and stores what it holds through `writer` on this one. `ids` are the
    /// catalogue's database ids, which the reading side resolves names to.
    mutating func run(file: OpenedFile, utf8: UTF8Validator, ids: CatalogIDs, writer: ObservationWriter) throws {
        let channel = ItemChannel()
        let outcome = ReadingOutcome()
        let start = FileReading(
            catalog: catalog, mapping: mapping, ids: ids, contentLimit: contentLimit, interrupted: interrupted)
        let thread = Thread {
            var reading = start
            var batch = ItemBatch()
            batch.items.reserveCapacity(FileParse.batchSize)
            var open = true
            reading.run(file: file, utf8: utf8) { reading, item in
                if !reading.newSources.isEmpty {
                    batch.newSources.append(contentsOf: reading.newSources)
                    reading.newSources.removeAll()
                }
                if !reading.newVintages.isEmpty {
                    batch.newVintages.append(contentsOf: reading.newVintages)
                    reading.newVintages.removeAll()
                }
                batch.items.append(item)
                if batch.items.count == FileParse.batchSize {
                    open = channel.push(batch)
                    batch = ItemBatch()
                    batch.items.reserveCapacity(FileParse.batchSize)
                }
                return open
            }
            if open, !batch.items.isEmpty { _ = channel.push(batch) }
            outcome.reading = reading
            channel.finish()
        }
        thread.name = "planwatch-read"
        thread.stackSize = 8 << 20
        thread.start()
        var indicatorCodes: [Int64: String] = [:]
        for (code, id) in ids.indicators { indicatorCodes[id] = code }
        var regionCodes: [Int64: String] = [:]
        for (code, id) in ids.regions { regionCodes[id] = code }
        var sourceTexts: [String] = []
        var sourceIDs: [Int64] = []
        var vintageTexts: [String] = []
        var conflicts: [IngestProblem] = []
        var summary = SeriesSummary()
        /// The row as names again, for the rare paths (revisions, conflicts).
        func observation(_ row: PreparedRow) -> ObservationRow {
            ObservationRow(
                indicator: indicatorCodes[row.indicatorID] ?? "?", region: regionCodes[row.regionID] ?? "?",
                period: row.period,
                value: row.value, source: row.source >= 0 ? sourceTexts[Int(row.source)] : nil, note: row.note,
                vintage: row.vintage >= 0 ? vintageTexts[Int(row.vintage)] : nil,
                row: Int(row.row), columnNumber: row.columnNumber > 0 ? Int(row.columnNumber) : nil)
        }
        do {
            while let batch = channel.pop() {
                _ = interrupted()  // the heartbeat; the reading side acts on a stop
                vintageTexts.append(contentsOf: batch.newVintages)
                for text in batch.newSources {
                    sourceTexts.append(text)
                    sourceIDs.append(try writer.sourceID(text)!)
                    if writer.sourceNames.count < 50, !writer.sourceNames.contains(text) {
                        writer.sourceNames.append(text)
                    }
                }
                for item in batch.items {
                    switch item {
                    case .deletion(let key):
                        if try writer.delete(key) != nil { counts.deleted += 1 }
                    case .row(let row):
                        let vintage = row.vintage >= 0 ? vintageTexts[Int(row.vintage)] : nil
                        if writer.statedVintage == nil, let vintage { writer.statedVintage = vintage }
                        let outcome = try writer.put(
                            indicatorID: row.indicatorID, regionID: row.regionID, period: row.period, value: row.value,
                            source: sourceIDs[Int(row.source)], sourceText: sourceTexts[Int(row.source)],
                            vintage: vintage,
                            note: row.note, row: Int(row.row))
                        switch outcome {
                        case .inserted: counts.inserted += 1
                        case .unchanged: counts.unchanged += 1
                        case .older: counts.older += 1
                        case .revised(let old):
                            counts.revised += 1
                            if revisions.count < Ingester.revisionAlertLimit {
                                revisions.append((observation(row), old))
                            }
                        case .conflict(let first, let value):
                            let named = observation(row)
                            conflicts.append(IngestProblem(
                                row: named.row, line: Int(row.line), columnNumber: named.columnNumber,
                                value: formatNumber(row.value),
                                    message:
                                        "\(named.indicator) \(named.region) \(row.period) is \(formatNumber(row.value)) here but \(formatNumber(value)) on row \(first); keep one of the two rows"
                                ))
                            continue
                        }
                        summary.add(row)
                    }
                }
            }
        } catch {
            channel.cancel()
            channel.waitUntilFinished()
            throw error
        }
        channel.waitUntilFinished()
        let read = outcome.reading!
        self.reading = read
        counts.rows = read.counts.rows
        counts.missing = read.counts.missing
        counts.skipped = read.counts.skipped
        counts.badRows = read.counts.badRows + conflicts.count
        for index in conflicts.indices {
            conflicts[index].column = conflicts[index].columnNumber.flatMap { read.columnNames[$0] }
        }
        problemCount = read.problemCount + conflicts.count
        problems = Array(
            (read.problems + conflicts).sorted { ($0.row, $0.columnNumber ?? 0) < ($1.row, $1.columnNumber ?? 0) }
            .prefix(IngestReport.problemLimit))
        otherSeriesValues = summary.otherValues
        series = summary.series.map { item in
            IngestReport.Series(
                indicator: indicatorCodes[item.indicator] ?? "?", region: regionCodes[item.region] ?? "?",
                rows: item.rows,
                first: item.first, last: item.last)
        }
    }

    /// The report for bytes that are neither UTF-8 nor GB18030, naming the line and the field they are in.
    static func badEncoding(file: OpenedFile, offset: Int64, line: Int, delimiter: UInt8) -> IngestProblem {
        var column = 1
        do {
            let start = max(0, offset - 65_536)
            var bytes = [UInt8](repeating: 0, count: Int(offset - start))
            let count = bytes.withUnsafeMutableBytes { pread(file.fd, $0.baseAddress, $0.count, off_t(start)) }
            let before = bytes.prefix(max(0, count))
            let lineStart = before.lastIndex(of: 0x0A).map { $0 + 1 } ?? before.startIndex
            var quoted = false
            for byte in before[lineStart...] {
                if byte == UInt8(ascii: "\"") { quoted.toggle() }
                if byte == delimiter, !quoted { column += 1 }
            }
        }
        return IngestProblem(
            row: line, line: line, columnNumber: column,
            message:
                "the file is neither UTF-8 nor GB18030: invalid bytes at line \(line), byte offset \(offset); save it as CSV UTF-8"
        )
    }

    /// A problem when the bytes are plainly not CSV text: UTF-16, or binary with NUL bytes.
    static func notText(_ chunk: UnsafeRawBufferPointer) -> IngestProblem? {
        if chunk.count >= 2, (chunk[0] == 0xFF && chunk[1] == 0xFE) || (chunk[0] == 0xFE && chunk[1] == 0xFF) {
            return IngestProblem(row: 1, line: 1, message: "the file is UTF-16 encoded; save it as CSV UTF-8")
        }
        // UTF-16 without a byte-order mark: text in the Latin range has every other byte NUL.
        let sample = chunk.prefix(4096)
        if sample.count >= 8 {
            var zeros = [0, 0]
            for (index, byte) in sample.enumerated() where byte == 0 { zeros[index % 2] += 1 }
            let pairs = sample.count / 2
            for (slot, order) in [(1, "little-endian"), (0, "big-endian")]
            where zeros[slot] * 10 >= pairs * 9 && zeros[1 - slot] * 10 < pairs {
                return IngestProblem(
                    row: 1, line: 1,
                    message:
                        "the file is UTF-16 (\(order), without a byte-order mark), not UTF-8; save it as CSV UTF-8 (in Excel: Save As, then \"CSV UTF-8 (Comma delimited)\")"
                )
            }
        }
        if chunk.prefix(65_536).contains(0) {
            return IngestProblem(
                row: 1, line: 1,
                message:
                    "the file contains NUL bytes, so it is not a CSV text file (is it a spreadsheet or an archive? export it as CSV)"
            )
        }
        return nil
    }
}

/// Where the reading thread leaves its final state for the writing side (read after `ItemChannel.finish`).
final class ReadingOutcome: @unchecked Sendable {
    var reading: FileReading?
}

/// Values stored per series (indicator and region), with the first and last period, in order of appearance: the
/// first `limit` series itemized, the rest only counted, so memory does not grow with the file.
struct SeriesSummary {
    static let limit = 1000
    struct Item {
        var indicator: Int64
        var region: Int64
        var rows: Int
        var first: Period
        var last: Period
    }

    private struct Key: Hashable {
        var indicator: Int64
        var region: Int64
    }

    private(set) var series: [Item] = []
    /// Values in series beyond the itemized ones.
    private(set) var otherValues = 0
    private var index: [Key: Int] = [:]
    /// Files come sorted by series more often than not: the previous row's series first.
    private var last = -1

    mutating func add(_ row: PreparedRow) {
        var position = last
        if position < 0 || series[position].indicator != row.indicatorID || series[position].region != row.regionID {
            let key = Key(indicator: row.indicatorID, region: row.regionID)
            if let found = index[key] {
                position = found
            } else if series.count >= SeriesSummary.limit {
                otherValues += 1
                last = -1
                return
            } else {
                position = series.count
                index[key] = position
                series.append(
                    Item(indicator: row.indicatorID, region: row.regionID, rows: 0, first: row.period, last: row.period)
                )
            }
            last = position
        }
        series[position].rows += 1
        if row.period < series[position].first { series[position].first = row.period }
        if row.period > series[position].last { series[position].last = row.period }
    }
}
