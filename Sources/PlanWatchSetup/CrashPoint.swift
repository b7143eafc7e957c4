import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Fault injection for the crash tests: with `PLANWATCH_TEST_CRASH=NAME:N` in the environment, the process kills
/// itself with SIGKILL — exactly what `kill -9` does, no cleanup — the Nth time it reaches the point `NAME`. The
/// tests use it to stop the daemon at an exact step (in the middle of a batch of alerts, between a COMMIT and a
/// move) instead of racing a kill against it. Without the variable, `reach` is one load and a compare.
package enum CrashPoint {
    private static let target: (name: String, count: Int)? = {
        guard let value = ProcessInfo.processInfo.environment["PLANWATCH_TEST_CRASH"] else { return nil }
        let parts = value.split(separator: ":", maxSplits: 1)
        return (String(parts[0]), parts.count > 1 ? Int(parts[1]) ?? 1 : 1)
    }()
    nonisolated(unsafe) private static var reached = 0
    private static let lock = NSLock()

    package static func reach(_ name: String) {
        guard let target, target.name == name else { return }
        lock.lock()
        reached += 1
        let now = reached
        lock.unlock()
        if now == target.count { kill(getpid(), SIGKILL) }
    }
}

/// Creates a directory and its missing parents (mode `mode`, before the umask); returns nil or why not, with the
/// path and the system's reason, for messages a user can act on.
@discardableResult
package func mkdirAll(_ path: String, mode: mode_t = 0o755) -> String? {
    var info = stat()
    if stat(path, &info) == 0 {
        return info.st_mode & S_IFMT == S_IFDIR ? nil : "\(path) exists and is not a directory"
    }
    let parent = (path as NSString).deletingLastPathComponent
    if !parent.isEmpty, parent != path, let problem = mkdirAll(parent, mode: mode) { return problem }
    if mkdir(path, mode) == 0 || errno == EEXIST { return nil }
    return "cannot create the directory \(path): \(String(cString: strerror(errno)))"
}
