/// SDMX-CSV, version 1 (`DATAFLOW,…dimensions…,TIME_PERIOD,OBS_VALUE[,OBS_FLAG,…]`) and version 2
/// (`STRUCTURE,STRUCTURE_ID,ACTION,…`). The region and indicator come from dimensions (`mapping.sdmx` names them;
/// otherwise the usual `REF_AREA`/`GEO` and `INDICATOR`/`SERIES`); several indicator dimensions are joined with `.`
/// (`B1GQ.CP_MEUR`) and resolved like any name. `ACTION` D deletes; `OBS_FLAG` becomes the note. Series the
/// catalogue does not track are skipped and counted.
public struct SDMXLayout: TableLayout {
    public let name: String
    private var resolver: NameResolver
    private let headers: [String]
    private let regionColumn: Int
    private let indicatorColumns: [Int]
    private let timeColumn: Int
    private let valueColumn: Int
    private let actionColumn: Int?
    private let flagColumn: Int?
    private let dataflowColumn: Int?

    static let defaultRegionDimensions = ["ref_area", "geo", "country", "area", "region"]
    static let defaultIndicatorDimensions = ["indicator", "series", "indic", "measure", "item"]
    /// Columns that are attributes or structure, never dimensions.
    static let attributes: Set<String> = [
        "dataflow", "structure", "structure_id", "action", "time_period", "obs_value", "obs_flag", "obs_status",
        "last update", "unit_mult", "decimals", "obs_conf", "conf_status", "comment",
    ]

    /// Whether a header is SDMX-CSV (it has `TIME_PERIOD` and `OBS_VALUE`).
    public static func matches(_ names: [String]) -> Bool {
        names.contains("time_period") && names.contains("obs_value")
    }

    public init(header: CSVRecord, catalog: Catalog, mapping: SourceMapping) throws(IngestFailure) {
        resolver = NameResolver(catalog: catalog)
        let headers = (0..<header.count).map { header.text($0) }
        self.headers = headers
        let keys = headers.map { Catalog.normalize($0) }
        func column(_ name: String) -> Int? { keys.firstIndex(of: Catalog.normalize(name)) }
        name = keys.first == "structure" ? "sdmx-csv v2" : "sdmx-csv v1"
        timeColumn = column("time_period")!
        valueColumn = column("obs_value")!
        actionColumn = column("action")
        flagColumn = column("obs_flag") ?? column("obs_status")
        dataflowColumn = column("structure_id") ?? column("dataflow")
        var problems: [IngestProblem] = []
        let dimensionNames = keys.enumerated().filter { !SDMXLayout.attributes.contains($0.element) }.map { headers[$0.offset] }
            .joined(separator: ", ")
        // The mapped dimensions first; a file without them (another source) falls back to the usual names.
        var regionNames = mapping.sdmxRegion.map { [$0] } ?? []
        for name in SDMXLayout.defaultRegionDimensions where !regionNames.contains(where: { Catalog.normalize($0) == name }) {
            regionNames.append(name)
        }
        let region = regionNames.lazy.compactMap { column($0) }.first
        var indicators: [Int] = []
        let mapped = mapping.sdmxIndicator.compactMap { column($0) }
        if !mapping.sdmxIndicator.isEmpty, mapped.count == mapping.sdmxIndicator.count {
            indicators = mapped
        } else if let found = SDMXLayout.defaultIndicatorDimensions.lazy.compactMap({ column($0) }).first {
            indicators = [found]
        }
        if region == nil {
            problems.append(IngestProblem(row: header.number, line: header.line, message: "no region dimension (\(regionNames.joined(separator: ", "))); name it in the settings: mapping: {sdmx: {region: DIMENSION}}; the dimensions are \(dimensionNames)"))
        }
        if indicators.isEmpty, problems.isEmpty {
            problems.append(IngestProblem(row: header.number, line: header.line, message: "no indicator dimension (\((mapping.sdmxIndicator + SDMXLayout.defaultIndicatorDimensions).joined(separator: ", "))); name it in the settings: mapping: {sdmx: {indicator: [DIMENSION, …]}}; the dimensions are \(dimensionNames)"))
        }
        guard problems.isEmpty, let region else { throw IngestFailure(problems: problems) }
        regionColumn = region
        indicatorColumns = indicators
    }

    public mutating func read(_ record: CSVRecord, into results: inout [RowResult]) {
        results.append(contentsOf: rows(record))
    }

    private mutating func rows(_ record: CSVRecord) -> [RowResult] {
        guard record.count == headers.count else {
            return [.problems([IngestProblem(
                row: record.number, line: record.line,
                message: "the row has \(record.count) field\(record.count == 1 ? "" : "s") but the header has \(headers.count); check for an unquoted separator or a missing field")])]
        }
        let code = indicatorColumns.map { record.text($0) }.joined(separator: ".")
        let flow = dataflowColumn.map { record.text($0) } ?? ""
        guard let indicator = resolver.indicator(code) ?? (flow.isEmpty ? nil : resolver.indicator(flow + "." + code)) else {
            return [.skipped("indicator '\(code)'")]
        }
        let area = record.text(regionColumn)
        guard let region = resolver.region(area) else { return [.skipped("region '\(area)'")] }
        let time = record.text(timeColumn)
        guard let period = Period(parsing: time) else {
            return [.problems([IngestProblem(
                row: record.number, line: record.line, column: headers[timeColumn], columnNumber: timeColumn + 1, value: time,
                message: "'\(time)' is not a period; SDMX TIME_PERIOD is 2021, 2021-Q1 or 2021-06")])]
        }
        guard period.frequency == indicator.frequency else {
            return [.problems([IngestProblem(
                row: record.number, line: record.line, column: headers[timeColumn], columnNumber: timeColumn + 1, value: time,
                message: "'\(time)' is a\(period.frequency == .annual ? "n" : "") \(period.frequency.rawValue) period but indicator '\(indicator.id)' is \(indicator.frequency.rawValue)")])]
        }
        if let actionColumn, record.text(actionColumn).uppercased() == "D" {
            return [.deletion(ObservationKey(indicator: indicator.id, region: region, period: period, row: record.number))]
        }
        let flag = flagColumn.map { record.text($0) }.flatMap { $0.isEmpty ? nil : "OBS_FLAG \($0)" }
        let raw = record.text(valueColumn)
        if raw.uppercased() == "NAN" { return [.missing] }
        switch NumberParser.parse(record.field(valueColumn)) {
        case .missing:
            return [.missing]
        case .invalid(let why):
            return [.problems([IngestProblem(
                row: record.number, line: record.line, column: headers[valueColumn], columnNumber: valueColumn + 1, value: raw,
                message: "'\(raw)' \(why)")])]
        case .number(let value):
            return [.observation(ObservationRow(
                indicator: indicator.id, region: region, period: period, value: value, source: flow.isEmpty ? nil : flow,
                note: flag, row: record.number, column: headers[valueColumn], columnNumber: valueColumn + 1))]
        }
    }
}
