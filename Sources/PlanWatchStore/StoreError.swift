/// A database problem, naming the database file, what went wrong and what to do.
public struct StoreError: Error, CustomStringConvertible, Sendable {
    public enum Code: String, Sendable {
        case cannotOpen, newerSchema, olderSchema, corrupt, readOnly, busy, diskFull, exists, other
        /// There is no database yet (a read command on a fresh state directory).
        case missing
        /// This user may not read it; the message names the file, the user and the group to join.
        case permission
    }

    public var code: Code
    public var path: String
    public var message: String
    public var underlying: String?

    public init(_ code: Code, path: String, message: String, underlying: (any Error)? = nil) {
        self.code = code
        self.path = path
        self.message = message
        self.underlying = underlying.map { "\($0)" }
    }

    public var description: String {
        if code == .missing || code == .permission { return message }
        var text = "database \(path): \(message)"
        if let underlying { text += " (\(underlying))" }
        return text
    }
}
