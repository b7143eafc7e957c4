import Foundation
import PlanWatchCore
import PlanWatchStore

/// The state of one streaming parse of one file: encoding, separator and layout as detected, counts, problems,
/// the series summary and the revisions made.
struct FileParse {
    let catalog: Catalog
    let mapping: SourceMapping
    let interrupted: @Sendable () -> Bool
    var layout: String?
    var encoding = "utf-8"
    var counts = IngestCounts()
    var problems: [IngestProblem] = []
    var problemCount = 0
    /// A problem that stopped the parse (broken CSV, unknown layout, bad encoding, not a text file).
    var fatal: IngestProblem?
    /// Whether the parse stopped early because `interrupted` said so.
    var wasInterrupted = false
    /// The first revisions made (for `value_revised` alerts); `counts.revised` counts them all.
    var revisions: [(row: ObservationRow, old: Double)] = []
    /// The series skipped as not tracked (`region 'ARB'`), the first ones.
    private(set) var unmapped: [String] = []
    private var unmappedSeen: Set<String> = []
    private var seriesIndex: [String: Int] = [:]
    private(set) var series: [IngestReport.Series] = []
    /// The series of the previous observation, since files come sorted by series more often than not.
    private var lastSeries: (indicator: String, region: String, index: Int)?
    /// Reused for every record's results.
    private var results: [RowResult] = []

    init(catalog: Catalog, mapping: SourceMapping = SourceMapping(), interrupted: @escaping @Sendable () -> Bool = { false }) {
        self.catalog = catalog
        self.mapping = mapping
        self.interrupted = interrupted
    }

    mutating func note(_ problem: IngestProblem) {
        problemCount += 1
        if problems.count < IngestReport.problemLimit { problems.append(problem) }
    }

    /// Parses the file and stores what it holds through `writer`. `utf8` says whether the hash pass found the
    /// bytes to be valid UTF-8; if not (or if the mapping says so) they are read as GB18030.
    mutating func run(path: String, utf8: UTF8Validator, writer: ObservationWriter) throws {
        var reader: CSVReader?
        var detector = LayoutDetector(catalog: catalog, mapping: mapping)
        var table: (any TableLayout)?
        var sawRecord = false
        var firstChunk = true
        var stop = false
        var decoder: GB18030Decoder?
        let forced = mapping.encoding?.lowercased()
        if forced == "gb18030" || forced == "gbk" || (forced == nil && !utf8.isValid) {
            decoder = GB18030Decoder()
            encoding = "gb18030"
        }
        func consume(_ record: CSVRecord) throws {
            guard !stop else { return }
            sawRecord = true
            if table == nil {
                switch detector.feed(record) {
                case .needMore: return
                case .layout(let found):
                    table = found
                    layout = found.name
                case .failure(let found):
                    for problem in found { note(problem) }
                    stop = true
                }
                return
            }
            try handle(record, layout: &table!, writer: writer)
        }
        do {
            try FileBytes.forEachChunk(path) { raw in
                guard !stop else { return }
                if interrupted() {
                    wasInterrupted = true
                    stop = true
                    return
                }
                if firstChunk {
                    firstChunk = false
                    if let problem = FileParse.notText(raw) {
                        fatal = problem
                        stop = true
                        return
                    }
                }
                func parse(_ bytes: UnsafeRawBufferPointer) throws {
                    if reader == nil { reader = CSVReader(delimiter: detectDelimiter(bytes)) }
                    try reader!.feed(bytes, consume)
                }
                if let decoder { try decoder.decode(raw, parse) } else { try parse(raw) }
            }
            try decoder?.finish()
            if !stop { try reader?.finish(consume) }
        } catch let error as CSVSyntaxError {
            fatal = IngestProblem(row: error.row, line: error.line, columnNumber: error.column, message: error.message)
        } catch let error as GB18030Decoder.InvalidBytes {
            fatal = FileParse.badEncoding(path: path, offset: error.offset, line: error.line, delimiter: reader?.delimiter ?? UInt8(ascii: ","))
        } catch let error as FileBytes.ReadError {
            fatal = IngestProblem(row: 0, line: 0, message: error.message)
        }
        if wasInterrupted { return }
        if let fatal { note(fatal) }
        guard fatal == nil, problemCount == 0 else { return }
        if !sawRecord {
            fatal = IngestProblem(row: 1, line: 1, message: "the file is empty; the first row must be the header indicator,region,period,value")
        } else if table == nil {
            fatal = IngestProblem(row: 1, line: 1, message: "the file ends before its header (a WDI or NBS export cut short?); nothing to store")
        } else if counts.rows == 0 {
            fatal = IngestProblem(row: 2, line: 2, message: "the file has a header but no data rows; nothing to store")
        }
        if let fatal { note(fatal) }
    }

    /// The report for bytes that are neither UTF-8 nor GB18030, naming the line and the field they are in.
    static func badEncoding(path: String, offset: Int64, line: Int, delimiter: UInt8) -> IngestProblem {
        var column = 1
        if let handle = FileHandle(forReadingAtPath: path) {
            let start = max(0, offset - 65_536)
            try? handle.seek(toOffset: UInt64(start))
            let before = (try? handle.read(upToCount: Int(offset - start))) ?? Data()
            try? handle.close()
            let lineStart = before.lastIndex(of: 0x0A).map { $0 + 1 } ?? before.startIndex
            var quoted = false
            for byte in before[lineStart...] {
                if byte == UInt8(ascii: "\"") { quoted.toggle() }
                if byte == delimiter, !quoted { column += 1 }
            }
        }
        return IngestProblem(
            row: line, line: line, columnNumber: column,
            message: "the file is neither UTF-8 nor GB18030: invalid bytes at line \(line), byte offset \(offset); save it as CSV UTF-8")
    }

    private mutating func handle(_ record: CSVRecord, layout: inout any TableLayout, writer: ObservationWriter) throws {
        results.removeAll(keepingCapacity: true)
        layout.read(record, into: &results)
        guard !results.isEmpty else { return }
        counts.rows += 1
        var bad = false
        for result in results {
            switch result {
            case .missing:
                counts.missing += 1
            case .skipped(let what):
                counts.skipped += 1
                if unmappedSeen.insert(what).inserted, unmapped.count < 20 { unmapped.append(what) }
            case .problems(let found):
                bad = true
                for problem in found { note(problem) }
            case .deletion(let key):
                if try writer.delete(key) != nil { counts.deleted += 1 }
            case .observation(let row):
                switch try writer.put(row) {
                case .inserted: counts.inserted += 1
                case .unchanged: counts.unchanged += 1
                case .revised(let old):
                    counts.revised += 1
                    if revisions.count < Ingester.revisionAlertLimit { revisions.append((row, old)) }
                case .conflict(let first, let value):
                    bad = true
                    note(IngestProblem(
                        row: record.number, line: record.line, column: row.column, columnNumber: row.columnNumber,
                        value: formatNumber(row.value),
                        message: "\(row.indicator) \(row.region) \(row.period) is \(formatNumber(row.value)) here but \(formatNumber(value)) on row \(first); keep one of the two rows"))
                    continue
                }
                summarize(row)
            }
        }
        if bad { counts.badRows += 1 }
    }

    private mutating func summarize(_ row: ObservationRow) {
        let index: Int?
        if let last = lastSeries, last.indicator == row.indicator, last.region == row.region {
            index = last.index
        } else {
            index = seriesIndex[row.indicator + "\u{1F}" + row.region]
        }
        if let index {
            lastSeries = (row.indicator, row.region, index)
            series[index].rows += 1
            if row.period < series[index].firstPeriod {
                series[index].firstPeriod = row.period
                series[index].first = row.period.description
            }
            if row.period > series[index].lastPeriod {
                series[index].lastPeriod = row.period
                series[index].last = row.period.description
            }
        } else {
            seriesIndex[row.indicator + "\u{1F}" + row.region] = series.count
            lastSeries = (row.indicator, row.region, series.count)
            series.append(.init(indicator: row.indicator, region: row.region, rows: 1, first: row.period, last: row.period))
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
