import Foundation
import PlanWatchCore
import PlanWatchStore
import PlanWatchSetup

/// The reading side of an ingest, run on a thread of its own: the file's bytes, decoded (UTF-8 or GB18030), split
/// into records, its layout detected, and every record turned into items to store. It counts what it saw and
/// collects the problems of the file and its rows; storing is the other side's job (`FileParse`).
struct FileReading: Sendable {
    let catalog: Catalog
    let mapping: SourceMapping
    let interrupted: @Sendable () -> Bool
    let ids: CatalogIDs
    var layout: String?
    var encoding = "utf-8"
    /// `rows`, `missing`, `skipped` and `badRows` as read.
    var counts = IngestCounts()
    var problems: [IngestProblem] = []
    var problemCount = 0
    /// A problem that stopped the reading (broken CSV, unknown layout, bad encoding, not a text file).
    var fatal: IngestProblem?
    var wasInterrupted = false
    /// The series skipped as not tracked (`region 'ARB'`), the first ones.
    var unmapped: [String] = []
    private var unmappedSeen: Set<String> = []
    private var results: [RowResult] = []
    /// Column names by number, for problems the writing side finds.
    var columnNames: [Int: String] = [:]
    /// Distinct sources in order of first appearance; `newSources` are those not yet sent.
    private var sourceKeys: [String: Int32] = [:]
    private var lastSource: (text: String, key: Int32)?
    var newSources: [String] = []
    /// Distinct row vintages, keyed like the sources; `newVintages` are those not yet sent.
    private var vintageKeys: [String: Int32] = [:]
    var newVintages: [String] = []
    private var lastIndicator: (code: String, id: Int64)?
    private var lastRegion: (code: String, id: Int64)?
    private var units = UnitChecker()
    /// Values converted to their indicator's unit: (unit found, indicator) → factor and count.
    var conversions: [Conversion] = []
    /// Values whose file names no source (no `source` column, no mapping): stored as `unattributed`.
    var unattributed = 0
    /// How far a compressed file may expand.
    var contentLimit: Int64 = 1 << 30

    struct Conversion: Sendable, Equatable {
        var found: String
        var indicator: String
        var unit: String
        var factor: Double
        var count: Int
    }

    init(
        catalog: Catalog, mapping: SourceMapping, ids: CatalogIDs, contentLimit: Int64 = 1 << 30,
        interrupted: @escaping @Sendable () -> Bool
    ) {
        self.catalog = catalog
        self.mapping = mapping
        self.ids = ids
        self.contentLimit = contentLimit
        self.interrupted = interrupted
    }

    /// The observation as ids and keys; nil when its indicator or region has no id (not synced: cannot happen for
    /// a catalogue the store was synced with).
    private mutating func prepare(_ row: ObservationRow, line: Int) -> PreparedRow? {
        let indicatorID: Int64
        if let last = lastIndicator, last.code == row.indicator {
            indicatorID = last.id
        } else {
            guard let id = ids.indicators[row.indicator] else { return nil }
            lastIndicator = (row.indicator, id)
            indicatorID = id
        }
        let regionID: Int64
        if let last = lastRegion, last.code == row.region {
            regionID = last.id
        } else {
            guard let id = ids.regions[row.region] else { return nil }
            lastRegion = (row.region, id)
            regionID = id
        }
        var source: Int32 = -1
        do {
            let named = row.source ?? mapping.fileSource
            if named == nil { unattributed += 1 }
            let text = named ?? DataSource.unattributed
            if let last = lastSource, last.text == text {
                source = last.key
            } else if let key = sourceKeys[text] {
                source = key
                lastSource = (text, key)
            } else {
                source = Int32(sourceKeys.count)
                sourceKeys[text] = source
                // Stored under the catalogue's id when the text names a catalogued source.
                newSources.append(catalog.sourceKey(text))
                lastSource = (text, source)
            }
        }
        if let number = row.columnNumber, columnNames[number] == nil { columnNames[number] = row.column }
        var vintage: Int32 = -1
        if let text = row.vintage, !mapping.overridesVintage { vintage = vintageKey(text) }
        return PreparedRow(
            indicatorID: indicatorID, regionID: regionID, period: row.period, value: row.value, source: source,
            row: Int32(clamping: row.row), line: Int32(clamping: line),
            columnNumber: Int16(clamping: row.columnNumber ?? 0), note: row.note,
            vintage: vintage)
    }

    /// The key of a row vintage, registering it when new.
    private mutating func vintageKey(_ text: String) -> Int32 {
        if let key = vintageKeys[text] { return key }
        let key = Int32(vintageKeys.count)
        vintageKeys[text] = key
        newVintages.append(text)
        return key
    }

    /// The row in its indicator's unit: a stated unit checked, a known scale converted (and counted); a problem
    /// for a unit that cannot be converted.
    private mutating func inUnit(_ row: ObservationRow, number: Int, line: Int) -> Result<ObservationRow, IngestProblem>
    {
        guard let text = row.unit, let indicator = catalog.indicators[row.indicator] else { return .success(row) }
        switch units.check(text, for: indicator, code: row.code) {
        case .same:
            return .success(row)
        case .scale(let factor):
            var converted = row
            // The product of two decimals, rounded to the 15 digits a double holds: 1,411,750,000 × 0.0001 is
            // 141,175, not 141174.99999999997.
            converted.value = Double(String(format: "%.15g", row.value * factor)) ?? row.value * factor
            if let index = conversions.firstIndex(where: { $0.found == text && $0.indicator == indicator.id }) {
                conversions[index].count += 1
            } else if conversions.count < 20 {
                conversions.append(
                    Conversion(found: text, indicator: indicator.id, unit: indicator.unit, factor: factor, count: 1))
            }
            return .success(converted)
        case .refused(let message):
            return .failure(IngestProblem(
                    row: number, line: line, column: row.column, columnNumber: row.columnNumber,
                    value: formatNumber(row.value),
                message: message))
        }
    }

    /// A row whose indicator or region the database does not know yet (a catalogue changed without a restart).
    static func notInCatalogue(_ row: ObservationRow, _ record: (number: Int, line: Int)) -> IngestProblem {
        IngestProblem(
            row: record.number, line: record.line,
            message: "\(row.indicator) or \(row.region) is not in the database's catalogue; "
                + "restart planwatch so it records the catalogue")
    }

    mutating func note(_ problem: IngestProblem) {
        problemCount += 1
        if problems.count < IngestReport.problemLimit { problems.append(problem) }
    }

    /// Reads the file, handing each item to `emit`, which returns false to stop (the writing side failed).
    /// `utf8` says whether the hash pass found the bytes to be valid UTF-8; if not (or if the mapping says so)
    /// they are read as GB18030.
    mutating func run(file: OpenedFile, utf8: UTF8Validator, emit: (inout FileReading, StoreItem) -> Bool) {
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
        func consume(_ record: CSVRecord) {
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
            if !handle(record, layout: &table!, emit: emit) { stop = true }
        }
        do {
            try FileBytes.forEachContentChunk(file, limit: contentLimit) { raw in
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
                    var bytes = bytes
                    if reader == nil {
                        // Excel's `sep=;` first line names the delimiter; the header after it is still row 1.
                        if let line = excelSeparatorLine(bytes) {
                            reader = CSVReader(delimiter: line.delimiter, firstLine: 2)
                            bytes = UnsafeRawBufferPointer(rebasing: bytes[line.length...])
                        } else {
                            reader = CSVReader(delimiter: detectDelimiter(bytes))
                        }
                    }
                    try reader!.feed(bytes, consume)
                }
                if let decoder { try decoder.decode(raw, parse) } else { try parse(raw) }
            }
            try decoder?.finish()
            if !stop { try reader?.finish(consume) }
            if !stop, table != nil, !handleHeld(&table!, emit: emit) { stop = true }
        } catch let error as CSVSyntaxError {
            fatal = IngestProblem(row: error.row, line: error.line, columnNumber: error.column, message: error.message)
        } catch let error as GB18030Decoder.InvalidBytes {
            fatal = FileParse.badEncoding(
                file: file, offset: error.offset, line: error.line, delimiter: reader?.delimiter ?? UInt8(ascii: ","))
        } catch let error as FileBytes.ReadError {
            fatal = IngestProblem(row: 0, line: 0, message: error.message)
        } catch {
            fatal = IngestProblem(row: 0, line: 0, message: "\(error)")
        }
        if wasInterrupted { return }
        if let fatal { note(fatal) }
        guard fatal == nil, problemCount == 0 else { return }
        if !sawRecord {
            fatal = IngestProblem(
                row: 1, line: 1,
                message: "the file is empty; the first row must be the header indicator,region,period,value")
        } else if table == nil {
            fatal = IngestProblem(
                row: 1, line: 1,
                message: "the file ends before its header (a WDI or NBS export cut short?); nothing to store")
        } else if counts.rows == 0 {
            fatal = IngestProblem(row: 2, line: 2, message: "the file has a header but no data rows; nothing to store")
        }
        if let fatal { note(fatal) }
    }

    /// One record: counts and problems here, items to store out through `emit`; false when `emit` said stop.
    private mutating func handle(
        _ record: CSVRecord, layout: inout any TableLayout, emit: (inout FileReading, StoreItem) -> Bool
    ) -> Bool {
        results.removeAll(keepingCapacity: true)
        layout.read(record, into: &results)
        return process(number: record.number, line: record.line, emit: emit)
    }

    /// The records a layout held back until the end of the file (an NBS export's, for its footer's source).
    private mutating func handleHeld(
        _ layout: inout any TableLayout, emit: (inout FileReading, StoreItem) -> Bool
    ) -> Bool {
        for held in layout.finish() {
            results = held.results
            guard process(number: held.number, line: held.line, emit: emit) else { return false }
        }
        return true
    }

    private mutating func process(number: Int, line: Int, emit: (inout FileReading, StoreItem) -> Bool) -> Bool {
        guard !results.isEmpty else { return true }
        let record = (number: number, line: line)
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
            case .deletion(var key):
                key.source = catalog.sourceKey(key.source ?? DataSource.unattributed)
                guard emit(&self, .deletion(key)) else { return false }
            case .observation(let row):
                // Most rows state no unit (the canonical fast path clears one equal to the indicator's): the
                // check, and the copy of the row it makes, only when one is stated.
                if row.unit != nil {
                    switch inUnit(row, number: record.number, line: record.line) {
                    case .success(let converted):
                        guard let prepared = prepare(converted, line: record.line) else {
                            bad = true
                            note(FileReading.notInCatalogue(row, record))
                            continue
                        }
                        guard emit(&self, .row(prepared)) else { return false }
                    case .failure(let problem):
                        bad = true
                        note(problem)
                    }
                    continue
                }
                guard let prepared = prepare(row, line: record.line) else {
                    bad = true
                    note(FileReading.notInCatalogue(row, record))
                    continue
                }
                guard emit(&self, .row(prepared)) else { return false }
            }
        }
        if bad { counts.badRows += 1 }
        return true
    }
}
