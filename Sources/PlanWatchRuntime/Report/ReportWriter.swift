import Crypto
import Foundation
import PlanWatchCore
import PlanWatchReport

/// Writes the progress report into a folder: rendered into a spare folder beside it, then swapped in by one
/// `renameat2(RENAME_EXCHANGE)`, so a reader (a browser, a web server) sees the whole old report or the whole new
/// one, never half of either. `ReportBuilder.write` skips everything when the inputs are those of the report
/// already there.
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

    /// Whether the folder holds the report made from inputs with this digest.
    public func holds(_ digest: String) -> Bool {
        (try? String(contentsOfFile: directory + "/" + ReportWriter.digestFile, encoding: .utf8)) == digest
    }

    /// The spare folder beside the report: the previous report, kept after a swap so the next one is written
    /// into its files (truncated and rewritten: no inode to allocate for each of 10,000 pages, which was most of the
    /// time on ext4) rather than into a new folder. Hidden, so it is not mistaken for a report.
    var spare: String {
        let name = (directory as NSString).lastPathComponent
        return ((directory as NSString).deletingLastPathComponent as NSString).appendingPathComponent(".\(name).spare")
    }

    /// Renders and writes `input` into the spare folder, recording `digest` (of what it was made from) beside it,
    /// then exchanges the spare and the report folders. One writer at a time (a lock beside them).
    @discardableResult
    public func write(_ input: ReportInput, digest: String, renderer: ReportRenderer = ReportRenderer()) throws(WriteError) -> Outcome {
        let pages = renderer.render(input)
        let parent = (directory as NSString).deletingLastPathComponent
        let lockPath = ((parent as NSString).appendingPathComponent(".\((directory as NSString).lastPathComponent).lock"))
        let lock = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard lock >= 0 else {
            throw WriteError(description: "cannot write the report into \(parent.isEmpty ? "." : parent): \(String(cString: strerror(errno))); give this user write access to it, or pick another folder with --out")
        }
        defer { close(lock) }
        flock(lock, LOCK_EX)
        let spare = self.spare
        let manager = FileManager.default
        do {
            try makeFolder(spare)
            try makeFolder(spare + "/targets")
            // Pages of targets no longer in the report go; the rest are overwritten in place.
            let keep = Set(pages.map(\.path))
            for name in (try? manager.contentsOfDirectory(atPath: spare + "/targets")) ?? [] where !keep.contains("targets/" + name) {
                try? manager.removeItem(atPath: spare + "/targets/" + name)
            }
            for page in pages { try writeFile(spare + "/" + page.path, Data(page.html.utf8)) }
            try writeFile(spare + "/" + ReportWriter.digestFile, Data(digest.utf8))
        } catch {
            try? manager.removeItem(atPath: spare)
            throw WriteError(description: "cannot write the report into \(parent.isEmpty ? "." : parent): \(error)")
        }
        var info = stat()
        if lstat(directory, &info) != 0 {
            guard rename(spare, directory) == 0 else {
                throw WriteError(description: "cannot move the new report to \(directory): \(String(cString: strerror(errno)))")
            }
        } else if let renameAt2 = RenameAt2.function, renameAt2(AT_FDCWD, spare, AT_FDCWD, directory, RenameAt2.exchange) == 0 {
            // The old report is now the spare, for next time.
        } else {
            // No RENAME_EXCHANGE (an old kernel or file system): the old one aside, the new one in, the old one spare.
            let old = "\(directory).old-\(getpid())"
            guard rename(directory, old) == 0, rename(spare, directory) == 0 else {
                throw WriteError(description: "cannot replace the report in \(directory): \(String(cString: strerror(errno)))")
            }
            _ = rename(old, spare)
        }
        return .written(pages: pages.count)
    }

    /// SHA-256 of what a report is made from: the evaluations (with their as-of dates, states, numbers and
    /// messages), the data's version (the newest ingested file: any change to a stored value comes with one), the
    /// day and the language. Cheap enough to check before reading a single value.
    public static func digest(evaluations: [Evaluation], dataVersion: Int64, asOf: CalendarDate, language: ReportLanguage) -> String {
        var hash = SHA256()
        hash.update(data: Data("\(asOf) \(language.rawValue) \(dataVersion)\n".utf8))
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        if let data = try? encoder.encode(evaluations) { hash.update(data: data) }
        return FileBytes.hex(hash.finalize())
    }

    /// Makes a folder (0750, or 0755 without a group) unless it exists; an existing one keeps its mode, so a
    /// setgid folder that `tmpfiles.d` made for the service stays setgid (the unit's RestrictSUIDSGID=yes forbids
    /// setting the bit ourselves, and inside such a folder every new file and folder gets its group).
    private func makeFolder(_ path: String) throws {
        if mkdir(path, group == nil ? 0o755 : 0o750) != 0 {
            guard errno == EEXIST else { throw WriteError(description: "\(path): \(String(cString: strerror(errno)))") }
            return
        }
        var info = stat()
        if let group, stat(path, &info) == 0, info.st_gid != group { chown(path, uid_t.max, group) }
    }

    private func writeFile(_ path: String, _ data: Data) throws {
        // Created with its final mode (under the daemon's UMask=0027, 0640 stays 0640): no fchmod per file. An
        // existing page (the spare folder's) is overwritten from the start and cut to length, not opened with
        // O_TRUNC: ext4 writes back a file truncated to zero on close (auto_da_alloc) and discards its blocks,
        // which made rewriting 10,000 pages wait on the disk.
        let fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, group == nil ? 0o644 : 0o640)
        guard fd >= 0 else { throw WriteError(description: "\(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let written = data.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        guard written == data.count, ftruncate(fd, off_t(data.count)) == 0 else {
            throw WriteError(description: "\(path): \(String(cString: strerror(errno)))")
        }
        // The group, unless the folder already gave it (a setgid folder): a chown the service's system-call
        // filter (~@privileged) refuses is not needed then.
        var info = stat()
        if let group, fstat(fd, &info) == 0, info.st_gid != group { fchown(fd, uid_t.max, group) }
    }
}
