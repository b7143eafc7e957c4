/// An observation read from a file and resolved against the catalogue, ready to store.
public struct ObservationRow: Hashable, Sendable {
    public var indicator: String
    public var region: String
    public var period: Period
    public var value: Double
    public var source: String?
    public var note: String?
    /// The record number in the file it came from.
    public var row: Int

    public init(
        indicator: String, region: String, period: Period, value: Double, source: String? = nil,
        note: String? = nil, row: Int
    ) {
        self.indicator = indicator
        self.region = region
        self.period = period
        self.value = value
        self.source = source
        self.note = note
        self.row = row
    }
}

/// What one data row of a file amounts to.
public enum RowResult: Sendable {
    case observation(ObservationRow)
    /// The value cell is empty or a missing-value mark (`..`, `-`): nothing to store, not an error.
    case missing
    case problems([IngestProblem])
}
