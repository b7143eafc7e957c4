/// A number as people write it: integers without `.0`, others in the shortest form that reads back exactly.
public func formatNumber(_ value: Double) -> String {
    if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
    return String(value)
}
