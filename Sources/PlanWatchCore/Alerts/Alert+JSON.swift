extension Alert {
    /// The alert as one line of the alert log: the fields in the order the README ("Reading alerts") documents (`time`, `id`,
    /// `severity`, `kind`, `plan`, `target`, `indicator`, `region`, `state`, `stale` (target alerts), `previous_state`, `as_of`,
    /// `latest_period`, `latest_value`, `target_value`, `pace_ratio`, `projected_value`, then `file`, `period`,
    /// `old_value`, `new_value` when set, and `message` last), on every line; numbers with at most 12 significant
    /// digits. `JSONEncoder` orders keys by hash on Linux, so the order differed from line to line.
    public var json: String {
        var out = JSONWriter()
        out.open()
        out.field("time", time)
        out.field("id", id)
        out.field("severity", severity.rawValue)
        out.field("kind", kind.rawValue)
        out.field("plan", plan)
        out.field("target", target)
        out.field("indicator", indicator)
        out.field("region", region)
        out.field("state", state?.rawValue)
        if let stale {
            out.key("stale")
            out.text += stale ? "true" : "false"
        }
        out.field("previous_state", previousState?.rawValue)
        out.field("as_of", asOf)
        out.field("latest_period", latestPeriod)
        out.field("latest_value", latestValue)
        out.field("target_value", targetValue)
        out.field("pace_ratio", paceRatio)
        out.field("projected_value", projectedValue)
        if let file { out.field("file", file) }
        if let period { out.field("period", period) }
        if let oldValue { out.field("old_value", oldValue) }
        if let newValue { out.field("new_value", newValue) }
        out.field("message", message)
        out.close()
        return out.text
    }
}
