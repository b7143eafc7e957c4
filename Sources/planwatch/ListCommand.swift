import ArgumentParser
import Foundation
import PlanWatchCore
import PlanWatchSetup
import PlanWatchHTTP
import PlanWatchIngest
import PlanWatchFetch
import PlanWatchOutputs
import PlanWatchDaemon

/// `planwatch list plans|targets|indicators|regions|sources`: what the configuration knows, with the ids the
/// other commands take, the Chinese names and the aliases a CSV file may use.
struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the plans, targets, indicators, regions or sources the configuration knows.",
        discussion: """
            Each line starts with the id the other commands take (status --plan, explain, history), then the \
            names: English, Chinese and the aliases a CSV file may use. Sources are listed in the order that \
            ranks them. Reads the configuration only, never the state.
            """)

    enum Kind: String, ExpressibleByArgument, CaseIterable {
        case plans, targets, indicators, regions, sources
    }

    @OptionGroup var global: GlobalOptions

    @Argument(help: ArgumentHelp("What to list: plans, targets, indicators, regions or sources.", valueName: "kind"))
    var kind: Kind

    @Flag(help: "Print the list as a JSON array.")
    var json = false

    func run() throws {
        let configuration = try global.loadConfiguration()
        let listing = CatalogListing(planSet: configuration.planSet)
        if json {
            sayJSON(listing.json(kind))
        } else {
            say(listing.text(kind))
        }
    }
}

/// The lists of `planwatch list`, as text and as JSON: pure, from the loaded plans and catalogue.
struct CatalogListing {
    let planSet: PlanSet

    /// Rows of fixed-width ASCII columns (ids, kinds, units) and a last column of names, which may be Chinese and
    /// so of another display width: only the last column is left unpadded.
    func text(_ kind: ListCommand.Kind) -> String {
        let rows: [[String]]
        switch kind {
        case .plans:
            rows = [["PLAN", "TARGETS", "ISSUED", "TITLE"]]
                + planSet.plans.map { plan in
                    [plan.id, String(plan.targets.count), plan.issued.description, names(plan.title, plan.titleZh)]
                }
        case .targets:
            rows = [["TARGET", "PLAN", "KIND", "INDICATOR", "REGION", "TITLE"]]
                + planSet.targets.map { item in
                    let target = item.target
                    return [
                        target.id, item.plan.id, target.kind.name, CatalogListing.indicator(of: target) ?? "-",
                        target.region, target.title ?? "",
                    ]
                }
        case .indicators:
            rows = [["INDICATOR", "UNIT", "FREQUENCY", "NAMES"]]
                + indicators.map { [$0.id, $0.unit, $0.frequency.rawValue, names($0.name, $0.nameZh, $0.aliases)] }
        case .regions:
            rows = [["REGION", "LEVEL", "PARENT", "NAMES"]]
                + regions.map { region in
                    let members = region.group.map { "; members " + $0.members.joined(separator: ", ") } ?? ""
                    return [
                        region.code, region.level.rawValue, region.parent ?? "-",
                        names(region.name, region.nameZh, region.aliases + [region.gbCode].compactMap { $0 }) + members,
                    ]
                }
        case .sources:
            rows = [["SOURCE", "RANK", "NAMES"]]
                + planSet.catalog.sources.enumerated().map { [$1.id, String($0 + 1), names($1.name, nil, $1.aliases)] }
        }
        return CatalogListing.columns(rows.map { $0.map(terminalSafe) })
    }

    func json(_ kind: ListCommand.Kind) -> String {
        let items: [[String: Any]]
        switch kind {
        case .plans:
            items = planSet.plans.map { plan in
                [
                    "id": plan.id, "title": plan.title, "title_zh": nullable(plan.titleZh),
                    "issued": plan.issued.description, "issued_by": nullable(plan.issuedBy),
                    "targets": plan.targets.map(\.id),
                ]
            }
        case .targets:
            items = planSet.targets.map { item in
                let target = item.target
                return [
                    "id": target.id, "plan": item.plan.id, "kind": target.kind.name,
                    "indicator": nullable(CatalogListing.indicator(of: target)), "region": target.region,
                    "title": nullable(target.title), "severity": target.severity.rawValue,
                    "deadline": target.kind.deadline.description, "notes": nullable(target.notes),
                ]
            }
        case .indicators:
            items = indicators.map { indicator in
                [
                    "id": indicator.id, "name": indicator.name, "name_zh": nullable(indicator.nameZh),
                    "unit": indicator.unit, "frequency": indicator.frequency.rawValue,
                    "direction": indicator.direction.rawValue, "aliases": indicator.aliases,
                    "derived_from": nullable(indicator.derivation.map(\.inputs)),
                ]
            }
        case .regions:
            items = regions.map { region in
                [
                    "code": region.code, "name": region.name, "name_zh": nullable(region.nameZh),
                    "level": region.level.rawValue, "parent": nullable(region.parent), "aliases": region.aliases,
                    "gb_code": nullable(region.gbCode), "members": nullable(region.group?.members),
                ]
            }
        case .sources:
            items = planSet.catalog.sources.enumerated().map { rank, source in
                ["id": source.id, "name": source.name, "aliases": source.aliases, "rank": rank + 1]
            }
        }
        let options: JSONSerialization.WritingOptions = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? JSONSerialization.data(withJSONObject: items, options: options)) ?? Data("[]".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// A JSON null for a missing value.
    private func nullable(_ value: Any?) -> Any { value ?? NSNull() }

    /// A target's indicator; a milestone has none (its completion is stored under the target's id).
    static func indicator(of target: Target) -> String? {
        if case .milestone = target.kind { return nil }
        return target.indicator
    }

    private var indicators: [Indicator] { planSet.catalog.indicators.values.sorted { $0.id < $1.id } }

    /// The country first, then provinces, cities and counties, then zones and groups; by code within each.
    private var regions: [Region] {
        let order = RegionLevel.allCases
        return planSet.catalog.regions.values.sorted {
            let left = order.firstIndex(of: $0.level) ?? 0
            let right = order.firstIndex(of: $1.level) ?? 0
            return left != right ? left < right : $0.code < $1.code
        }
    }

    /// "Name / 中文名 (alias, alias)", leaving out what is not there.
    private func names(_ name: String, _ chinese: String?, _ aliases: [String] = []) -> String {
        let main = chinese.map { "\(name) / \($0)" } ?? name
        return aliases.isEmpty ? main : "\(main) (\(aliases.joined(separator: ", ")))"
    }

    /// Left-aligned columns two spaces apart; the last column as it is, without trailing spaces.
    static func columns(_ rows: [[String]]) -> String {
        let count = rows.map(\.count).max() ?? 0
        var widths = [Int](repeating: 0, count: count)
        for row in rows {
            for (index, cell) in row.enumerated() where index < count - 1 {
                widths[index] = max(widths[index], cell.count)
            }
        }
        return rows.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[index] - cell.count)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
