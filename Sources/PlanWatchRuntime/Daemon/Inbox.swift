import Foundation
import PlanWatchCore

#if canImport(Glibc)
    import Glibc
#endif

/// The inbox protocol (SPEC §7): which names are picked up, which entries are refused, and where files go after
/// processing — `processed/YYYY-MM-DD/` or `rejected/` with `NAME.errors.json` and `NAME.errors.txt` — under names
/// that never overwrite an earlier file.
public struct Inbox: Sendable {
    public let directories: StateDirectory
    public let maxFileSize: Int64

    public init(directories: StateDirectory, maxFileSize: Int64) {
        self.directories = directories
        self.maxFileSize = maxFileSize
    }

    /// Whether a name is one planwatch picks up: `*.csv` (any case), not a dotfile, not a temporary name.
    public static func accepts(_ name: String) -> Bool {
        let lower = name.lowercased()
        return !name.hasPrefix(".") && lower.hasSuffix(".csv") && !lower.hasSuffix(".tmp") && !lower.hasSuffix(".part")
            && !name.contains("/")
    }

    /// Creates the inbox, processed and rejected directories if they are missing.
    public func prepare() throws {
        for folder in [directories.inbox, directories.processed, directories.rejected] {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
    }

    /// The names waiting in the inbox, oldest first (by modification time, then name).
    public func waiting() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directories.inbox)) ?? []
        return names.filter(Inbox.accepts).map { name -> (String, Int) in
            var info = stat()
            let time = lstat(directories.inbox + "/" + name, &info) == 0 ? Int(info.st_mtim.tv_sec) : 0
            return (name, time)
        }.sorted { ($0.1, $0.0) < ($1.1, $1.0) }.map(\.0)
    }

    /// What an inbox entry is, looked at without following links.
    public enum Entry: Equatable, Sendable {
        case file(size: Int64)
        case gone
        case refused(String)
    }

    public func examine(_ name: String) -> Entry {
        var info = stat()
        guard lstat(directories.inbox + "/" + name, &info) == 0 else { return .gone }
        switch info.st_mode & S_IFMT {
        case S_IFREG:
            let size = Int64(info.st_size)
            if size > maxFileSize {
                return .refused("the file is \(size) bytes, over the limit of \(maxFileSize) (ingest.max_file_size); split it or raise the limit")
            }
            return .file(size: size)
        case S_IFLNK:
            return .refused("it is a symbolic link, and planwatch never follows links in the inbox; copy the file itself in (write it elsewhere, then rename it into the inbox)")
        case S_IFDIR:
            return .refused("it is a directory; drop CSV files, not folders")
        default:
            return .refused("it is not a regular file (a device, socket or pipe); drop CSV files only")
        }
    }

    /// Moves an ingested (or duplicate) file to `processed/DATE/`; returns its new path.
    public func moveToProcessed(_ name: String, day: CalendarDate) throws -> String {
        let folder = directories.processed + "/" + day.description
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return try move(name, into: folder, reserving: [""])
    }

    /// Moves a rejected or refused entry to `rejected/` (renaming, never following or copying it) and writes
    /// the report beside it as `NAME.errors.json` and `NAME.errors.txt`; returns the entry's new path.
    public func moveToRejected(_ name: String, json: Data, text: String) throws -> String {
        let target = try move(name, into: directories.rejected, reserving: ["", ".errors.json", ".errors.txt"])
        try json.write(to: URL(fileURLWithPath: target + ".errors.json"))
        try Data((text + "\n").utf8).write(to: URL(fileURLWithPath: target + ".errors.txt"))
        return target
    }

    /// Renames the inbox entry into `folder` under the first name (`a.csv`, `a.1.csv`, `a.2.csv`, …) for which no
    /// file with any of the `suffixes` exists. One atomic rename, so there is never a moment when the file is both
    /// in the inbox and moved (a writer renaming a new file in under the same name is never touched), and with
    /// `RENAME_NOREPLACE` a name taken meanwhile is never overwritten.
    private func move(_ name: String, into folder: String, reserving suffixes: [String]) throws -> String {
        let source = directories.inbox + "/" + name
        let stem = (name as NSString).deletingPathExtension
        let ext = (name as NSString).pathExtension
        for attempt in 0..<10_000 {
            let candidate = folder + "/" + (attempt == 0 ? name : "\(stem).\(attempt)" + (ext.isEmpty ? "" : ".\(ext)"))
            if suffixes.contains(where: { isLink(candidate + $0) }) { continue }
            if let renameNoReplace = Inbox.renameNoReplace {
                if renameNoReplace(AT_FDCWD, source, AT_FDCWD, candidate, 1 /* RENAME_NOREPLACE */) == 0 { return candidate }
                if errno == EEXIST { continue }
                if errno != EINVAL && errno != ENOSYS {
                    throw InboxError(message: "cannot move \(source) to \(folder): \(String(cString: strerror(errno)))")
                }
            }
            // No renameat2 here: the check above, then rename(2). Only the daemon writes these folders.
            if rename(source, candidate) == 0 { return candidate }
            throw InboxError(message: "cannot move \(source) to \(folder): \(String(cString: strerror(errno)))")
        }
        throw InboxError(message: "cannot find a free name for \(name) in \(folder)")
    }

    private typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32

    /// glibc's `renameat2` (2.28 and later), looked up at run time: Swift's Glibc module does not export it.
    private static let renameNoReplace: RenameAt2? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "renameat2") else { return nil }
        return unsafeBitCast(symbol, to: RenameAt2.self)
    }()

    private func isLink(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    public struct InboxError: Error, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }
}
