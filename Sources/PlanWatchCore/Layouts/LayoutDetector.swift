/// Finds a file's layout from its first records: the canonical and wide headers, SDMX-CSV's `TIME_PERIOD` and
/// `OBS_VALUE`, the World Bank WDI preamble (`"Data Source","World Development Indicators",` … then
/// `Country Name,…`), and the NBS export's metadata lines (`数据库：…`, `指标：…`, `时间：…`, then `地区,2024年,…`).
public struct LayoutDetector: Sendable {
    public enum Step: Sendable {
        /// A preamble line: read the next record.
        case needMore
        case layout(any TableLayout)
        case failure([IngestProblem])
    }

    private let catalog: Catalog
    private let mapping: SourceMapping
    private enum Preamble { case none, wdi, nbs }
    private var preamble = Preamble.none
    private var nbsLabel: (text: String, row: Int, line: Int)?
    /// WDI's `"Last Updated Date","2025-07-01",` line.
    private var lastUpdated: String?

    public init(catalog: Catalog, mapping: SourceMapping = SourceMapping()) {
        self.catalog = catalog
        self.mapping = mapping
    }

    public mutating func feed(_ record: CSVRecord) -> Step {
        let first = record.text(0)
        let names = (0..<record.count).map { Catalog.normalize(record.text($0)) }
        switch preamble {
        case .wdi:
            if names.first == "last updated date", record.count > 1 { lastUpdated = Vintage.normalize(record.text(1)) }
            guard names.first == "country name" else { return .needMore }
            let vintage = lastUpdated
            return build { () throws(IngestFailure) in
                try PeriodColumnsLayout(kind: .wdi, header: record, catalog: catalog, mapping: mapping, vintage: vintage)
            }
        case .nbs:
            if let label = LayoutDetector.value(of: first, after: ["指标"]) {
                nbsLabel = (label, record.number, record.line)
                return .needMore
            }
            guard first == "地区" else { return .needMore }
            guard let label = nbsLabel else {
                return .failure([IngestProblem(row: record.number, line: record.line, message: "the NBS export has no '指标：' line naming its indicator; export it again with the indicator line")])
            }
            guard let indicator = catalog.indicator(named: label.text) else {
                return .failure([IngestProblem(
                    row: label.row, line: label.line, column: "指标", columnNumber: 1, value: label.text,
                    message: "unknown indicator '\(label.text)'; add it as an alias of an indicator (or to mapping.indicators in the settings)",
                    suggestions: catalog.indicatorSuggestions(for: label.text), unknown: .indicator)])
            }
            let unit = mapping.entry(label.text)?.unit ?? label.text  // the label states it: 地区生产总值(亿元)
            return build { () throws(IngestFailure) in
                try PeriodColumnsLayout(kind: .nbs(indicator: indicator), header: record, catalog: catalog, mapping: mapping, unit: unit)
            }
        case .none:
            break
        }
        if first == "Data Source" || names.first == "data source" {
            preamble = .wdi
            return .needMore
        }
        if LayoutDetector.value(of: first, after: ["数据库", "指标", "时间"]) != nil {
            preamble = .nbs
            return feed(record)
        }
        if names.first == "country name", names.contains("indicator code") {
            return build { () throws(IngestFailure) in try PeriodColumnsLayout(kind: .wdi, header: record, catalog: catalog, mapping: mapping) }
        }
        if SDMXLayout.matches(names) {
            return build { () throws(IngestFailure) in try SDMXLayout(header: record, catalog: catalog, mapping: mapping) }
        }
        let wide = names.contains("indicator") && names.contains("region") && !names.contains("period")
            && !names.contains("value") && names.contains(where: { periodColumn($0) != nil })
        if wide {
            return build { () throws(IngestFailure) in try PeriodColumnsLayout(kind: .wide, header: record, catalog: catalog, mapping: mapping) }
        }
        let known = CanonicalLayout.required + CanonicalLayout.optional
        if !names.contains(where: { known.contains(CanonicalLayout.columnName($0)) }) {
            let header = (0..<record.count).map { record.text($0) }.joined(separator: ",")
            return .failure([IngestProblem(
                row: record.number, line: record.line,
                message: "the header '\(IngestProblem.shorten(header))' matches no known layout: canonical (indicator,region,period,value), wide (indicator,region,2019,2020,…), World Bank WDI bulk CSV, NBS data portal export (数据库：…, 指标：…, 地区,2024年,…) or SDMX-CSV (…,TIME_PERIOD,OBS_VALUE)")])
        }
        return build { () throws(IngestFailure) in try CanonicalLayout(header: record, catalog: catalog) }
    }

    private func build(_ make: () throws(IngestFailure) -> any TableLayout) -> Step {
        do throws(IngestFailure) {
            return .layout(try make())
        } catch {
            return .failure(error.problems)
        }
    }

    /// `指标：城镇化率` → `城镇化率` for the given keys (full-width or ASCII colon); nil otherwise.
    static func value(of field: String, after keys: [String]) -> String? {
        for key in keys where field.hasPrefix(key) {
            let rest = field.dropFirst(key.count)
            if let colon = rest.first, colon == "：" || colon == ":" { return String(rest.dropFirst()).trimmingSpaces }
        }
        return nil
    }
}
