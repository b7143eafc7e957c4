import PlanWatchCore

/// The language of the report's labels and names (`--lang`).
public enum ReportLanguage: String, Sendable, CaseIterable {
    case en, zh
}

/// One value of a target's series as the report lists and plots it.
public struct ReportValue: Sendable, Equatable {
    /// How the value relates to what evaluation uses.
    public enum Status: String, Sendable {
        /// The value evaluation uses for its period (the best-ranked source's current value).
        case used
        /// Another source's current value for the same period, ranked below the used one.
        case otherSource = "other_source"
        /// An older vintage or a replaced value of a source (kept in the history).
        case revised
        /// Computed, not stored: a group's value from its members, or an index from yearly changes.
        case computed
    }

    public var period: Period
    public var value: Double
    /// The catalogue's name of the source, or a description of the computation.
    public var source: String
    public var vintage: String
    public var file: String
    public var row: Int?
    public var status: Status
    /// The address of the publication the value was read in (the catalogue's `publications:` entry for its file,
    /// else its source's `url:`), linked from the values table.
    public var url: String?

    public init(
        period: Period, value: Double, source: String, vintage: String = "", file: String = "", row: Int? = nil,
        status: Status, url: String? = nil
    ) {
        self.period = period
        self.value = value
        self.source = source
        self.vintage = vintage
        self.file = file
        self.row = row
        self.status = status
        self.url = url
    }
}

/// A member of a group region and its values of the target's indicator, to show which member is missing.
public struct ReportMember: Sendable, Equatable {
    public var region: String
    public var values: [Period: Double]
    /// Who published the member's values (the catalogue's names), in rank order.
    public var sources: [String]

    public init(region: String, values: [Period: Double], sources: [String] = []) {
        self.region = region
        self.values = values
        self.sources = sources
    }
}

/// Everything the report shows about one target.
public struct ReportTarget: Sendable {
    public var plan: Plan
    public var target: Target
    public var evaluation: Evaluation
    /// Every stored value of the target's series (all sources and vintages) and the computed ones.
    public var values: [ReportValue]
    /// The reference series of a target relative to another region or group, and its name.
    public var reference: [Period: Double]?
    public var referenceName: String?
    /// Who published the reference series' values (the catalogue's names).
    public var referenceSources: [String]
    /// The members of a group region, with their values.
    public var members: [ReportMember]
    /// Addresses of sources by the name the page shows (the catalogue's `url:` of a source), for the sources list.
    public var sourceURLs: [String: String]

    public init(
        plan: Plan, target: Target, evaluation: Evaluation, values: [ReportValue], reference: [Period: Double]? = nil,
        referenceName: String? = nil, referenceSources: [String] = [], members: [ReportMember] = [],
        sourceURLs: [String: String] = [:]
    ) {
        self.referenceSources = referenceSources
        self.sourceURLs = sourceURLs
        self.plan = plan
        self.target = target
        self.evaluation = evaluation
        self.values = values
        self.reference = reference
        self.referenceName = referenceName
        self.members = members
    }

    /// The values evaluation uses, by period.
    public var used: [(period: Period, value: Double)] {
        values.filter { $0.status == .used || $0.status == .computed }.map { ($0.period, $0.value) }.sorted { $0.period < $1.period }
    }
}

/// The whole report: the plans in order, their targets, and when.
public struct ReportInput: Sendable {
    public var catalog: Catalog
    public var plans: [Plan]
    public var targets: [ReportTarget]
    public var asOf: CalendarDate
    /// When the data last changed (the last ingested file's time), as written.
    public var dataChanged: String?
    public var language: ReportLanguage

    public init(catalog: Catalog, plans: [Plan], targets: [ReportTarget], asOf: CalendarDate, dataChanged: String?, language: ReportLanguage) {
        self.catalog = catalog
        self.plans = plans
        self.targets = targets
        self.asOf = asOf
        self.dataChanged = dataChanged
        self.language = language
    }
}

extension ReportInput {
    /// The input without the plans issued after the as-of date, nor their targets: a report as of a past day
    /// shows what was planned by then.
    var issuedByAsOf: ReportInput {
        guard plans.contains(where: { $0.issued > asOf }) else { return self }
        var copy = self
        copy.plans = plans.filter { $0.issued <= asOf }
        copy.targets = targets.filter { $0.plan.issued <= asOf }
        return copy
    }
}
