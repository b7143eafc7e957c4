/// A doubling back-off: after each failure, how long to wait before trying again, from `first` up to `longest`
/// seconds; a success starts over. The daemon retries logging pending alerts on it (1 s … 60 s), so alerts held
/// back by a full disk are logged within seconds of space returning, without waiting for a file or evaluation.
public struct RetryBackoff: Sendable, Equatable {
    public let first: Double
    public let longest: Double
    /// Failures since the last success.
    public private(set) var failures = 0

    public init(first: Double, longest: Double) {
        self.first = first
        self.longest = longest
    }

    /// Records a failure; returns the seconds to wait before the next try.
    public mutating func failed() -> Double {
        let delay = min(longest, first * Double(1 << min(failures, 30)))
        failures += 1
        return delay
    }

    /// Records a success: the next failure waits `first` again.
    public mutating func succeeded() {
        failures = 0
    }
}
