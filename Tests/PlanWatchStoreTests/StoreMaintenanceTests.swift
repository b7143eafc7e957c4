import Foundation
import GRDB
import PlanWatchCore
import Testing

@testable import PlanWatchStore

@Suite("Store maintenance")
struct StoreMaintenanceTests {
    static func size(_ path: String) throws -> Int {
        try #require(FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber).intValue
    }

    /// A store holding the test catalogue, still in its write-ahead log. (Only `sync`, so these tests do not depend
    /// on the ingest API.)
    static func storeWithData() throws -> Store {
        let store = try Store.open(path: try StoreTests.temporaryPath())
        _ = try store.sync(StoreTests.catalog)
        return store
    }

    @Test func checkpointEmptiesTheLogIntoTheMainFile() throws {
        let store = try StoreMaintenanceTests.storeWithData()
        #expect(try StoreMaintenanceTests.size(store.path + "-wal") > 0)
        #expect(try store.checkpoint())
        #expect(try StoreMaintenanceTests.size(store.path + "-wal") == 0)

        // The main file alone, copied without its -wal and -shm, holds every commit.
        let copy = try StoreTests.temporaryPath()
        try FileManager.default.copyItem(atPath: store.path, toPath: copy)
        var configuration = Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: copy, configuration: configuration)
        let codes = try queue.read { db in
            (try String.fetchAll(db, sql: "SELECT code FROM indicator"), try String.fetchAll(db, sql: "SELECT name FROM region"))
        }
        #expect(codes.0 == ["gdp"])
        #expect(codes.1 == ["Anhui"])
    }

    @Test func backupWritesACompleteFileAndKeepsAnExistingOne() throws {
        let store = try StoreMaintenanceTests.storeWithData()
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: store.path)
        let destination = try StoreTests.temporaryPath()
        let summary = try store.backup(to: destination)
        #expect(summary == BackupSummary(path: destination, observations: 0, bytes: Int64(try StoreMaintenanceTests.size(destination))))
        #expect(!FileManager.default.fileExists(atPath: destination + "-wal"))
        #expect((try FileManager.default.attributesOfItem(atPath: destination)[.posixPermissions] as? NSNumber)?.intValue == 0o640)
        let copy = try DatabaseQueue(path: destination)
        #expect(try copy.read { db in try String.fetchAll(db, sql: "PRAGMA journal_mode") } == ["delete"])
        #expect(try copy.read { db in try String.fetchAll(db, sql: "SELECT name FROM region") } == ["Anhui"])
        try copy.close()
        #expect {
            _ = try store.backup(to: destination)
        } throws: { error in
            (error as? StoreError)?.description == "database \(destination): already exists; pass --force to overwrite it, or choose another file"
        }
        #expect(try store.backup(to: destination, overwrite: true).observations == 0)
        let folder = (destination as NSString).deletingLastPathComponent
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["planwatch.sqlite"])
    }
}
