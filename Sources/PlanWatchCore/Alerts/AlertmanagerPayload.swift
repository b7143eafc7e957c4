/// What Alertmanager is told of one logged alert (SPEC §9b), decided without the database: a target alert is kept
/// under one label set per target, state and freshness (`PlanTarget`, labels `state` and `stale`), firing while
/// the target is in a bad state or its data is overdue; any other label set of the target resolves. A data alert
/// (a rejected file, a revision, a conflict) is its own label set, sent once as `PlanData`.
public enum AlertmanagerPayload: Equatable, Sendable {
    /// A target alert: `key` is its label set's, every other key starting with `prefix` resolves; `firing` is nil
    /// when the target left the bad states with fresh data.
    case target(key: String, prefix: String, firing: Labelled?)
    /// A data alert, sent once under `key`.
    case data(key: String, Labelled)

    /// Labels and annotations, as Alertmanager takes them.
    public struct Labelled: Equatable, Sendable {
        public var labels: [String: String]
        public var annotations: [String: String]
    }

    /// The states a target alert fires in; with overdue data it fires in any state but `achieved` and `missed`.
    public static let firingStates: Set<TargetState> = [.offTrack, .missed, .atRisk, .stale]

    /// Whether a target alert fires at Alertmanager.
    public static func fires(_ state: TargetState, stale: Bool) -> Bool {
        firingStates.contains(state) || (stale && state != .achieved && state != .missed)
    }

    /// The payload of `alert`; `report` gives a target's report page, named in the `report` annotation.
    public static func of(_ alert: Alert, report: (String) -> String? = { _ in nil }) -> AlertmanagerPayload {
        var labels: [String: String] = ["severity": alert.severity.rawValue, "kind": alert.kind.rawValue]
        for (name, value) in [
            ("plan", alert.plan), ("target", alert.target), ("region", alert.region), ("indicator", alert.indicator),
        ] {
            if let value { labels[name] = value }
        }
        var annotations = ["summary": alert.message]
        guard let plan = alert.plan, let target = alert.target, let state = alert.state else {
            labels["alertname"] = "PlanData"
            // Each data alert its own label set: a file's four revisions are four alerts, not one.
            if let file = alert.file { labels["file"] = file }
            if let period = alert.period { labels["period"] = period }
            labels["id"] = alert.id
            return .data(key: "data/\(alert.id)", Labelled(labels: labels, annotations: annotations))
        }
        // One label set per state and freshness: a change of either resolves the alert that fired.
        let stale = alert.stale ?? false
        let prefix = "target/\(plan)/\(target)/"
        let key = prefix + state.rawValue + (stale ? "+stale" : "")
        guard fires(state, stale: stale) else { return .target(key: key, prefix: prefix, firing: nil) }
        labels["alertname"] = "PlanTarget"
        labels["state"] = state.rawValue
        labels["stale"] = stale ? "true" : "false"
        labels["kind"] = nil
        let latest = alert.latestValue.map { "latest \(formatForPeople($0))" + (alert.latestPeriod.map { " (\($0))" } ?? "") }
        annotations["description"] = [
            alert.asOf.map { "as of \($0)" }, latest, alert.targetValue.map { "target \(formatForPeople($0))" },
            alert.paceRatio.map { "pace \(percentForPeople($0))" }, alert.previousState.map { "was \($0.rawValue)" },
        ].compactMap { $0 }.joined(separator: "; ")
        if let page = report(target) { annotations["report"] = page }
        return .target(key: key, prefix: prefix, firing: Labelled(labels: labels, annotations: annotations))
    }
}
