import Foundation
import GRDB
import GRDBSQLite
import PlanWatchCore

extension Store {
    /// Reads the observations of the given indicators (all when nil) into an `ObservationSet`, keeping only
    /// periods that ended by `asOf`. One ordered scan of the clustered key per indicator, so the cost grows with
    /// the observations read, not with the number of targets. A cell holding several sources' values gives the
    /// one `ranking` ranks best (the set remembers which source it was). With `knownAt`, each source's value is
    /// the one of the latest vintage published on or before that day, current or in the history.
    public func observations(
        indicators: Set<String>?, asOf: CalendarDate, ranking: SourceRanking? = nil, knownAt: CalendarDate? = nil
    ) throws(StoreError) -> ObservationSet {
        try read("cannot read observations") { db in
            var set = ObservationSet()
            var regionCodes: [Int64: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT id, code FROM region") { regionCodes[row[0]] = row[1] }
            var indicatorCodes: [Int64: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT id, code FROM indicator") {
                let code: String = row[1]
                if indicators == nil || indicators!.contains(code) { indicatorCodes[row[0]] = code }
            }
            // Each source's key resolved once (a catalogue id, else its text) and given a small index for the set.
            // Source ids are small and dense (rowids of a table of a few rows): an array indexed by id, not a
            // dictionary, since it is read once per observation.
            var keys: [String] = []
            var sourceIndex: [Int32] = []
            for row in try Row.fetchAll(db, sql: "SELECT id, text FROM source ORDER BY id") {
                let id: Int64 = row[0]
                let text: String = row[1]
                guard id >= 0, id < 10_000_000 else { continue }
                if sourceIndex.count <= Int(id) { sourceIndex += [Int32](repeating: 0, count: Int(id) + 1 - sourceIndex.count) }
                sourceIndex[Int(id)] = Int32(keys.count)
                keys.append(text)
            }
            set.sourceNames = keys
            // Stepped through SQLite's C API and gathered a series at a time (rows come in key order: region,
            // period, source), so the set takes one insertion per series instead of one per observation.
            // A cached statement: the database keeps it alive while its raw handle is used.
            let statement: OpaquePointer
            if knownAt != nil {
                statement = try db.cachedStatement(sql: """
                    SELECT o.region_id, o.period, o.source_id, o.value, v.text, o.current FROM (
                        SELECT region_id, period, source_id, value, vintage_id, 1 AS current FROM observation WHERE indicator_id = ?1
                        UNION ALL
                        SELECT region_id, period, source_id, value, vintage_id, 0 FROM observation_history WHERE indicator_id = ?1) o
                    JOIN vintage v ON v.id = o.vintage_id
                    WHERE substr(v.text, 1, 10) <= ?2
                    ORDER BY o.region_id, o.period, o.source_id, v.text, o.current
                    """).sqliteStatement
            } else {
                statement = try db.cachedStatement(
                    sql: "SELECT region_id, period, source_id, value FROM observation WHERE indicator_id = ? ORDER BY region_id, period, source_id"
                ).sqliteStatement
            }
            let day = knownAt?.description ?? ""
            for (id, code) in indicatorCodes.sorted(by: { $0.key < $1.key }) {
                // Ranks computed as sources are met (a cell with one source needs none).
                var ranks: [Int32: (Int, String)] = [:]
                func rank(_ index: Int32) -> (Int, String) {
                    if let known = ranks[index] { return known }
                    let found = ranking?.rank(keys[Int(index)], indicator: code) ?? (0, "")
                    ranks[index] = found
                    return found
                }
                sqlite3_reset(statement)
                sqlite3_bind_int64(statement, 1, id)
                if knownAt != nil {
                    _ = day.withCString { sqlite3_bind_text(statement, 2, $0, -1, unsafeBitCast(-1, to: sqlite3_destructor_type.self)) }
                }
                var currentRegion: Int64 = -1
                var values: [Period: Double] = [:]
                var sources: [Period: Int32] = [:]
                // A series from one source (most are) keeps that one index, not one per value.
                var only: Int32 = -1
                var mixed = false
                // The cell being read: rows of one cell are adjacent (key order), so the choice needs no lookup.
                var cell: (period: Period, source: Int32)?
                func flush() {
                    if let region = regionCodes[currentRegion], !values.isEmpty {
                        if mixed {
                            set.add(indicator: code, region: region, values: values, sources: sources, asOf: asOf)
                        } else {
                            set.add(indicator: code, region: region, values: values, source: only, asOf: asOf)
                        }
                    }
                    values.removeAll(keepingCapacity: true)
                    sources.removeAll(keepingCapacity: true)
                    only = -1
                    mixed = false
                    cell = nil
                }
                while true {
                    let step = sqlite3_step(statement)
                    if step == SQLITE_DONE { break }
                    guard step == SQLITE_ROW else {
                        throw DatabaseError(resultCode: ResultCode(rawValue: step), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
                    }
                    let region = sqlite3_column_int64(statement, 0)
                    if region != currentRegion {
                        flush()
                        currentRegion = region
                    }
                    guard let period = Period(key: Int(sqlite3_column_int64(statement, 1))) else { continue }
                    let sourceID = Int(sqlite3_column_int64(statement, 2))
                    let source = sourceID >= 0 && sourceID < sourceIndex.count ? sourceIndex[sourceID] : 0
                    if let held = cell, held.period == period, held.source != source {
                        // Another source for the same cell: the better-ranked one stays. (Rows of one source come
                        // in vintage order with --known-at: the last is the one known then.)
                        if rank(held.source) <= rank(source) { continue }
                    }
                    cell = (period, source)
                    values[period] = sqlite3_column_double(statement, 3)
                    if only < 0 { only = source }
                    if !mixed, source != only {
                        // The first other source: from here on, one index per value.
                        mixed = true
                        for earlier in values.keys where earlier != period { sources[earlier] = only }
                    }
                    if mixed { sources[period] = source }
                }
                flush()
            }
            return set
        }
    }

    /// Stores evaluations, each target's current state (its `since` kept while the state holds) and the alerts
    /// `decide` raises from each evaluation and the target's alert memory, all in one transaction, so a state
    /// change and its alert are stored together or not at all.
    public func record(
        _ evaluations: [Evaluation], at time: Date,
        alerts decide: (Evaluation, AlertMemory) -> (alerts: [Alert], memory: AlertMemory) = { _, memory in ([], memory)
        }
    ) throws(StoreError) {
        let now = rfc3339(time)
        try write("cannot record evaluations") { db in
            let insert = try db.cachedStatement(sql: """
                INSERT INTO evaluation (plan, target, as_of, evaluated_at, state, result) VALUES (?, ?, ?, ?, ?, ?)
                """)
            let current = try db.cachedStatement(sql: """
                SELECT state, announced, last_alert_at, stale FROM target_state WHERE plan = ? AND target = ?
                """)
            let upsert = try db.cachedStatement(sql: """
                INSERT INTO target_state (plan, target, state, since, evaluation_id, announced, last_alert_at, stale)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (plan, target) DO UPDATE SET
                    since = CASE WHEN target_state.state = excluded.state THEN target_state.since ELSE excluded.since END,
                    state = excluded.state, evaluation_id = excluded.evaluation_id, announced = excluded.announced,
                    last_alert_at = excluded.last_alert_at, stale = excluded.stale
                """)
            for evaluation in evaluations {
                let json = evaluation.json
                try insert.execute(arguments: [evaluation.plan, evaluation.target, evaluation.asOf, now, evaluation.state.rawValue, json])
                let id = db.lastInsertedRowID
                var memory = AlertMemory()
                if let row = try Row.fetchOne(current, arguments: [evaluation.plan, evaluation.target]) {
                    memory = AlertMemory(
                        announced: (row[1] as String?).flatMap(TargetState.init(rawValue:)),
                        previous: (row[0] as String?).flatMap(TargetState.init(rawValue:)), lastAlertAt: row[2],
                        stale: (row[3] as Int64? ?? 0) != 0)
                }
                let decision = decide(evaluation, memory)
                try upsert.execute(arguments: [
                    evaluation.plan, evaluation.target, evaluation.state.rawValue, now, id,
                    decision.memory.announced?.rawValue, decision.memory.lastAlertAt, decision.memory.stale ? 1 : 0,
                ])
                for alert in decision.alerts { try Store.insert(alert, db: db) }
            }
        }
    }

    /// The latest stored evaluation of every target, with the time its state began.
    public func currentStates() throws(StoreError) -> [TargetStateRecord] {
        try read("cannot read target states") { db in
            let decoder = JSONDecoder()
            return try Row.fetchAll(db, sql: """
                SELECT e.result, s.since, e.evaluated_at FROM target_state s JOIN evaluation e ON e.id = s.evaluation_id
                ORDER BY s.plan, s.target
                """
            ).map { row in
                let json: String = row[0]
                return TargetStateRecord(
                    evaluation: try decoder.decode(Evaluation.self, from: Data(json.utf8)), since: row[1], evaluatedAt: row[2])
            }
        }
    }
}

/// A target's current state as stored: its latest evaluation, since when the state holds, and when it was judged.
public struct TargetStateRecord: Sendable {
    public var evaluation: Evaluation
    public var since: String
    public var evaluatedAt: String
}
