import Foundation
import PlanWatchCore
import PlanWatchStore
import Testing

@testable import PlanWatchSetup
@testable import PlanWatchHTTP
@testable import PlanWatchIngest
@testable import PlanWatchFetch
@testable import PlanWatchOutputs
@testable import PlanWatchDaemon

/// `Fetcher` on a shared-folder source, at a fixed time: the record it leaves for the daemon, and names that
/// never collide.
@Suite("Fetcher")
struct FetcherTests {
    @Test func aSharedFilesTimeIsItsVintageAndTwoChangesInOneSecondKeepTheirOwnNames() throws {
        let folder = FileManager.default.temporaryDirectory.appending(path: "planwatch-fetcher-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let shared = folder.appending(path: "anhui.csv")
        try Data("indicator,region,period,value\nurbanization_rate,CN-AH,2023,61.51\n".utf8).write(to: shared)
        // Published on 2024-09-30 at 08:00 UTC, as the share's file says.
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_727_683_200)], ofItemAtPath: shared.path)

        var configuration = try Configuration.loadEmbedded()
        configuration.settings.stateDirectory = folder.appending(path: "state").path
        var source = DataSource(id: "share", name: "Office share")
        var spec = FetchSpec(location: .path(shared.path))
        spec.vintage = .lastModified
        source.fetch = spec
        configuration.planSet.catalog.add(source)
        let store = try StateDirectory.openStore(configuration)
        var fetcher = Fetcher(configuration: configuration, store: store)
        fetcher.now = { Date(timeIntervalSince1970: 1_700_000_000) }  // 2023-11-14T22:13:20Z

        let first = try fetcher.fetch(source)
        #expect(first.outcome == .changed)
        #expect(first.message == "share: 65 bytes from \(shared.path) dropped into the inbox as share-20231114T221320Z.csv")
        try Data("indicator,region,period,value\nurbanization_rate,CN-AH,2024,62.57\n".utf8).write(to: shared)
        let second = try fetcher.fetch(source, force: true)
        #expect(second.message == "share: 65 bytes from \(shared.path) dropped into the inbox as share-20231114T221320Z-2.csv")
        let inbox = folder.appending(path: "state/inbox").path
        #expect(try FileManager.default.contentsOfDirectory(atPath: inbox).sorted() == ["share-20231114T221320Z-2.csv", "share-20231114T221320Z.csv"])
        #expect(try String(contentsOfFile: inbox + "/share-20231114T221320Z.csv", encoding: .utf8).hasSuffix("2023,61.51\n"), "the first is not replaced")

        let recorded = try #require(try store.fetchedFile(named: "share-20231114T221320Z.csv"))
        #expect(recorded.source == "share" && recorded.url == shared.path && recorded.fetchedAt == 1_700_000_000)
        #expect(recorded.vintage == "2024-09-30T08:00:00.000Z", "the share's modification time")
        // The second version was written just now (not at the fetch time): the share says when.
        #expect(try store.fetchedFile(named: "share-20231114T221320Z-2.csv")?.vintage?.hasPrefix("2023-11-14") == false)
        // A zip's member is its archive's; a name nobody fetched is nobody's.
        try store.recordFetchedFile(FetchedFile(name: "share-x.zip", source: "share", url: "u", fetchedAt: 1, sha256: "0", vintage: nil))
        #expect(try store.fetchedFile(named: "share-x.zip--DF--URB.csv")?.name == "share-x.zip")
        #expect(try store.fetchedFile(named: "anhui.csv") == nil)
    }
}
