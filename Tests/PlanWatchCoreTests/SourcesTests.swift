import Foundation
import Testing

@testable import PlanWatchCore

/// Issue 11 on values: the sources catalogue and its ranking, vintages, the unit check, and their configuration.
@Suite("sources, vintages and units")
struct SourcesTests {
    static var catalog: Catalog {
        var catalog = TestCatalog.catalog
        catalog.add(DataSource(id: "nbs", name: "National Bureau of Statistics of China", aliases: ["NBS", "国家统计局"]))
        catalog.add(DataSource(id: "provincial-bureaus", name: "Provincial bureaus of statistics", aliases: ["安徽省统计局"]))
        catalog.add(DataSource(id: "wdi", name: "World Bank WDI"))
        var ranked = TestCatalog.population
        ranked.sources = ["wdi", "nbs"]
        catalog.add(ranked)
        return catalog
    }

    @Test func sourcesRankByTheIndicatorThenTheCatalogueThenByNameWithUnattributedLast() {
        let ranking = SourceRanking(catalog: SourcesTests.catalog)
        let order = ["unattributed", "Some newspaper", "wdi", "provincial-bureaus", "nbs", "A yearbook"]
        #expect(order.sorted { ranking.rank($0, indicator: "gdp") < ranking.rank($1, indicator: "gdp") } == [
            "nbs", "provincial-bureaus", "wdi", "A yearbook", "Some newspaper", "unattributed",
        ])
        #expect(order.sorted { ranking.rank($0, indicator: "population") < ranking.rank($1, indicator: "population") } == [
            "wdi", "nbs", "provincial-bureaus", "A yearbook", "Some newspaper", "unattributed",
        ])
        // A publisher's name stored before the catalogue knew it ranks as its source.
        #expect(ranking.rank("国家统计局", indicator: "gdp") == ranking.rank("nbs", indicator: "gdp"))
    }

    @Test func aSourceTextIsStoredUnderItsCatalogueID() {
        let catalog = SourcesTests.catalog
        #expect(catalog.sourceKey("国家统计局") == "nbs")
        #expect(catalog.sourceKey("national bureau of statistics of  China") == "nbs")
        #expect(catalog.sourceKey("安徽省统计局") == "provincial-bureaus")
        #expect(catalog.sourceKey("Anhui Daily") == "Anhui Daily")
        #expect(catalog.sourceName("wdi") == "World Bank WDI")
        #expect(catalog.sourceName("Anhui Daily") == "Anhui Daily")
    }

    @Test func vintagesAreNormalizedToSortableText() {
        #expect(Vintage.normalize("2023-12-18") == "2023-12-18")
        #expect(Vintage.normalize(" 2024-09-30T08:00:00+08:00 ") == "2024-09-30T00:00:00.000Z")
        #expect(Vintage.normalize("2024-09-30 23:00:00") == "2024-09-30T23:00:00.000Z")
        #expect(Vintage.normalize("26/04/24 23:00:00") == "2024-04-26T23:00:00.000Z")
        #expect(Vintage.normalize("26/04/2024") == "2024-04-26")
        for bad in ["", "soon", "2024-13-01", "31/02/24", "2024/04/26"] {
            #expect(Vintage.normalize(bad) == nil, "\(bad)")
        }
        #expect(Vintage.time(1_796_148_959.25) == "2026-12-01T18:15:59.250Z")
        #expect(Vintage.isKnown("2024-06-30T23:59:59.999Z", at: CalendarDate(year: 2024, month: 6, day: 30)))
        #expect(!Vintage.isKnown("2024-07-01", at: CalendarDate(year: 2024, month: 6, day: 30)))
        #expect("2023-12-18" < "2023-12-18T00:00:00.000Z", "a date sorts before any time of that day")
    }

    @Test func theUnitCheckConvertsScalesAndRefusesOtherQuantities() {
        var checker = UnitChecker()
        #expect(checker.check("Population, total", for: TestCatalog.population) == .scale(0.0001))
        #expect(checker.check("人", for: TestCatalog.population) == .scale(0.0001))
        #expect(checker.check("万人", for: TestCatalog.population) == .same)
        #expect(checker.check("万元", for: TestCatalog.gdp) == .scale(0.0001))
        #expect(checker.check("地区生产总值(亿元)", for: TestCatalog.gdp) == .same)
        #expect(checker.check("Urban population (% of total population)", for: TestCatalog.urbanization) == .same)
        #expect(checker.check("GDP (current US$)", for: TestCatalog.gdp, code: "NY.GDP.MKTP.CD") == .refused(
            "the value is in 'GDP (current US$)' but indicator 'gdp' is in 'CNY 100m'; planwatch converts only scales of one unit (人 → 万人, 元 → 亿元), never one currency or quantity into another: add an indicator in 'GDP (current US$)' to the catalogue and map the series to it (mapping: {indicators: {NY.GDP.MKTP.CD: NEW_INDICATOR}})"))
        #expect(checker.check("persons", for: TestCatalog.urbanization) != .same)
        #expect(checker.check("% (annual average)", for: TestCatalog.urbanization) == .same)
        #expect(checker.check("billion persons", for: TestCatalog.population) == .scale(100_000))
        #expect(checker.check("tce", for: TestCatalog.gdp) == .refused(
            "the value is in 'tce' but indicator 'gdp' is in 'CNY 100m'; if it is a scale of 'CNY 100m', declare it in the mapping (mapping: {indicators: {CODE: {indicator: gdp, unit: 'CNY 100m', scale: FACTOR}}}); otherwise map the series to an indicator in that unit"))
    }

    @Test func theLoaderReadsSourcesRankingsAndLongMappingEntries() throws {
        let files = [
            PlanFiles.file("""
                sources:
                  - id: nbs
                    name: National Bureau of Statistics of China
                    aliases: [国家统计局]
                  - id: wdi
                    name: World Bank WDI
                mapping:
                  indicators:
                    SP.POP.TOTL: {indicator: population, unit: persons, scale: 1000, source: wdi}
                """, path: "sources.yaml"),
        ]
        let set = try PlanSet.load([try Fixtures.configFile("catalog.yaml")] + files)
        #expect(set.catalog.sources.map(\.id) == ["nbs", "wdi"])
        #expect(set.mapping.entry("sp.pop.totl") == SourceMapping.Entry(unit: "persons", scale: 1000, source: "wdi"))
        #expect(set.catalog.indicator(named: "SP.POP.TOTL")?.id == "population")
    }

    @Test func anUnknownRankedSourceAndABadScaleAreConfigurationErrors() throws {
        let found = try PlanFiles.diagnostics(PlanFiles.file("""
            sources:
              - id: nbs
                name: National Bureau of Statistics of China
              - id: nbs
                name: Again
            indicators:
              - id: cpi
                name: Consumer prices
                unit: "%"
                publication_lag: P1M
                sources: [nbs, wbd]
              - id: rpi
                name: Retail prices
                unit: "%"
                publication_lag: P1M
                sources: [statistics-office]
            mapping:
              indicators:
                SP.POP.TOTL: {indicator: population, unit: persons, scale: -3}
            """, path: "s.yaml"))
        #expect(found == [
            "s.yaml:4: source 'nbs' is already defined at s.yaml:2; keep one",
            "s.yaml:11: indicator 'cpi' ranks the unknown source 'wbd'; did you mean 'nbs'?",
            "s.yaml:16: indicator 'rpi' ranks the unknown source 'statistics-office'; add it to 'sources:' (id, name, aliases)",
            "s.yaml:19: 'scale' of 'SP.POP.TOTL' must be a positive factor, e.g. 1000 for values in thousands",
        ])
    }
}
