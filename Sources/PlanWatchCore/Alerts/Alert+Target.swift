extension Alert {
    /// A target alert for `evaluation`, raised as `kind` after `previous`.
    public static func target(
        _ kind: AlertKind, evaluation: Evaluation, previous: TargetState?, id: String, time: String
    ) -> Alert {
        let subject = "\(evaluation.target) (\(evaluation.region))"
        let what: String
        switch kind {
        case .firstEvaluation: what = "\(subject) is \(evaluation.state.rawValue)"
        case .stale: what = "\(subject): the \(evaluation.overdue?.period ?? "next") figure is overdue"
        case .fresh: what = "\(subject): new data, the \(evaluation.latestPeriod ?? "latest") figure, arrived"
        case .repeated: what = "\(subject) is still off_track"
        case .achieved: what = "\(subject) achieved its target"
        case .missed: what = "\(subject) missed its target"
        default: what = "\(subject) is now \(evaluation.state.rawValue)\(previous.map { " (was \($0.rawValue))" } ?? "")"
        }
        return Alert(
            id: id, time: time,
            severity: AlertDecision.severity(kind, state: evaluation.state, target: evaluation.severity),
            kind: kind, plan: evaluation.plan, target: evaluation.target, indicator: evaluation.indicator,
            region: evaluation.region, state: evaluation.state, stale: evaluation.stale, previousState: previous,
            asOf: evaluation.asOf,
            latestPeriod: evaluation.latestPeriod, latestValue: evaluation.latestValue, targetValue: evaluation.targetValue,
            paceRatio: evaluation.paceRatio, projectedValue: evaluation.projectedValue,
            message: sentence("\(what). \(evaluation.message)"))
    }
}
