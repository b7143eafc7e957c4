import Crypto
import Foundation
import PlanWatchCore
import PlanWatchReport

/// Writes the progress report into a folder: rendered into a new folder beside it, then swapped in by one
/// `renameat2(RENAME_EXCHANGE)`, so a reader (a browser, a web server) sees the whole old report or the whole new
/// one, never half of either. Skips everything when the inputs are those of the report already there.
public struct ReportWriter: Sendable {
    /// The report folder, e.g. `STATE_DIR/report`.
    public let directory: String
    /// The group that may read the report (the drop group, the analysts'); nil: the process's own.
    public let group: gid_t?

    public init(directory: String, group: gid_t? = nil) {
        self.directory = directory
        self.group = group
    }

    /// The file inside the report folder holding the digest of the inputs it was made from.
    static let digestFile = ".planwatch-digest"

    public enum Outcome: Equatable, Sendable {
        case written(pages: Int)
        case unchanged
    }

    public struct WriteError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Renders and writes `input`, unless the folder already holds the report of the same inputs.
    @discardableResult
    public func write(_ input: ReportInput, renderer: ReportRenderer = ReportRenderer()) throws(WriteError) -> Outcome {
        let digest = ReportWriter.digest(input)
        if let existing = try? String(contentsOfFile: directory + "/" + ReportWriter.digestFile, encoding: .utf8), existing == digest {
            return .unchanged
        }
        let pages = renderer.render(input)
        let parent = (directory as NSString).deletingLastPathComponent
        let fresh = "\(directory).new-\(getpid())"
        let manager = FileManager.default
        try? manager.removeItem(atPath: fresh)
        do {
            try makeFolder(fresh)
            try makeFolder(fresh + "/targets")
            for page in pages { try writeFile(fresh + "/" + page.path, Data(page.html.utf8)) }
            try writeFile(fresh + "/" + ReportWriter.digestFile, Data(digest.utf8))
        } catch {
            try? manager.removeItem(atPath: fresh)
            throw WriteError(description: "cannot write the report into \(parent.isEmpty ? "." : parent): \(error)")
        }
        var info = stat()
        if lstat(directory, &info) != 0 {
            guard rename(fresh, directory) == 0 else {
                let reason = String(cString: strerror(errno))
                try? manager.removeItem(atPath: fresh)
                throw WriteError(description: "cannot move the new report to \(directory): \(reason)")
            }
        } else if let renameAt2 = RenameAt2.function, renameAt2(AT_FDCWD, fresh, AT_FDCWD, directory, RenameAt2.exchange) == 0 {
            try? manager.removeItem(atPath: fresh)  // now the old report
        } else {
            // No RENAME_EXCHANGE (an old kernel or file system): move the old one aside, then the new one in.
            let old = "\(directory).old-\(getpid())"
            try? manager.removeItem(atPath: old)
            guard rename(directory, old) == 0, rename(fresh, directory) == 0 else {
                let reason = String(cString: strerror(errno))
                try? manager.removeItem(atPath: fresh)
                throw WriteError(description: "cannot replace the report in \(directory): \(reason)")
            }
            try? manager.removeItem(atPath: old)
        }
        return .written(pages: pages.count)
    }

    /// SHA-256 of what the report shows: the evaluations (with their as-of dates), the values and the language.
    static func digest(_ input: ReportInput) -> String {
        var hash = SHA256()
        func add(_ text: String) { hash.update(data: Data((text + "\u{1F}").utf8)) }
        add(input.asOf.description)
        add(input.language.rawValue)
        add(input.dataChanged ?? "")
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        for target in input.targets {
            add((try? encoder.encode(target.evaluation)).map { String(decoding: $0, as: UTF8.self) } ?? target.evaluation.target)
            for value in target.values {
                add("\(value.period) \(value.value) \(value.source) \(value.vintage) \(value.file) \(value.row ?? 0) \(value.status.rawValue)")
            }
        }
        return hash.finalize().map { String(format: "%02x", $0) }.joined()
    }

    private func makeFolder(_ path: String) throws {
        guard mkdir(path, 0o750) == 0 || errno == EEXIST else {
            throw WriteError(description: "\(path): \(String(cString: strerror(errno)))")
        }
        chmod(path, group == nil ? 0o755 : 0o2750)
        if let group { chown(path, uid_t.max, group) }
    }

    private func writeFile(_ path: String, _ data: Data) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw WriteError(description: "\(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let written = data.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
        guard written == data.count else { throw WriteError(description: "\(path): \(String(cString: strerror(errno)))") }
        fchmod(fd, group == nil ? 0o644 : 0o640)
        if let group { fchown(fd, uid_t.max, group) }
    }
}
