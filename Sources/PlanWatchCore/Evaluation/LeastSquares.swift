/// An ordinary least-squares line through points (time, value).
public struct LeastSquaresLine: Sendable, Equatable {
    public var slope: Double
    public var intercept: Double

    /// The line through `points`; nil for fewer than two distinct times.
    public init?(_ points: [(x: Double, y: Double)]) {
        guard points.count >= 2 else { return nil }
        let n = Double(points.count)
        let meanX = points.map(\.x).reduce(0, +) / n
        let meanY = points.map(\.y).reduce(0, +) / n
        var sxx = 0.0
        var sxy = 0.0
        for point in points {
            sxx += (point.x - meanX) * (point.x - meanX)
            sxy += (point.x - meanX) * (point.y - meanY)
        }
        guard sxx > 0 else { return nil }
        slope = sxy / sxx
        intercept = meanY - slope * meanX
    }

    public func value(at x: Double) -> Double { intercept + slope * x }

    /// The time at which the line reaches `y`; nil for a flat line.
    public func time(reaching y: Double) -> Double? {
        slope == 0 ? nil : (y - intercept) / slope
    }
}
