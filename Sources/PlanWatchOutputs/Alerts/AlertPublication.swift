import Foundation
import PlanWatchCore
import PlanWatchStore

/// The one way alerts leave planwatch, for the daemon and for the commands that raise alerts (`evaluate --record`,
/// `ingest`, `fetch`) alike: the pending alerts written to the alert log, each exactly once, then the logged ones
/// handed to the Alertmanager outbox, each exactly once, with the report page each target alert names.
public struct AlertPublication {
    public let store: Store
    public let log: AlertLog
    public let settings: Settings

    public init(store: Store, log: AlertLog, settings: Settings) {
        self.store = store
        self.log = log
        self.settings = settings
    }

    /// Writes the pending alerts to the alert log (`journal` sees each one written); returns how many.
    @discardableResult
    public func logPending(at time: Date = Date(), journal: (Alert) -> Void = { _ in }) throws -> Int {
        try log.publish(store, at: time, journal: journal)
    }

    /// Hands the logged alerts to the Alertmanager outbox (only marked as handed over when `deliver` is false, as
    /// without `alerts.alertmanager.url`); returns how many were handed over.
    @discardableResult
    public func handOver(now: Date = Date(), deliver: Bool) throws(StoreError) -> Int {
        let pages = settings.reportPath + "/targets/"
        return try store.feedOutbox(enabled: deliver, now: now, report: { pages + $0 + ".html" })
    }
}
