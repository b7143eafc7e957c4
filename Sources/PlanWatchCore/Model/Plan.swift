/// A development plan: where its targets come from (SPEC §2).
public struct Plan: Hashable, Sendable {
    public var id: String
    public var title: String
    public var titleZh: String?
    public var issuedBy: String?
    public var issued: CalendarDate
    public var source: String?
    public var url: String?
    public var targets: [Target]
    /// The file the plan was read from, for messages.
    public var file: String

    public init(
        id: String, title: String, titleZh: String? = nil, issuedBy: String? = nil, issued: CalendarDate,
        source: String? = nil, url: String? = nil, targets: [Target] = [], file: String = ""
    ) {
        self.id = id
        self.title = title
        self.titleZh = titleZh
        self.issuedBy = issuedBy
        self.issued = issued
        self.source = source
        self.url = url
        self.targets = targets
        self.file = file
    }
}

/// How important a target or alert is.
public enum Severity: String, Sendable, Codable, CaseIterable, Comparable {
    case info, warning, critical

    private var rank: Int {
        switch self {
        case .info: 0
        case .warning: 1
        case .critical: 2
        }
    }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}
