import Foundation
import Testing

@testable import PlanWatchCore
@testable import PlanWatchSetup
@testable import PlanWatchHTTP
@testable import PlanWatchIngest
@testable import PlanWatchFetch
@testable import PlanWatchOutputs
@testable import PlanWatchDaemon
@testable import PlanWatchStore

/// The alert log's exactly-once publishing, in process, on a real database and log file in a temporary folder.
/// A crash between a batch's flush and its commit is played by the store's own seam: the batch's body writes the
/// lines, then throws, so the transaction that would mark them rolls back, exactly as a kill leaves it.
@Suite("alert log: every alert once, across crashes, cut-off lines and rotations")
struct AlertLogTests {
    /// A store and an alert log in a fresh temporary folder, removed by `cleanUp()`.
    struct Fixture {
        let folder: String
        let store: Store
        var logPath: String { folder + "/log/alerts.jsonl" }

        init() throws {
            folder = FileManager.default.temporaryDirectory.appending(path: "planwatch-alertlog-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            store = try Store.open(path: folder + "/planwatch.sqlite")
        }

        func cleanUp() { try? FileManager.default.removeItem(atPath: folder) }

        /// A daemon's alert log on this fixture's file (a new one plays a restarted process).
        func log() -> AlertLog { AlertLog(path: logPath) }

        /// Stores `file_rejected` alerts `a-FIRST` … `a-LAST`, pending.
        func insert(_ numbers: ClosedRange<Int>) throws {
            try store.insert(numbers.map { number in
                Alert(
                    id: "a-\(number)", time: "2025-06-30T00:00:00.000Z", severity: .warning, kind: .fileRejected,
                    file: "f\(number).csv", message: "f\(number).csv was rejected with 1 problem.")
            })
        }

        /// Writes the pending alerts to `log` batch by batch like `publish`, but the process "dies" after
        /// writing batch number `crashAfter` (1-based): that batch is in the file and not marked in the database.
        func publishAndCrash(_ log: AlertLog, batch: Int = Store.alertLogBatch, crashAfter: Int = 1) throws {
            var batches = 0
            #expect(throws: Crash.self) {
                try store.logPendingAlerts(at: Date(), batch: batch) { pending in
                    try log.append(pending.map(\.line))
                    batches += 1
                    if batches == crashAfter { throw Crash() }
                }
            }
        }

        /// The ids of the lines of the file at `path` (the log by default), in order; a line that is not a JSON
        /// object with an id is `"<not an alert>"`.
        func loggedIDs(_ path: String? = nil) throws -> [String] {
            let text = try String(contentsOfFile: path ?? logPath, encoding: .utf8)
            return text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map { line in
                let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                return object?["id"] as? String ?? "<not an alert>"
            }
        }
    }

    struct Crash: Error {}

    static func ids(_ numbers: ClosedRange<Int>) -> [String] { numbers.map { "a-\($0)" } }

    @Test func pendingAlertsAreWrittenInOrderMarkedAndNeverWrittenTwice() throws {
        let fixture = try Fixture()
        defer { fixture.cleanUp() }
        let log = fixture.log()
        try fixture.insert(1...3)
        var journal: [String] = []
        #expect(try log.publish(fixture.store) { journal.append($0.id) } == 3)
        #expect(try log.publish(fixture.store) { journal.append($0.id) } == 0)
        #expect(try fixture.loggedIDs() == Self.ids(1...3))
        #expect(journal == Self.ids(1...3))
        #expect(try fixture.store.hasPendingAlerts() == false)
        #expect(try fixture.store.lastLoggedAlertID() == "a-3")
    }

    @Test func aBatchWrittenButNotMarkedBeforeACrashIsMarkedWithoutBeingWrittenAgain() throws {
        let fixture = try Fixture()
        defer { fixture.cleanUp() }
        try fixture.insert(1...2)
        try fixture.log().publish(fixture.store) { _ in }
        try fixture.insert(3...5)
        try fixture.publishAndCrash(fixture.log())
        #expect(try fixture.loggedIDs() == Self.ids(1...5))
        #expect(try fixture.store.lastLoggedAlertID() == "a-2")

        // The restarted process, with one more alert raised since.
        try fixture.insert(6...6)
        var journal: [String] = []
        #expect(try fixture.log().publish(fixture.store) { journal.append($0.id) } == 4)
        #expect(try fixture.loggedIDs() == Self.ids(1...6))
        #expect(journal == ["a-6"])
        #expect(try fixture.store.hasPendingAlerts() == false)
    }

    @Test func aCrashInTheMiddleOfAPublishOfManyBatchesLeavesEveryAlertOnce() throws {
        let fixture = try Fixture()
        defer { fixture.cleanUp() }
        try fixture.insert(1...10)
        // Batches of four: 1–4 marked, 5–8 written and not marked, 9–10 pending.
        try fixture.publishAndCrash(fixture.log(), batch: 4, crashAfter: 2)
        #expect(try fixture.store.lastLoggedAlertID() == "a-4")
        #expect(try fixture.loggedIDs() == Self.ids(1...8))

        #expect(try fixture.log().publish(fixture.store) { _ in } == 6)
        #expect(try fixture.loggedIDs() == Self.ids(1...10))
        #expect(try fixture.store.hasPendingAlerts() == false)
    }

    @Test func aCutOffLastLineIsRemovedAndItsAlertWrittenWhole() throws {
        let fixture = try Fixture()
        defer { fixture.cleanUp() }
        try fixture.insert(1...2)
        try fixture.log().publish(fixture.store) { _ in }
        try fixture.insert(3...3)
        // The process died in the middle of writing alert 3's line.
        let line = try #require(try fixture.store.alertLines().last)
        let partial = Data(line.utf8.prefix(40))
        let handle = try #require(FileHandle(forWritingAtPath: fixture.logPath))
        try handle.seekToEnd()
        try handle.write(contentsOf: partial)
        try handle.close()
        #expect(try fixture.loggedIDs() == Self.ids(1...2))  // the partial line has no newline yet

        let restarted = fixture.log()
        #expect(try restarted.publish(fixture.store) { _ in } == 1)
        #expect(restarted.repairedBytes == 40)
        #expect(try fixture.loggedIDs() == Self.ids(1...3))
        #expect(try String(contentsOfFile: fixture.logPath, encoding: .utf8).hasSuffix(line + "\n"))
    }

    @Test func afterARotationWithReopenTheNewFileHoldsOnlyTheNewAlerts() throws {
        let fixture = try Fixture()
        defer { fixture.cleanUp() }
        let log = fixture.log()
        try fixture.insert(1...3)
        try log.publish(fixture.store) { _ in }
        try FileManager.default.moveItem(atPath: fixture.logPath, toPath: fixture.logPath + ".1")
        log.reopen()
        try fixture.insert(4...5)
        #expect(try log.publish(fixture.store) { _ in } == 2)
        #expect(try fixture.loggedIDs(fixture.logPath + ".1") == Self.ids(1...3))
        #expect(try fixture.loggedIDs() == Self.ids(4...5))
        #expect(log.reopenedAfterRemoval == false)
    }

    @Test func aRotationWithoutReopenIsNoticedAndTheAlertsGoToTheNewFile() throws {
        let fixture = try Fixture()
        defer { fixture.cleanUp() }
        let log = fixture.log()
        try fixture.insert(1...2)
        try log.publish(fixture.store) { _ in }
        try FileManager.default.moveItem(atPath: fixture.logPath, toPath: fixture.logPath + ".1")
        try fixture.insert(3...3)
        #expect(try log.publish(fixture.store) { _ in } == 1)
        #expect(log.reopenedAfterRemoval)
        #expect(try fixture.loggedIDs(fixture.logPath + ".1") == Self.ids(1...2))
        #expect(try fixture.loggedIDs() == ["a-3"])
    }

    @Test func aBatchWrittenAfterARotationAndNotMarkedIsFoundByReadingTheWholeNewFile() throws {
        let fixture = try Fixture()
        defer { fixture.cleanUp() }
        let log = fixture.log()
        try fixture.insert(1...3)
        try log.publish(fixture.store) { _ in }
        try FileManager.default.moveItem(atPath: fixture.logPath, toPath: fixture.logPath + ".1")
        log.reopen()
        try fixture.insert(4...5)
        try fixture.publishAndCrash(log)
        // The last marked alert, a-3, is not in the new file: all of it is read.
        #expect(try fixture.log().publish(fixture.store) { _ in } == 2)
        #expect(try fixture.loggedIDs(fixture.logPath + ".1") == Self.ids(1...3))
        #expect(try fixture.loggedIDs() == Self.ids(4...5))
    }

    /// The write-up promises once per file set only when the log is not rotated between a crash and the restart:
    /// the lines a crash left unmarked are then in the rotated file, which is not read, and are written again.
    @Test func aRotationBetweenACrashAndTheRestartFindsTheUnmarkedBatchInTheRotatedFile() throws {
        let fixture = try Fixture()
        defer { fixture.cleanUp() }
        try fixture.insert(1...2)
        try fixture.log().publish(fixture.store) { _ in }
        try fixture.insert(3...4)
        try fixture.publishAndCrash(fixture.log())
        try FileManager.default.moveItem(atPath: fixture.logPath, toPath: fixture.logPath + ".1")
        // a-3 and a-4 went with the rotation, written but unmarked: marked now (2), not written again.
        #expect(try fixture.log().publish(fixture.store) { _ in } == 2)
        let everything = try fixture.loggedIDs(fixture.logPath + ".1") + fixture.loggedIDs()
        #expect(everything == Self.ids(1...4))
        #expect(try fixture.store.hasPendingAlerts() == false)
    }
}
