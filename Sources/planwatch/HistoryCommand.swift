import ArgumentParser
import Foundation
import PlanWatchCore
import PlanWatchSetup
import PlanWatchHTTP
import PlanWatchIngest
import PlanWatchFetch
import PlanWatchOutputs
import PlanWatchDaemon
import PlanWatchStore

/// `planwatch history INDICATOR REGION`: every source and vintage of a series, which value is current and why.
struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Show every source and vintage of a series, which value evaluation uses, and why.",
        discussion: """
            Per period: each source's current value (its newest vintage) and every older or replaced one, with the \
            file and row it came from. The value marked * is the one evaluation uses: the highest-ranked source's \
            (the indicator's sources: ranking, else the catalogue's sources: order). Read-only.
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: ArgumentHelp("The indicator (id, name or alias).", valueName: "indicator"))
    var indicator: String

    @Argument(help: ArgumentHelp("The region (code, name or alias).", valueName: "region"))
    var region: String

    @Option(help: ArgumentHelp("Only this period (2024, 2024-Q3, 2024-07).", valueName: "period"))
    var period: String?

    @Flag(help: "Print the values as a JSON array.")
    var json = false

    func validate() throws {
        if let period, Period(parsing: period) == nil {
            throw ValidationError("--period '\(period)' is not a period; write 2024, 2024-Q3 or 2024-07")
        }
    }

    func run() throws {
        let configuration = try global.loadConfiguration()
        let catalog = configuration.planSet.catalog
        guard let found = catalog.indicator(named: indicator) else {
            let close = catalog.indicatorSuggestions(for: indicator)
            throw usageError("there is no indicator '\(indicator)'" + (close.isEmpty ? "" : "; did you mean " + close.map { "'\($0)'" }.joined(separator: " or ") + "?"))
        }
        guard let place = catalog.region(named: region) else {
            let close = catalog.regionSuggestions(for: region)
            throw usageError("there is no region '\(region)'" + (close.isEmpty ? "" : "; did you mean " + close.map { "'\($0)'" }.joined(separator: " or ") + "?"))
        }
        let entries: [HistoryEntry]
        var computed: String?
        do {
            let store = try StateDirectory.openStoreForReading(configuration)
            let only = period.flatMap { Period(parsing: $0) }
            entries = try store.history(indicator: found.id, region: place.code, period: only) ?? []
            // A group's or a derived index's values are computed when evaluated, never stored: show how.
            if entries.isEmpty, !json, ComputedHistory.isComputed(found, place, catalog: catalog) {
                let inputs = Set([found.id] + (found.derivation?.inputs ?? [])
                    + (catalog.aggregation(of: found, in: place)?.weight.map { [$0] } ?? []))
                let observations = try store.observations(
                    indicators: inputs, asOf: EvaluationRunner.today(), ranking: SourceRanking(catalog: catalog))
                let history = ComputedHistory(
                    catalog: catalog, observations: observations, indicator: found, region: place)
                computed = history.text(period: only)
            }
        } catch {
            printError("planwatch: \(error)")
            throw ExitCode(1)
        }
        let explained = HistoryExplanation(entries: entries, indicator: found, catalog: catalog)
        if json {
            sayJSON(explained.json)
        } else if let computed {
            say(computed)
        } else if entries.isEmpty {
            let what = "\(found.id) \(place.code)\(period.map { " in \($0)" } ?? "")"
            say("No values stored for \(what); `planwatch list indicators` and `planwatch list regions` show what "
                + "the plans know, and `planwatch ingest FILE` stores figures.")
        } else {
            say(explained.text(region: place))
        }
    }
}

/// Which value of each period evaluation uses and why, for `history`.
struct HistoryExplanation {
    struct Line {
        var entry: HistoryEntry
        var evaluated: Bool
        var why: String
    }

    var lines: [Line] = []
    let indicator: Indicator
    let catalog: Catalog

    init(entries: [HistoryEntry], indicator: Indicator, catalog: Catalog) {
        self.indicator = indicator
        self.catalog = catalog
        let ranking = SourceRanking(catalog: catalog)
        for (_, group) in Dictionary(grouping: entries, by: \.period).sorted(by: { $0.key < $1.key }) {
            let current = group.filter(\.current)
            let best = current.min { ranking.rank($0.source, indicator: indicator.id) < ranking.rank($1.source, indicator: indicator.id) }
            for entry in group {
                let why: String
                let evaluated = entry.current && entry.source == best?.source
                if evaluated {
                    // The order among the sources this period has, not the whole catalogue's.
                    let here = current.map(\.source).sorted { ranking.rank($0, indicator: indicator.id) < ranking.rank($1, indicator: indicator.id) }
                    why = current.count == 1 ? "the only source" : "the highest-ranked source (\(here.joined(separator: " > ")))"
                } else if entry.current {
                    why = "current for \(catalog.sourceName(entry.source)); ranked below \(best.map { catalog.sourceName($0.source) } ?? "another source")"
                } else if let newer = current.first(where: { $0.source == entry.source }), entry.vintage < newer.vintage {
                    why = "older vintage than \(newer.vintage) (history, not current)"
                } else if current.contains(where: { $0.source == entry.source }) {
                    why = "replaced by a later file of the same vintage or newer (history)"
                } else {
                    why = "removed (history)"
                }
                lines.append(Line(entry: entry, evaluated: evaluated, why: why))
            }
        }
    }

    func text(region: Region) -> String {
        let series = terminalSafe(
            "\(indicator.id) \(region.code) — \(indicator.name), \(region.name) (\(indicator.unit))")
        var out = ["\(series); * = the value evaluation uses"]
        var lastPeriod: Period?
        let width = lines.map { formatNumber($0.entry.value).count }.max() ?? 0
        for line in lines {
            if line.entry.period != lastPeriod {
                out.append("\(line.entry.period)")
                lastPeriod = line.entry.period
            }
            let value = formatNumber(line.entry.value)
            let padded = String(repeating: " ", count: max(0, width - value.count)) + value
            let source = catalog.sourceName(line.entry.source)
            out.append(
                "  \(line.evaluated ? "*" : " ") \(padded)  \(terminalSafe(source))  vintage \(line.entry.vintage)"
                    + "  \(terminalSafe(line.entry.file)) row \(line.entry.row)  — \(terminalSafe(line.why))")
        }
        return out.joined(separator: "\n")
    }

    var json: String {
        let items = lines.map { line -> [String: Any] in
            [
                "period": line.entry.period.description, "source": line.entry.source, "source_name": catalog.sourceName(line.entry.source),
                "vintage": line.entry.vintage, "value": line.entry.value, "note": line.entry.note ?? NSNull(),
                "file": line.entry.file, "row": line.entry.row, "current": line.entry.current, "evaluated": line.evaluated,
                "why": line.why,
            ]
        }
        let data = (try? JSONSerialization.data(withJSONObject: items, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data("[]".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
