import Foundation
import GRDB
import PlanWatchCore
import Testing

@testable import PlanWatchStore

@Suite("Store")
struct StoreTests {
    static func temporaryPath() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appending(path: "planwatch-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder.appending(path: "planwatch.sqlite").path
    }

    static var catalog: Catalog {
        var catalog = Catalog()
        catalog.add(Indicator(id: "gdp", name: "GDP", unit: "CNY 100m", publicationLag: CalendarDuration(months: 3)))
        catalog.add(Region(code: "CN-AH", name: "Anhui"))
        return catalog
    }

    static func row(_ year: Int, _ value: Double, row: Int) -> ObservationRow {
        ObservationRow(indicator: "gdp", region: "CN-AH", period: Period(year: year), value: value, source: "test", row: row)
    }

    static let file = IncomingFile(name: "a.csv", sha256: String(repeating: "a", count: 64), size: 10, layout: "canonical")

    @Test func opensInWALModeWithForeignKeysAndEveryMigration() throws {
        let store = try Store.open(path: try StoreTests.temporaryPath())
        let (mode, keys, migrations) = try store.writer.read { db in
            (try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Int.fetchOne(db, sql: "PRAGMA foreign_keys"),
             try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier"))
        }
        #expect(mode == "wal")
        #expect(keys == 1)
        #expect(migrations == ["v1-evaluations-alerts", "v1-observations", "v2-inbox-steps", "v3-sources-vintages", "v4-alertmanager-outbox", "v5-fetch-state", "v6-fetched-files", "v7-stale-flag"])
    }

    @Test func refusesADatabaseFromANewerVersion() throws {
        let path = try StoreTests.temporaryPath()
        let store = try Store.open(path: path)
        try store.writer.write { db in try db.execute(sql: "INSERT INTO grdb_migrations VALUES ('v9-future')") }
        #expect {
            _ = try Store.open(path: path)
        } throws: { error in
            let error = error as? StoreError
            return error?.code == .newerSchema && error?.description == "database \(path): was written by a newer planwatch (schema v9-future is unknown to this version); upgrade planwatch, or point --state-dir at another directory"
        }
    }

    @Test func reportsACorruptDatabaseClearly() throws {
        let path = try StoreTests.temporaryPath()
        try Data(repeating: 0x41, count: 8192).write(to: URL(fileURLWithPath: path))
        #expect {
            _ = try Store.open(path: path)
        } throws: { error in
            let error = error as? StoreError
            return error?.code == .corrupt
                && error?.description.hasPrefix("database \(path): cannot open the database: the file is not a valid planwatch database or is damaged; move it aside and restore a backup, or re-ingest the processed files into a new one") == true
        }
    }

    @Test func writerInsertsKeepsUnchangedRevisesAndFindsConflicts() throws {
        let store = try Store.open(path: try StoreTests.temporaryPath())
        let ids = try store.sync(StoreTests.catalog)
        let first = try store.ingest(StoreTests.file, ids: ids, at: Date(timeIntervalSince1970: 0)) { (writer: ObservationWriter) throws in
            #expect(try writer.put(StoreTests.row(2023, 47100, row: 2)) == .inserted)
            #expect(try writer.put(StoreTests.row(2023, 47100, row: 3)) == .unchanged)
            #expect(try writer.put(StoreTests.row(2023, 47000, row: 4)) == .conflict(row: 2, value: 47100))
            return (.commit, IngestCounts(rows: 3, inserted: 1, unchanged: 1, badRows: 1), [])
        }
        #expect(first.fileID == 1)
        var second = StoreTests.file
        second.sha256 = String(repeating: "b", count: 64)
        let revised = try store.ingest(second, ids: ids, at: Date(timeIntervalSince1970: 86_400)) { (writer: ObservationWriter) throws in
            #expect(try writer.put(StoreTests.row(2023, 47100.5, row: 2)) == .revised(old: 47100))
            return (.commit, writer.counts, [])
        }
        #expect(revised.counts == IngestCounts(revised: 1))
        let history = try store.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT old_value, new_value, old_file_id, file_id, revised_at FROM observation_revision")
        }
        #expect(history.count == 1)
        #expect(history.first?["old_value"] == 47100.0)
        #expect(history.first?["new_value"] == 47100.5)
        #expect(history.first?["old_file_id"] == 1)
        #expect(history.first?["file_id"] == 2)
        #expect(history.first?["revised_at"] == "1970-01-02T00:00:00.000Z")
    }

    @Test func aRolledBackIngestLeavesNoTrace() throws {
        let store = try Store.open(path: try StoreTests.temporaryPath())
        let ids = try store.sync(StoreTests.catalog)
        let result = try store.ingest(StoreTests.file, ids: ids, at: Date()) { (writer: ObservationWriter) throws in
            _ = try writer.put(StoreTests.row(2022, 45000, row: 2))
            return (.rollback, writer.counts, [])
        }
        #expect(result.fileID == nil)
        let counts = try store.writer.read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM observation"), try Int.fetchOne(db, sql: "SELECT count(*) FROM ingested_file"))
        }
        #expect(counts.0 == 0)
        #expect(counts.1 == 0)
    }

    @Test func theSameContentIngestedMeanwhileIsADuplicate() throws {
        let store = try Store.open(path: try StoreTests.temporaryPath())
        let ids = try store.sync(StoreTests.catalog)
        _ = try store.ingest(StoreTests.file, ids: ids, at: Date(timeIntervalSince1970: 0)) { (writer: ObservationWriter) throws in
            _ = try writer.put(StoreTests.row(2022, 45000, row: 2))
            return (.commit, writer.counts, [])
        }
        var again = StoreTests.file
        again.name = "copy.csv"
        let result = try store.ingest(again, ids: ids, at: Date()) { _ in
            Issue.record("a duplicate must not be parsed")
            return (.commit, IngestCounts(), [])
        }
        #expect(result.fileID == nil)
        #expect(result.duplicateOf?.name == "a.csv")
        #expect(result.duplicateOf?.receivedAt == "1970-01-01T00:00:00.000Z")
    }

    @Test func catalogueSyncKeepsIdsStableAndUpdatesNames() throws {
        let store = try Store.open(path: try StoreTests.temporaryPath())
        let ids = try store.sync(StoreTests.catalog)
        var catalog = StoreTests.catalog
        catalog.add(Region(code: "CN-AH", name: "Anhui Province"))
        catalog.add(Region(code: "CN-HA", name: "Henan"))
        let again = try store.sync(catalog)
        #expect(again.regions["CN-AH"] == ids.regions["CN-AH"])
        #expect(again.regions["CN-HA"] != nil)
        let name = try store.writer.read { db in try String.fetchOne(db, sql: "SELECT name FROM region WHERE code = 'CN-AH'") }
        #expect(name == "Anhui Province")
    }
}
