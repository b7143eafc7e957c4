import Foundation

/// Says why this user cannot read a file, in the words someone can act on: which file (or which folder on the way
/// to it), which user, its owner, group and mode, and the group to join. The read commands use it for the
/// database and the alert log instead of SQLite's "error 14" or "no alert log yet".
public enum FileAccess {
    /// A sentence when `path` exists but this user may not read it (or may not enter a folder on its way);
    /// nil when it is readable or absent.
    public static func denied(_ path: String) -> String? {
        var info = stat()
        if stat(path, &info) == 0 {
            guard access(path, R_OK) != 0, errno == EACCES else { return nil }
            return "cannot read \(path) as user \(userName()): permission denied \(describe(info)); \(advice(info, path: path))"
        }
        guard errno == EACCES else { return nil }
        // Some folder on the way may not be entered: name the nearest one that cannot be.
        var folder = (path as NSString).deletingLastPathComponent
        while !folder.isEmpty, folder != "/" {
            var folderInfo = stat()
            let parent = (folder as NSString).deletingLastPathComponent
            if stat(folder, &folderInfo) == 0, access(folder, X_OK) != 0 {
                return "cannot read \(path) as user \(userName()): permission denied on the folder \(folder) \(describe(folderInfo)); \(advice(folderInfo, path: folder))"
            }
            folder = parent
        }
        return "cannot read \(path) as user \(userName()): permission denied"
    }

    /// `(owner root, group nogroup, mode 0640)`.
    static func describe(_ info: stat) -> String {
        "(owner \(userName(info.st_uid)), group \(groupName(info.st_gid)), mode \(String(format: "%04o", info.st_mode & 0o7777)))"
    }

    /// Join the file's group when the group may read it; else say the group lacks the permission.
    static func advice(_ info: stat, path: String) -> String {
        let group = groupName(info.st_gid)
        let user = userName()
        let folder = (info.st_mode & S_IFMT) == S_IFDIR
        let groupMay = folder ? info.st_mode & 0o010 != 0 : info.st_mode & 0o040 != 0
        if groupMay {
            return "join the group \(group) (sudo usermod -aG \(group) \(user), then log in again)"
        }
        return "its group \(group) may not \(folder ? "enter it" : "read it") either; the service makes it \(folder ? "0750" : "0640") (ask the administrator: sudo chmod g+\(folder ? "x" : "r") \(path))"
    }

    static func userName(_ uid: uid_t = geteuid()) -> String {
        guard let entry = getpwuid(uid), let name = entry.pointee.pw_name else { return String(uid) }
        return String(cString: name)
    }

    static func groupName(_ gid: gid_t) -> String {
        guard let entry = getgrgid(gid), let name = entry.pointee.gr_name else { return String(gid) }
        return String(cString: name)
    }
}
