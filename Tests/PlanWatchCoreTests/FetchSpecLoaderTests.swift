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

    @Test func refusesHttpsAndNeitherOrBoth() throws {
        #expect(try PlanFiles.diagnostics(Self.sources("{url: \"https://ec.europa.eu/x\"}")) == [
            "sources.yaml:4: 'url' of 'fetch' of source 'office' is 'https://ec.europa.eu/x'; planwatch fetches plain http:// addresses (put a local proxy in front of https)",
        ])
        #expect(try PlanFiles.diagnostics(Self.sources("{every: P1D}")) == [
            "sources.yaml:4: 'fetch' of source 'office' needs exactly one of 'url' (http://…) or 'path' (a file on a shared folder)",
        ])
        #expect(try PlanFiles.diagnostics(Self.sources("{url: \"http://a/b\", path: /c}")) == [
            "sources.yaml:4: 'fetch' of source 'office' needs exactly one of 'url' (http://…) or 'path' (a file on a shared folder)",
        ])
    }
}
