import Foundation
import PlanWatchCore
import PlanWatchSetup
import PlanWatchIngest
import PlanWatchOutputs

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

    /// Whether a name is one planwatch picks up: `*.csv`, `*.csv.gz` (read as its decompressed text) or `*.zip`
    /// (its CSV members unpacked into the inbox), any case; not a dotfile, not a temporary name.
    public static func accepts(_ name: String) -> Bool {
        let lower = name.lowercased()
        return !name.hasPrefix(".")
            && (lower.hasSuffix(".csv") || lower.hasSuffix(".csv.gz") || lower.hasSuffix(".zip"))
            && !lower.hasSuffix(".tmp")
            && !lower.hasSuffix(".part") && !name.contains("/")
    }

    /// Why a name in the inbox is not read, for a line in the log; nil for names written on the way in
    /// (dotfiles, `*.tmp`, `*.part`), which are silent.
    public static func ignoredReason(_ name: String) -> String? {
        let lower = name.lowercased()
        guard !accepts(name), !name.hasPrefix("."), !lower.hasSuffix(".tmp"), !lower.hasSuffix(".part") else {
            return nil
        }
        if lower.hasSuffix(".gz") { return "only gzipped CSV files are read, named *.csv.gz" }
        return "planwatch reads *.csv, *.csv.gz and *.zip files; save it as CSV UTF-8 and drop it again"
    }

    /// Creates the inbox, processed and rejected directories if they are missing. The inbox gets the sticky bit
    /// (mode 3770 when created here; the bit added when it lacks it): a member of the drop group can then delete
    /// or replace only files they dropped, never another member's file waiting to be read.
    public func prepare() throws {
        var info = stat()
        let created = stat(directories.inbox, &info) != 0
        for folder in [directories.inbox, directories.processed, directories.rejected] {
            if let problem = mkdirAll(folder, mode: 0o750) { throw InboxError(message: problem) }
        }
        if created {
            _ = chmod(directories.inbox, 0o3770)
        } else if info.st_mode & S_ISVTX == 0, info.st_uid == geteuid() {
            _ = chmod(directories.inbox, (info.st_mode & 0o7777) | S_ISVTX)
        }
    }

    /// The names waiting in the inbox, oldest first (by modification time, then name). Names that are not valid
    /// UTF-8 are not among them: see `invalidNames`.
    public func waiting() -> [String] {
        entries().compactMap { String(validating: $0, as: UTF8.self) }.filter(Inbox.accepts).map {
            name -> (String, Int) in
            var info = stat()
            let time = lstat(directories.inbox + "/" + name, &info) == 0 ? Int(info.st_mtim.tv_sec) : 0
            return (name, time)
        }.sorted { ($0.1, $0.0) < ($1.1, $1.0) }.map(\.0)
    }

    /// Inbox names that are not valid UTF-8 (a GBK name from a Windows share), as bytes: those that would be
    /// picked up (`*.csv`, no dotfile or temporary name) were they UTF-8.
    public func invalidNames() -> [[UInt8]] {
        entries().filter { String(validating: $0, as: UTF8.self) == nil && Inbox.accepts(Inbox.safeName($0)) }
    }

    /// Every name in the inbox as the bytes the kernel gives (`readdir`): nothing lost in decoding.
    private func entries() -> [[UInt8]] {
        guard let folder = opendir(directories.inbox) else { return [] }
        defer { closedir(folder) }
        var names: [[UInt8]] = []
        while let entry = readdir(folder) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in Array(raw.prefix { $0 != 0 }) }
            if name == [UInt8(ascii: ".")] || name == [UInt8(ascii: "."), UInt8(ascii: ".")] { continue }
            names.append(name)
        }
        return names
    }

    /// A name that is valid UTF-8 made of `bytes`: valid sequences kept, every other byte written `%XX`, and `%`
    /// itself written `%25`, so that different byte names never meet in one safe name.
    public static func safeName(_ bytes: [UInt8]) -> String {
        var out = ""
        var index = 0
        while index < bytes.count {
            let lead = bytes[index]
            let length =
                lead < 0x80 ? 1 : lead >> 5 == 0b110 ? 2 : lead >> 4 == 0b1110 ? 3 : lead >> 3 == 0b11110 ? 4 : 0
            if length > 0, index + length <= bytes.count,
                let text = String(validating: bytes[index..<index + length], as: UTF8.self),
                text != "%", text != "/"
            {
                out += text
                index += length
            } else {
                out += "%" + String(lead, radix: 16, uppercase: true).leftPadded(2)
                index += 1
            }
        }
        return out
    }

    /// Moves an entry whose name is not valid UTF-8 to `rejected/` under its safe name, with reports that give
    /// the original bytes; returns the new path.
    public func moveInvalidName(_ bytes: [UInt8], json: Data, text: String) throws -> String {
        try move(
            Inbox.safeName(bytes), into: directories.rejected, reserving: ["", ".errors.json", ".errors.txt"],
            taking: json, source: bytes
        ) { target in
            let base = Inbox.reportBase(target)
            try Inbox.writeReport(json, to: base + ".errors.json")
            try Inbox.writeReport(Data((text + "\n").utf8), to: base + ".errors.txt")
        }
    }

    /// What an inbox entry is. A regular file is opened once, without following links or blocking, and what is
    /// decided (one link, its size) is decided on the open descriptor, through which alone it is then read.
    public enum Entry: Sendable {
        case file(OpenedFile)
        case gone
        /// Why, and the entry's device and inode (to recognize it again after a crash).
        case refused(String, device: UInt64, inode: UInt64)
    }

    public func examine(_ name: String) -> Entry {
        let path = directories.inbox + "/" + name
        var info = stat()
        guard lstat(path, &info) == 0 else { return .gone }
        let device = UInt64(info.st_dev)
        let inode = UInt64(info.st_ino)
        switch info.st_mode & S_IFMT {
        case S_IFREG:
            break
        case S_IFLNK:
            return .refused(
                "it is a symbolic link, and planwatch never follows links in the inbox; copy the file itself in (write it elsewhere, then rename it into the inbox)",
                device: device, inode: inode)
        case S_IFDIR:
            return .refused("it is a directory; drop CSV files, not folders", device: device, inode: inode)
        default:
            return .refused(
                "it is not a regular file (a device, socket or pipe); drop CSV files only", device: device, inode: inode
            )
        }
        let file: OpenedFile
        do {
            file = try OpenedFile(path: path)
        } catch let error as FileBytes.ReadError {
            switch error.errno {
            case ENOENT: return .gone
            case ELOOP:
                return .refused(
                    "it is a symbolic link, and planwatch never follows links in the inbox; copy the file itself in (write it elsewhere, then rename it into the inbox)",
                    device: device, inode: inode)
            case EACCES, EPERM:
                return .refused(
                    "planwatch cannot read it (mode \(String(info.st_mode & 0o777, radix: 8)), owner uid \(info.st_uid)): make dropped files readable by the planwatch group (chmod g+r, or a umask of 0027 instead of 0077) and drop it again",
                    device: device, inode: inode)
            default:
                return .refused(
                    "it cannot be opened: \(String(cString: strerror(error.errno)))", device: device, inode: inode)
            }
        } catch {
            return .refused("it cannot be opened: \(error)", device: device, inode: inode)
        }
        let status = file.status
        if !status.isRegularFile {
            file.close()
            return .gone  // replaced between the look and the open; the new entry raises its own event
        }
        if status.links > 1 {
            file.close()
            return .refused(
                "it has \(status.links) hard links: whoever holds another link could change it after it was read; drop a copy (cp, or write elsewhere and rename it in), not a link",
                device: device, inode: inode)
        }
        if status.size > maxFileSize {
            file.close()
            return .refused(
                "the file is \(status.size) bytes, over the limit of \(maxFileSize) (ingest.max_file_size); split it or raise the limit",
                device: device, inode: inode)
        }
        return .file(file)
    }

    /// Moves an ingested (or duplicate) file to `processed/DATE/`; returns its new path. When the inbox name no
    /// longer names the file that was read (it was replaced meanwhile), the file's bytes are copied from `file`
    /// instead, and the entry now under the name stays in the inbox to be examined on its own.
    public func moveToProcessed(_ name: String, day: CalendarDate, file: OpenedFile? = nil) throws -> String {
        let folder = directories.processed + "/" + day.description
        if let problem = mkdirAll(folder, mode: 0o750) {
            throw InboxError(message: "\(problem); give the planwatch user write access to \(directories.processed)")
        }
        if let file, !names(name, file) {
            return try copy(file, name: name, into: folder)
        }
        return try move(name, into: folder, reserving: [""]) { _ in }
    }

    /// Moves a rejected or refused entry to `rejected/` (renaming, never following or copying it). The reports
    /// `NAME.errors.json` and `NAME.errors.txt` are written first, under the name the entry then takes, so there
    /// is no moment when the entry is in `rejected/` without them; reports already there with the same content
    /// (written before a crash) are taken over. Returns the entry's new path.
    public func moveToRejected(_ name: String, json: Data, text: String, file: OpenedFile? = nil) throws -> String {
        let reports = { (target: String) throws in
            let base = Inbox.reportBase(target)
            try Inbox.writeReport(json, to: base + ".errors.json")
            try Inbox.writeReport(Data((text + "\n").utf8), to: base + ".errors.txt")
        }
        if let file, !names(name, file) {
            return try copy(file, name: name, into: directories.rejected, reports: reports)
        }
        return try move(
            name, into: directories.rejected, reserving: ["", ".errors.json", ".errors.txt"], taking: json, reports)
    }

    /// The reports' path without its `.errors.*` suffix: the entry's path, or a shortened one (the name's first
    /// bytes, whole characters only, and a hash of the full name) when the suffix would make the name too long.
    static func reportBase(_ target: String) -> String {
        let folder = (target as NSString).deletingLastPathComponent
        let name = (target as NSString).lastPathComponent
        guard name.utf8.count + ".errors.json".utf8.count > 255 else { return target }
        var short = ""
        for character in name where short.utf8.count + character.utf8.count <= 200 { short.append(character) }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in name.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return folder + "/" + short + "~" + String(hash, radix: 16)
    }

    private static func writeReport(_ data: Data, to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o640)
        guard fd >= 0 else {
            throw InboxError(message: "cannot write the report \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        let written = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == data.count else {
            throw InboxError(message: "cannot write the report \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// Whether the inbox name still names the opened file.
    private func names(_ name: String, _ file: OpenedFile) -> Bool {
        var info = stat()
        return lstat(directories.inbox + "/" + name, &info) == 0 && UInt64(info.st_dev) == file.status.device
            && UInt64(info.st_ino) == file.status.inode
    }

    /// Writes the opened file's bytes to a free name in `folder` (never overwriting); returns the path.
    private func copy(
        _ file: OpenedFile, name: String, into folder: String, reports: (String) throws -> Void = { _ in }
    ) throws -> String {
        for candidate in candidates(name, in: folder) {
            if [candidate, Inbox.reportBase(candidate) + ".errors.json"].contains(where: exists) { continue }
            let fd = open(candidate, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o640)
            if fd < 0, errno == EEXIST { continue }
            guard fd >= 0 else {
                throw InboxError(message: "cannot write \(candidate): \(String(cString: strerror(errno)))")
            }
            defer { close(fd) }
            try reports(candidate)
            try FileBytes.forEachChunk(file) { chunk in
                guard write(fd, chunk.baseAddress, chunk.count) == chunk.count else {
                    throw InboxError(message: "cannot write \(candidate): \(String(cString: strerror(errno)))")
                }
            }
            return candidate
        }
        throw InboxError(message: "cannot find a free name for \(name) in \(folder)")
    }

    private func candidates(_ name: String, in folder: String) -> LazyMapSequence<Range<Int>, String> {
        let stem = (name as NSString).deletingPathExtension
        let ext = (name as NSString).pathExtension
        return (0..<10_000).lazy.map { attempt in
            folder + "/" + (attempt == 0 ? name : "\(stem).\(attempt)" + (ext.isEmpty ? "" : ".\(ext)"))
        }
    }

    /// Renames the inbox entry into `folder` under the first name (`a.csv`, `a.1.csv`, `a.2.csv`, …) for which no
    /// file with any of the `suffixes` exists (or whose reports hold `taking`: this entry's, written before a
    /// crash), after `before` wrote what belongs beside it. One atomic rename, so there is never a moment when the
    /// file is both in the inbox and moved (a writer renaming a new file in under the same name is never touched),
    /// and with `RENAME_NOREPLACE` a name taken meanwhile is never overwritten.
    private func move(
        _ name: String, into folder: String, reserving suffixes: [String], taking own: Data? = nil,
        source raw: [UInt8]? = nil,
        _ before: (String) throws -> Void
    ) throws -> String {
        let source = directories.inbox + "/" + name
        // The path as the kernel knows it: the name's own bytes when they are not UTF-8.
        let sourcePath: [CChar] = (Array((directories.inbox + "/").utf8) + (raw ?? Array(name.utf8)) + [0]).map {
            CChar(bitPattern: $0)
        }
        for candidate in candidates(name, in: folder) {
            let base = Inbox.reportBase(candidate)
            let taken = suffixes.contains { exists($0.isEmpty ? candidate : base + $0) }
            if taken {
                let ours =
                    !exists(candidate) && own != nil
                    && FileManager.default.contents(atPath: base + ".errors.json") == own
                if !ours { continue }
            }
            try before(candidate)
            if let renameAt2 = RenameAt2.function {
                if renameAt2(AT_FDCWD, sourcePath, AT_FDCWD, candidate, RenameAt2.noReplace) == 0 { return candidate }
                if errno == EEXIST { continue }
                if errno != EINVAL && errno != ENOSYS {
                    throw InboxError(
                        message:
                            "cannot move \(source) to \(folder): \(String(cString: strerror(errno))); give the planwatch user write access to \(folder)"
                    )
                }
            }
            // No renameat2 here: the check above, then rename(2). Only the daemon writes these folders.
            if rename(sourcePath, candidate) == 0 { return candidate }
            throw InboxError(
                message:
                    "cannot move \(source) to \(folder): \(String(cString: strerror(errno))); give the planwatch user write access to \(folder)"
            )
        }
        throw InboxError(message: "cannot find a free name for \(name) in \(folder)")
    }

    private func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    public struct InboxError: Error, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
