import Foundation
import Testing

@testable import PlanWatchCore

/// Issue 15, item 2: a source's `fetch:` as the loader reads and checks it.
@Suite struct FetchSpecLoaderTests {
    static func sources(_ fetch: String) -> ConfigFile {
        PlanFiles.file("sources:\n  - id: office\n    name: Office share\n    fetch: \(fetch)\n", path: "sources.yaml")
    }

    @Test func readsAnAddressOrAPath() throws {
        let set = try PlanFiles.load(Self.sources("{url: \"http://127.0.0.1:8080/a.csv\", every: P1D, headers: {Accept: text/csv}, timeout: 5s}"))
        #expect(set.catalog.sources.first?.fetch == FetchSpec(
            location: .url("http://127.0.0.1:8080/a.csv"), every: CalendarDuration(days: 1), headers: ["Accept": "text/csv"],
            timeout: CalendarDuration(seconds: 5)))
        let path = try PlanFiles.load(Self.sources("{path: /mnt/share/a.csv}"))
        #expect(path.catalog.sources.first?.fetch == FetchSpec(location: .path("/mnt/share/a.csv")))
    }

    @Test func readsHttpsWithItsCAFileAndAVintageRule() throws {
        let set = try PlanFiles.load(Self.sources("{url: \"https://stats.example.org/a.csv\", ca_file: /etc/planwatch/office-ca.pem, vintage: last_modified}"))
        var expected = FetchSpec(location: .url("https://stats.example.org/a.csv"))
        expected.caFile = "/etc/planwatch/office-ca.pem"
        expected.vintage = .lastModified
        #expect(set.catalog.sources.first?.fetch == expected)
        #expect(try PlanFiles.load(Self.sources("{path: /mnt/a.csv, vintage: fetched}")).catalog.sources.first?.fetch?.vintage == .fetched)
        #expect(try PlanFiles.load(Self.sources("{path: /mnt/a.csv}")).catalog.sources.first?.fetch?.vintage == .file)
    }

    @Test func refusesOtherSchemesBadRulesAndNeitherOrBoth() throws {
        #expect(try PlanFiles.diagnostics(Self.sources("{url: \"ftp://ec.europa.eu/x\"}")) == [
            "sources.yaml:4: 'url' of 'fetch' of source 'office' is 'ftp://ec.europa.eu/x'; give an http:// or https:// address (or path: for a file on a shared folder)",
        ])
        #expect(try PlanFiles.diagnostics(Self.sources("{every: P1D}")) == [
            "sources.yaml:4: 'fetch' of source 'office' needs exactly one of 'url' (http:// or https://) or 'path' (a file on a shared folder)",
        ])
        #expect(try PlanFiles.diagnostics(Self.sources("{url: \"http://a/b\", path: /c}")) == [
            "sources.yaml:4: 'fetch' of source 'office' needs exactly one of 'url' (http:// or https://) or 'path' (a file on a shared folder)",
        ])
        #expect(try PlanFiles.diagnostics(Self.sources("{url: \"http://a/b\", ca_file: /etc/ca.pem}")) == [
            "sources.yaml:4: 'ca_file' of 'fetch' of source 'office' is for an https:// address; 'http://a/b' is plain http",
        ])
        #expect(try PlanFiles.diagnostics(Self.sources("{path: /c, vintage: 2024-09-30}")) == [
            "sources.yaml:4: 'vintage' of 'fetch' of source 'office' is '2024-09-30'; use file (what the file states, else the time it was fetched), last_modified (the server's Last-Modified for values whose file states none) or fetched (the time it was fetched, for every value)",
        ])
    }

    /// A source's own mapping: checked like the settings' one, said with the source; its names work for its
    /// files only, its SDMX dimensions and entries overlay the global ones, and its id is the files' source.
    @Test func aSourcesOwnMappingAppliesToItsFilesOnly() throws {
        let catalog = PlanFiles.file("mapping:\n  sdmx: {region: GEO}\n", path: "mapping.yaml")
        let source = PlanFiles.file("""
            sources:
              - id: estat
                name: Eurostat
                fetch:
                  url: "https://ec.europa.eu/eurostat/api/dissemination/sdmx/2.1/data/nama_10_gdp?format=SDMX-CSV"
                  mapping:
                    indicators: {B1GQ.CP_MCNY: gdp}
                    regions: {CN_AH_TOT: CN-AH}
                    sdmx: {indicator: [NA_ITEM, UNIT]}
            """, path: "sources.yaml")
        let set = try PlanFiles.load(catalog, source)
        #expect(set.catalog.indicator(named: "B1GQ.CP_MCNY") == nil, "the source's names are not everybody's")
        let reading = set.reading(for: "estat")
        #expect(reading.catalog.indicator(named: "B1GQ.CP_MCNY")?.id == "gdp")
        #expect(reading.catalog.region(named: "CN_AH_TOT")?.code == "CN-AH")
        #expect(reading.mapping.sdmxRegion == "GEO", "the global setting stays")
        #expect(reading.mapping.sdmxIndicator == ["NA_ITEM", "UNIT"])
        #expect(reading.mapping.fileSource == "estat")
        #expect(set.mapping.sdmxIndicator == [] && set.mapping.fileSource == nil)

        let wrong = PlanFiles.file("""
            sources:
              - id: estat
                name: Eurostat
                fetch:
                  path: /mnt/a.csv
                  mapping:
                    indicators: {B1GQ.CP_MCNY: gpd}
                    encoding: latin1
            """, path: "sources.yaml")
        #expect(try PlanFiles.diagnostics(catalog, wrong) == [
            "sources.yaml:7: the 'mapping' of source 'estat' maps 'B1GQ.CP_MCNY' to the unknown indicator 'gpd'; did you mean 'gdp (Gross domestic product)'?",
            "sources.yaml:8: 'encoding' of 'mapping' of 'fetch' of source 'estat' is 'latin1'; use 'utf-8' or 'gb18030' (GBK files are GB18030)",
        ])
    }
}
