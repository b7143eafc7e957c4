import Crypto
import Foundation
import PlanWatchCore
import PlanWatchReport
import PlanWatchSetup
import PlanWatchIngest
import PlanWatchHTTP

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

    public typealias WriteError = FolderError

    /// The end of the message for a name in the way.
    static let advice = "move it away, or pick another folder with --out"

    /// The report folder's own name and its parent folder.
    private var parentPath: String { (directory as NSString).deletingLastPathComponent }
    private var name: String { (directory as NSString).lastPathComponent }
    /// The spare folder beside the report: the previous report, kept after a swap so the next one is written
    /// into its files (truncated and rewritten: no inode to allocate for each of 10,000 pages, which was most of the
    /// time on ext4) rather than into a new folder. Hidden, so it is not mistaken for a report.
    private var spareName: String { ".\(name).spare" }
    private var lockName: String { ".\(name).lock" }

    /// Whether the folder holds the report made from inputs with this digest.
    public func holds(_ digest: String) -> Bool {
        guard let parent = try? OwnFolder.named(parentPath, advice: ReportWriter.advice),
            let report = parent.existingFolder(name),
              let stored = report.read(ReportWriter.digestFile, limit: 256) else { return false }
        return String(decoding: stored, as: UTF8.self) == digest
    }

    /// Renders and writes `input` into the spare folder, recording `digest` (of what it was made from) beside it,
    /// then exchanges the spare and the report folders. One writer at a time (a lock beside them). Every step is
    /// taken relative to the parent folder's descriptor and follows no link (`OwnFolder`); the only things ever
    /// removed are links planted at the report's own names and pages of its own that left the report.
    @discardableResult
    public func write(
        _ input: ReportInput, digest: String, renderer: ReportRenderer = ReportRenderer()
    ) throws(WriteError) -> Outcome {
        let pages = renderer.render(input)
        let parent = try OwnFolder.named(parentPath, advice: ReportWriter.advice)
        let lock = try parent.openOwnFile(lockName, flags: O_RDWR, mode: 0o600)
        defer { close(lock) }
        flock(lock, LOCK_EX)
        try checkOwnFolder(in: parent)
        let mode: mode_t = group == nil ? 0o755 : 0o750
        let fileMode: mode_t = group == nil ? 0o644 : 0o640
        let spare = try parent.folder(spareName, create: mode, group: group)
        var folders = ["": spare]
        for page in pages {
            let parts = page.path.split(separator: "/", maxSplits: 1).map(String.init)
            let (folderName, file) = parts.count == 2 ? (parts[0], parts[1]) : ("", page.path)
            if folders[folderName] == nil {
                folders[folderName] = try spare.folder(folderName, create: mode, group: group)
            }
            try folders[folderName]!.write(file, Data(page.html.utf8), mode: fileMode, group: group)
        }
        // Pages and downloads of targets no longer in the report go; nothing else in the folder is touched.
        let written = Set(pages.map(\.path))
        for (folderName, folder) in folders where !folderName.isEmpty {
            for file in folder.names()
            where (file.hasSuffix(".html") || file.hasSuffix(".csv")) && !written.contains(folderName + "/" + file) {
                folder.removeOwnFile(file)
            }
        }
        try spare.write(ReportWriter.digestFile, Data(digest.utf8), mode: fileMode, group: group)
        try swap(in: parent)
        return .written(pages: pages.count)
    }

    /// The report's name must be free or a folder this user made: a link there would make the next swap put it in
    /// the spare's place; another user's folder is not ours to replace.
    private func checkOwnFolder(in parent: OwnFolder) throws(WriteError) {
        switch parent.entry(name) {
        case .missing: return
        case .folder(let info) where info.st_uid == OwnFolder.owner: return
        default: throw parent.notOurs(name)
        }
    }

    /// Exchanges the spare and the report (`renameat2(RENAME_EXCHANGE)`); the first report is renamed into place.
    private func swap(in parent: OwnFolder) throws(WriteError) {
        let renameAt2 = RenameAt2.function
        if case .missing = parent.entry(name) {
            let moved = renameAt2.map { $0(parent.fd, spareName, parent.fd, name, RenameAt2.noReplace) == 0 }
                ?? (renameat(parent.fd, spareName, parent.fd, name) == 0)
            guard moved else {
                throw WriteError(description: "cannot move the new report to \(directory): \(OwnFolder.reason())")
            }
        } else if let renameAt2, renameAt2(parent.fd, spareName, parent.fd, name, RenameAt2.exchange) == 0 {
            // The old report is now the spare, for next time.
        } else {
            // No RENAME_EXCHANGE (an old kernel or file system): the old one aside, the new one in, the old one spare.
            let old = ".\(name).old-\(getpid())"
            guard renameat(parent.fd, name, parent.fd, old) == 0, renameat(parent.fd, spareName, parent.fd, name) == 0
            else {
                throw WriteError(description: "cannot replace the report in \(directory): \(OwnFolder.reason())")
            }
            _ = renameat(parent.fd, old, parent.fd, spareName)
        }
    }

    /// SHA-256 of what a report is made from: the evaluations (with their as-of dates, states, numbers and
    /// messages), the data's version (the newest ingested file: any change to a stored value comes with one), the
    /// day and the language. Cheap enough to check before reading a single value.
    public static func digest(
        evaluations: [Evaluation], dataVersion: Int64, asOf: CalendarDate, language: ReportLanguage
    ) -> String {
        var hash = SHA256()
        hash.update(data: Data("\(asOf) \(language.rawValue) \(dataVersion)\n".utf8))
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        if let data = try? encoder.encode(evaluations) { hash.update(data: data) }
        return FileBytes.hex(hash.finalize())
    }
}
