import Foundation
import PlanWatchSetup
import PlanWatchIngest
import PlanWatchOutputs

/// A zip in the inbox, unpacked as one unit that a crash cannot split or repeat. Its members are inflated into
/// `inbox/.unpack-DEV-INO.part/` (the archive's device and inode name it); only when every member came out whole
/// is the folder renamed to `.unpack-DEV-INO/`: that rename records the unpack. The members then move into the
/// inbox one by one (`renameat2(RENAME_NOREPLACE)`), the archive goes to `processed/`, and the empty folder last.
/// After a crash: a `.part` folder is unpacked again from the start (nothing of it reached the inbox); a finished
/// folder is never unpacked again, only emptied into the inbox. Both are dotted names, which the inbox never reads,
/// and both are opened through `OwnFolder`, so a drop-group member cannot plant one as a link.
struct InboxArchive {
    let inbox: OwnFolder
    let name: String
    let device: UInt64
    let inode: UInt64

    static let prefix = ".unpack-"
    static let advice = "move it out of the inbox"

    init(inbox path: String, name: String, file: OpenedFile) throws(FolderError) {
        inbox = try OwnFolder.named(path, advice: InboxArchive.advice)
        self.name = name
        var info = stat()
        fstat(file.fd, &info)
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
    }

    var finished: String { "\(InboxArchive.prefix)\(device)-\(inode)" }
    var unfinished: String { finished + ".part" }

    /// What unpacking did: the members now in the inbox, those skipped, and whether a crash had left it finished.
    struct Outcome {
        var members: [String]
        var skipped: [String]
        var resumed: Bool
    }

    /// Unpacks the archive (read through `file`) into the inbox, or finishes an unpack a crash interrupted.
    /// Throws `ZipMembers.Failure` when the archive is refused (nothing of it is left in the inbox), anything
    /// else when the inbox cannot be written (the archive stays and is tried again).
    func unpack(_ file: OpenedFile, limits: ZipMembers.Limits) throws -> Outcome {
        var skipped: [String] = []
        let resumed = inbox.existingFolder(finished) != nil
        if !resumed {
            if let stale = inbox.existingFolder(unfinished) { InboxArchive.empty(stale) }
            let part = try inbox.folder(unfinished, create: 0o750, group: nil)
            do {
                skipped = try ZipMembers.unpack("/proc/self/fd/\(file.fd)", archive: name, into: part, limits: limits)
                    .skipped
            } catch {
                InboxArchive.remove(unfinished, in: inbox)
                throw error
            }
            try inbox.removeLink(finished)
            guard renameat(inbox.fd, unfinished, inbox.fd, finished) == 0 else {
                throw FolderError(description: "cannot record the unpack of \(name): \(OwnFolder.reason())")
            }
            CrashPoint.reach("unpacked")
        }
        return Outcome(members: try moveMembers(), skipped: skipped, resumed: resumed)
    }

    /// Moves every member of the finished folder into the inbox, never over a name taken meanwhile
    /// (`NAME-2.csv`, …); returns their names in the inbox.
    private func moveMembers() throws(FolderError) -> [String] {
        guard let folder = inbox.existingFolder(finished) else { return [] }
        var moved: [String] = []
        for member in folder.names().sorted() {
            guard case .file(let info) = folder.entry(member), info.st_uid == OwnFolder.owner else { continue }
            var placed = member
            var number = 1
            while true {
                let done = RenameAt2.function.map { $0(folder.fd, member, inbox.fd, placed, RenameAt2.noReplace) == 0 }
                    ?? (inbox.entry(placed).isMissing && renameat(folder.fd, member, inbox.fd, placed) == 0)
                if done { break }
                guard errno == EEXIST || RenameAt2.function == nil else {
                    throw FolderError(
                        description: "cannot move \(folder.path(member)) into the inbox: \(OwnFolder.reason())")
                }
                number += 1
                placed = String(member.dropLast(4)) + "-\(number).csv"
            }
            moved.append(placed)
            CrashPoint.reach("member-moved")
        }
        return moved
    }

    /// Removes the finished folder once the archive has left the inbox (it is empty by then).
    func finish() {
        InboxArchive.remove(finished, in: inbox)
    }

    /// The members a crash left unpacked, whose archive has already left the inbox: each goes in now; a `.part`
    /// folder whose archive is gone is removed. Returns the members moved in.
    static func sweep(inbox path: String) -> [String] {
        guard let inbox = try? OwnFolder.named(path, advice: advice) else { return [] }
        var present = Set<String>()
        for entry in inbox.names() where !entry.hasPrefix(".") {
            if case .file(let info) = inbox.entry(entry) { present.insert("\(prefix)\(info.st_dev)-\(info.st_ino)") }
        }
        var moved: [String] = []
        for entry in inbox.names() where entry.hasPrefix(prefix) {
            let identity = entry.hasSuffix(".part") ? String(entry.dropLast(5)) : entry
            let digits = identity.dropFirst(prefix.count).split(separator: "-")
            guard !present.contains(identity), digits.count == 2,
                  let device = UInt64(digits[0]), let inode = UInt64(digits[1]) else { continue }
            if entry.hasSuffix(".part") {
                remove(entry, in: inbox)
            } else {
                let archive = InboxArchive(inbox: inbox, name: entry, device: device, inode: inode)
                moved += (try? archive.moveMembers()) ?? []
                archive.finish()
            }
        }
        return moved
    }

    private init(inbox: OwnFolder, name: String, device: UInt64, inode: UInt64) {
        self.inbox = inbox
        self.name = name
        self.device = device
        self.inode = inode
    }

    /// Removes the files of ours in `folder`.
    private static func empty(_ folder: OwnFolder) {
        for name in folder.names() { folder.removeOwnFile(name) }
    }

    /// Empties and removes the folder `name` of ours; anything not ours in it keeps the folder.
    private static func remove(_ name: String, in inbox: OwnFolder) {
        guard let folder = inbox.existingFolder(name) else { return }
        empty(folder)
        unlinkat(inbox.fd, name, AT_REMOVEDIR)
    }
}

extension OwnFolder.Entry {
    var isMissing: Bool {
        if case .missing = self { return true }
        return false
    }
}
