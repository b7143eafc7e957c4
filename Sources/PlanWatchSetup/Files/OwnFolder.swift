import Foundation

/// A folder planwatch writes files of its own into, opened once with `O_DIRECTORY` and used only through its
/// descriptor (`openat`, `mkdirat`, `unlinkat`, `renameat2`, each with `O_NOFOLLOW` or `AT_SYMLINK_NOFOLLOW`):
/// the report writer's parent, spare and report folders, and the folder a zip is unpacked into inside the inbox.
/// Whoever can write such a folder (a shared `--out` folder, a `report.dir` under a web root, the inbox) can plant
/// a symbolic link at any name there, or swap one in between two steps; resolved against the descriptor and never
/// followed, no such link can lead a write or a removal outside the folder.
package final class OwnFolder {
    package typealias Failure = FolderError

    /// The folder's descriptor (`O_RDONLY|O_DIRECTORY|O_CLOEXEC`).
    package let fd: Int32
    /// Its path, for messages only: nothing is opened through it again.
    package let path: String
    /// What a user can do about a name that holds something not planwatch's own, ending the error's sentence.
    package let advice: String

    private init(fd: Int32, path: String, advice: String) {
        self.fd = fd
        self.path = path
        self.advice = advice
    }

    deinit { close(fd) }

    /// The user owning what this process creates: what the report writer treats as its own.
    package static let owner = geteuid()

    /// Opens the folder a user named (`--out`'s parent, `report.dir`'s): its own path may pass through links the
    /// administrator made; only the names inside it are never followed.
    package static func named(_ path: String, advice: String) throws(Failure) -> OwnFolder {
        let fd = open(path.isEmpty ? "." : path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else {
            throw Failure(description: "cannot open the folder \(path): \(OwnFolder.reason())")
        }
        return OwnFolder(fd: fd, path: path, advice: advice)
    }

    /// What a name in the folder is, without following it.
    package enum Entry {
        case missing
        case folder(stat)
        case file(stat)
        case link(to: String)
        case other(stat)
    }

    package func entry(_ name: String) -> Entry {
        var info = stat()
        guard fstatat(fd, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { return .missing }
        switch info.st_mode & S_IFMT {
        case S_IFDIR: return .folder(info)
        case S_IFREG: return .file(info)
        case S_IFLNK:
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let count = readlinkat(fd, name, &buffer, buffer.count - 1)
            return .link(
                to: count < 0 ? "?" : String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self))
        default: return .other(info)
        }
    }

    /// The path of a name in this folder, for messages.
    package func path(_ name: String) -> String {
        path.isEmpty || path == "." ? name : (path.hasSuffix("/") ? path + name : path + "/" + name)
    }

    /// Opens the subfolder `name`, making it (mode `mode`, group `group`) when missing. A symbolic link at the name
    /// is removed first (the link goes, what it names is untouched); a file, or a folder of another user, is not
    /// ours to write into and stops the report.
    package func folder(_ name: String, create mode: mode_t, group: gid_t?) throws(Failure) -> OwnFolder {
        if case .link = entry(name) { try removeLink(name) }
        if mkdirat(fd, name, mode) != 0, errno != EEXIST {
            throw Failure(description: "cannot create the folder \(path(name)): \(OwnFolder.reason())")
        }
        let child = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard child >= 0 else { throw notOurs(name) }
        let folder = OwnFolder(fd: child, path: path(name), advice: advice)
        var info = stat()
        guard fstat(child, &info) == 0, info.st_uid == OwnFolder.owner else { throw notOurs(name) }
        // The group, unless a setgid parent already gave it (a chown the service's ~@privileged filter refuses).
        if let group, info.st_gid != group { fchown(child, uid_t.max, group) }
        return folder
    }

    /// Opens an existing subfolder of ours, or nil when there is none.
    package func existingFolder(_ name: String) -> OwnFolder? {
        let child = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard child >= 0 else { return nil }
        var info = stat()
        guard fstat(child, &info) == 0, info.st_uid == OwnFolder.owner else {
            close(child)
            return nil
        }
        return OwnFolder(fd: child, path: path(name), advice: advice)
    }

    /// Writes `bytes` as the file `name`, overwritten from the start and cut to length rather than opened with
    /// `O_TRUNC`: ext4 writes back a file truncated to zero on close (auto_da_alloc), which made rewriting 10,000
    /// pages wait on the disk. Created with its final mode (under the daemon's UMask=0027, 0640 stays 0640). What
    /// the name holds is written only when it is a file of ours with no other link: a symbolic link or a hard
    /// link there is replaced by a new file (the link goes, what it names is untouched), anything else is refused.
    package func write(_ name: String, _ bytes: Data, mode: mode_t, group: gid_t?) throws(Failure) {
        let file = try openOwnFile(name, flags: O_WRONLY, mode: mode)
        defer { close(file) }
        let written = bytes.withUnsafeBytes { pwrite(file, $0.baseAddress, $0.count, 0) }
        guard written == bytes.count, ftruncate(file, off_t(bytes.count)) == 0 else {
            throw Failure(description: "cannot write \(path(name)): \(OwnFolder.reason())")
        }
        var info = stat()
        if let group, fstat(file, &info) == 0, info.st_gid != group { fchown(file, uid_t.max, group) }
    }

    /// Opens (creating when missing) the file `name` as a file of ours: see `write`.
    package func openOwnFile(_ name: String, flags: Int32, mode: mode_t) throws(Failure) -> Int32 {
        let options = flags | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC
        var file = openat(fd, name, options, mode)
        if file < 0, errno == ELOOP {
            try removeLink(name)
            file = openat(fd, name, options | O_EXCL, mode)
        }
        guard file >= 0 else {
            if errno == EISDIR || errno == ENXIO || errno == ELOOP || errno == EEXIST { throw notOurs(name) }
            throw Failure(description: "cannot write \(path(name)): \(OwnFolder.reason())")
        }
        var info = stat()
        guard fstat(file, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_uid == OwnFolder.owner else {
            close(file)
            throw notOurs(name)
        }
        guard info.st_nlink > 1 else { return file }
        // A hard link: writing would change the other name's file too. Our name for it goes; a new file takes it.
        close(file)
        guard unlinkat(fd, name, 0) == 0 else { throw notOurs(name) }
        file = openat(fd, name, options | O_EXCL, mode)
        guard file >= 0 else { throw notOurs(name) }
        return file
    }

    /// Reads a small file of ours (at most `limit` bytes); nil when it is missing or not a plain file.
    package func read(_ name: String, limit: Int) -> Data? {
        let file = openat(fd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard file >= 0 else { return nil }
        defer { close(file) }
        var info = stat()
        guard fstat(file, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        var buffer = [UInt8](repeating: 0, count: limit)
        let count = pread(file, &buffer, limit, 0)
        return count < 0 ? nil : Data(buffer[0..<count])
    }

    /// The names in the folder (without `.` and `..`).
    package func names() -> [String] {
        let copy = dup(fd)
        guard copy >= 0, let listing = fdopendir(copy) else {
            if copy >= 0 { close(copy) }
            return []
        }
        defer { closedir(listing) }
        rewinddir(listing)
        var names: [String] = []
        while let item = readdir(listing) {
            let name = withUnsafeBytes(of: item.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != ".", name != ".." { names.append(name) }
        }
        return names
    }

    /// Removes the file `name` if it is a plain file of ours; anything else stays where it is.
    package func removeOwnFile(_ name: String) {
        guard case .file(let info) = entry(name), info.st_uid == OwnFolder.owner else { return }
        unlinkat(fd, name, 0)
    }

    /// Removes a symbolic link planted at one of planwatch's own names (never what it names).
    package func removeLink(_ name: String) throws(Failure) {
        guard case .link = entry(name) else { return }
        guard unlinkat(fd, name, 0) == 0 || errno == ENOENT else {
            throw Failure(
                description: "cannot remove the symbolic link \(path(name)): \(OwnFolder.reason()); remove it")
        }
    }

    /// The error for a name that holds something the report did not write.
    package func notOurs(_ name: String) -> Failure {
        let what: String
        switch entry(name) {
        case .missing: what = "it changed while the report was written"
        case .link(let target): what = "it is a symbolic link to \(target)"
        case .folder(let info), .file(let info), .other(let info):
            let kind =
                info.st_mode & S_IFMT == S_IFDIR
                ? "a folder" : info.st_mode & S_IFMT == S_IFREG ? "a file" : "not a file"
            what =
                info.st_uid == OwnFolder.owner ? "it is \(kind)" : "it is \(kind) of another user (uid \(info.st_uid))"
        }
        return Failure(description: """
            \(path(name)) is not the report's own (\(what)); planwatch writes a report only into files and folders \
            it made itself and never through a link: \(advice)
            """)
    }

    package static func reason() -> String { String(cString: strerror(errno)) }
}

/// Why a folder of planwatch's own could not be written: which path, what is wrong, and what to do.
public struct FolderError: Error, CustomStringConvertible {
    public var description: String

    public init(description: String) {
        self.description = description
    }
}
