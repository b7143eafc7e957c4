import Foundation
import PlanWatchCore
import PlanWatchSetup

/// What the reading side of an ingest hands to the writing side.
enum StoreItem: Sendable {
    case row(PreparedRow)
    case deletion(ObservationKey)
}

/// An observation ready to store: names already resolved to database ids and the source to a small key, so the
/// writing thread (the bottleneck: it runs SQLite) handles no String in the common case.
struct PreparedRow: Sendable {
    var indicatorID: Int64
    var regionID: Int64
    var period: Period
    var value: Double
    /// Index into the file's list of distinct sources (sent with the batches).
    var source: Int32
    var row: Int32
    var line: Int32
    var columnNumber: Int16
    var note: String?
    /// Index into the file's list of distinct row vintages (sent with the batches); -1: the file's vintage.
    var vintage: Int32 = -1
}

/// Items, and the sources first seen in them (their keys continue the previous batches').
struct ItemBatch: Sendable {
    var items: [StoreItem] = []
    var newSources: [String] = []
    var newVintages: [String] = []
}

/// A bounded queue of item batches between the reading thread and the thread that holds the transaction. Bounded,
/// so memory stays flat however large the file; cancellable, so a failing write stops the reader.
final class ItemChannel: @unchecked Sendable {
    private let condition = NSCondition()
    private var batches: [ItemBatch] = []
    private let capacity: Int
    private var finished = false
    private var cancelled = false

    init(capacity: Int = 8) {
        self.capacity = capacity
    }

    /// Waits for room and adds a batch; false when the writing side has given up.
    func push(_ batch: ItemBatch) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while batches.count >= capacity, !cancelled { condition.wait() }
        guard !cancelled else { return false }
        batches.append(batch)
        condition.broadcast()
        return true
    }

    /// The next batch; nil once the reader finished and everything was taken.
    func pop() -> ItemBatch? {
        condition.lock()
        defer { condition.unlock() }
        while batches.isEmpty, !finished { condition.wait() }
        guard !batches.isEmpty else { return nil }
        let batch = batches.removeFirst()
        condition.broadcast()
        return batch
    }

    /// The reader is done (normally or not).
    func finish() {
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    /// The writer gave up: the reader's next push fails, and what is queued is dropped.
    func cancel() {
        condition.lock()
        cancelled = true
        batches.removeAll()
        condition.broadcast()
        condition.unlock()
    }

    /// Waits until the reader has finished.
    func waitUntilFinished() {
        condition.lock()
        while !finished { condition.wait() }
        condition.unlock()
    }
}
