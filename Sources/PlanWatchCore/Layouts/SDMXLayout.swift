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
    /// `UNIT_MEASURE` (or a `unit` dimension), `UNIT_MULT` (a power of ten) and `LAST UPDATE` (the vintage).
    private let unitColumn: Int?
    private let multiplierColumn: Int?
    private let updatedColumn: Int?
    private var sources: [String: String] = [:]
    /// A fetched file's source (`fetch:`): its values' source in place of the dataflow's agency.
    private let fetchedSource: String?

    static let defaultRegionDimensions = ["ref_area", "geo", "country", "area", "region"]
    static let defaultIndicatorDimensions = ["indicator", "series", "indic", "measure", "item"]
    /// Columns that are attributes or structure, never dimensions.
    static let attributes: Set<String> = [
        "dataflow", "structure", "structure_id", "action", "time_period", "obs_value", "obs_flag", "obs_status",
        "last update", "last_update", "unit_mult", "unit_measure", "decimals", "obs_conf", "conf_status", "comment",
    ]

    /// Whether a header is SDMX-CSV (it has `TIME_PERIOD` and `OBS_VALUE`).
    public static func matches(_ names: [String]) -> Bool {
        names.contains("time_period") && names.contains("obs_value")
    }

    public init(header: CSVRecord, catalog: Catalog, mapping: SourceMapping) throws(IngestFailure) {
        fetchedSource = mapping.fileSource
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
        unitColumn = column("unit_measure") ?? column("unit")
        multiplierColumn = column("unit_mult")
        updatedColumn = column("last update") ?? column("last_update")
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

    /// The publisher of a dataflow, as agency and dataflow: `ESTAT:NAMA_10_GDP(1.0)` → `Eurostat nama_10_gdp`.
    private mutating func source(_ flow: String) -> String? {
        guard !flow.isEmpty else { return nil }
        if let known = sources[flow] { return known }
        var agency = ""
        var id = flow
        if let colon = flow.firstIndex(of: ":") {
            agency = String(flow[..<colon])
            id = String(flow[flow.index(after: colon)...])
        }
        if let paren = id.firstIndex(of: "(") { id = String(id[..<paren]) }
        let names = ["ESTAT": "Eurostat", "OECD": "OECD", "IMF": "IMF", "ECB": "ECB", "WB": "World Bank", "UNSD": "UNSD", "BIS": "BIS"]
        let agencyName = names[agency.uppercased()] ?? names[String(agency.uppercased().prefix { $0 != "." })] ?? agency
        let text = (agencyName.isEmpty ? "" : agencyName + " ") + (agency.uppercased() == "ESTAT" ? id.lowercased() : id)
        sources[flow] = text
        return text
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
            return [.deletion(ObservationKey(indicator: indicator.id, region: region, period: period, row: record.number, source: fetchedSource ?? source(flow)))]
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
        case .number(var value):
            let unit = unitColumn.map { record.text($0) }.flatMap { $0.isEmpty ? nil : $0 }
            if let multiplierColumn, let power = Int(record.text(multiplierColumn)), power != 0, abs(power) < 20 {
                // UNIT_MULT: the values are in 10^power of the unit.
                value *= power > 0 ? pow10(power) : 1 / pow10(-power)
            }
            let vintage = updatedColumn.flatMap { Vintage.normalize(record.text($0)) }
            return [.observation(ObservationRow(
                indicator: indicator.id, region: region, period: period, value: value, source: fetchedSource ?? source(flow),
                note: flag, vintage: vintage, unit: unit, row: record.number, column: headers[valueColumn],
                columnNumber: valueColumn + 1, code: code))]
        }
    }
}

private func pow10(_ power: Int) -> Double {
    var result = 1.0
    for _ in 0..<power { result *= 10 }
    return result
}
