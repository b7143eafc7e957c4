/// An observation read from a file and resolved against the catalogue, ready to store.
public struct ObservationRow: Hashable, Sendable {
    public var indicator: String
    public var region: String
    public var period: Period
    public var value: Double
    public var source: String?
    public var note: String?
    /// When the value was published, as the file says (a `vintage` column, WDI `Last Updated Date`, SDMX
    /// `LAST UPDATE`): `YYYY-MM-DD` or an RFC 3339 time; nil: the file's vintage (`--vintage`, else its arrival).
    public var vintage: String? {
        get { extras?.vintage }
        set { setExtras(vintage: newValue, unit: unit, code: code) }
    }
    /// The unit the file states for the value, when it states one; nil: the indicator's unit.
    public var unit: String? {
        get { extras?.unit }
        set { setExtras(vintage: vintage, unit: newValue, code: code) }
    }
    /// The source's own code or label for the series (WDI `Indicator Code`, the NBS `指标` line, SDMX dimensions),
    /// for messages that name the mapping line to add.
    public var code: String? {
        get { extras?.code }
        set { setExtras(vintage: vintage, unit: unit, code: newValue) }
    }
    /// The three above in one reference, nil for most rows: a canonical row copied on the ingest hot path costs no
    /// retains for them (three optional strings measured 3% of a 1 M-row ingest).
    private var extras: Extras?

    private final class Extras: Hashable, Sendable {
        let vintage: String?
        let unit: String?
        let code: String?

        init(vintage: String?, unit: String?, code: String?) {
            self.vintage = vintage
            self.unit = unit
            self.code = code
        }

        static func == (lhs: Extras, rhs: Extras) -> Bool {
            (lhs.vintage, lhs.unit, lhs.code) == (rhs.vintage, rhs.unit, rhs.code)
        }

        func hash(into hasher: inout Hasher) {
            hasher.combine(vintage)
            hasher.combine(unit)
            hasher.combine(code)
        }
    }

    private mutating func setExtras(vintage: String?, unit: String?, code: String?) {
        extras = vintage == nil && unit == nil && code == nil ? nil : Extras(vintage: vintage, unit: unit, code: code)
    }

    /// The record number in the file it came from.
    public var row: Int
    /// The value's column (header name and 1-based number), for problems found when storing it.
    public var column: String?
    public var columnNumber: Int?

    public init(
        indicator: String, region: String, period: Period, value: Double, source: String? = nil,
        note: String? = nil, vintage: String? = nil, unit: String? = nil, row: Int, column: String? = nil,
        columnNumber: Int? = nil, code: String? = nil
    ) {
        if vintage != nil || unit != nil || code != nil { extras = Extras(vintage: vintage, unit: unit, code: code) }
        self.indicator = indicator
        self.region = region
        self.period = period
        self.value = value
        self.source = source
        self.note = note
        self.row = row
        self.column = column
        self.columnNumber = columnNumber
    }
}

/// The key of a stored observation, for deletions (SDMX `ACTION` D).
public struct ObservationKey: Hashable, Sendable {
    public var indicator: String
    public var region: String
    public var period: Period
    public var row: Int
    /// The source whose value is removed (the file's); nil: unattributed.
    public var source: String?

    public init(indicator: String, region: String, period: Period, row: Int, source: String? = nil) {
        self.indicator = indicator
        self.region = region
        self.period = period
        self.row = row
        self.source = source
    }
}

/// What one data row of a file amounts to.
public enum RowResult: Sendable {
    case observation(ObservationRow)
    /// The value cell is empty or a missing-value mark (`..`, `-`): nothing to store, not an error.
    case missing
    case problems([IngestProblem])
    /// A series the catalogue does not track (another country, another indicator in a multi-series download):
    /// counted and skipped, not an error. The text names it, e.g. `region 'ARB'`.
    case skipped(String)
    /// Remove a stored observation (SDMX `ACTION` D).
    case deletion(ObservationKey)
}
