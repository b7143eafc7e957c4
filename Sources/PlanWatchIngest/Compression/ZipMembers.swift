import Foundation
import ZIPFoundation
import PlanWatchSetup

#if canImport(Glibc)
    import Glibc
#endif

/// The CSV members of a zip archive (the World Bank's `API_…_csv_v2.zip`, a bureau's bundle), each written out as a
/// file of its own to be ingested like any dropped file: its own transaction and report, named
/// `ARCHIVE--MEMBER.csv`. An archive is one unit: its central directory is checked whole before a byte is
/// inflated (how many entries, what they expand to together, whether entries share their data, whether each name
/// fits), then every member is inflated into a folder of planwatch's own, counting what really comes out, and
/// only when all of them came out whole does any go further. A refused archive leaves nothing but itself.
/// The WDI's `Metadata_Country_…` and `Metadata_Indicator_…` companions describe the data and hold none of it:
/// they are skipped, and said so; so are symbolic links and other files.
public enum ZipMembers {
    /// What an archive may expand to: `ingest.max_file_size` bounds all its members together (a zip bomb repeats
    /// one member's data under many names), `ingest.max_archive_members` the number of its entries.
    public struct Limits: Sendable {
        public var bytes: Int64
        public var members: Int

        public init(bytes: Int64, members: Int) {
            self.bytes = bytes
            self.members = members
        }
    }

    public struct Unpacked: Sendable {
        /// The members written, each under the name it is ingested as (a file in the folder unpacked into).
        public var members: [String]
        /// Members not read, with why.
        public var skipped: [String]
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Whether `bytes` start a zip archive (`PK\u{3}\u{4}`, or an empty archive's `PK\u{5}\u{6}`).
    public static func isZip(_ bytes: some Collection<UInt8>) -> Bool {
        let head = Array(bytes.prefix(4))
        return head == [0x50, 0x4B, 0x03, 0x04] || head == [0x50, 0x4B, 0x05, 0x06]
    }

    /// The longest member file name: `ARCHIVE--MEMBER.csv` and room for a `-NN` when the name is taken.
    static let longestName = 250

    /// A CSV member to inflate, with the name it gets.
    struct Planned {
        let entry: Entry
        let member: String
        let name: String
    }

    /// Checks the archive at `path` whole, then inflates every CSV member into the folder at `folder` (one of the
    /// caller's own, e.g. a fresh temporary folder).
    public static func unpack(
        _ path: String, archive: String, into folder: String, limits: Limits
    ) throws(Failure) -> Unpacked {
        let own: OwnFolder
        do {
            own = try OwnFolder.named(folder, advice: "move it away")
        } catch {
            throw Failure(description: "cannot unpack \(archive): \(error)")
        }
        return try unpack(path, archive: archive, into: own, limits: limits)
    }

    /// Checks the archive at `path` (named `archive` in names and messages) whole, then inflates every CSV member
    /// into `folder`; on any failure what was written there is removed again and nothing is returned.
    package static func unpack(
        _ path: String, archive: String, into folder: OwnFolder, limits: Limits
    ) throws(Failure) -> Unpacked {
        let zip: Archive
        do {
            zip = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            throw Failure(
                description:
                    "\(archive) is not a readable zip archive (\(error)); the download may be cut short: fetch it again"
            )
        }
        let (planned, skipped) = try plan(zip, path: path, archive: archive, limits: limits)
        var written: [String] = []
        do {
            for member in planned {
                try inflate(member, of: zip, archive: archive, into: folder)
                written.append(member.name)
            }
        } catch {
            for name in written { folder.removeOwnFile(name) }
            throw error
        }
        return Unpacked(members: written, skipped: skipped)
    }

    /// The members to inflate and those skipped, or why the archive is refused: read from the central directory
    /// alone, before a byte is inflated.
    static func plan(
        _ zip: Archive, path: String, archive: String, limits: Limits
    ) throws(Failure) -> ([Planned], [String]) {
        let refusal = "nothing of the archive is read"
        let entries = Array(zip)
        if entries.count > limits.members {
            throw Failure(description: """
                \(archive) holds \(entries.count) entries, more than ingest.max_archive_members (\(limits.members)); \
                \(refusal): split it, or raise max_archive_members
                """)
        }
        // Each entry's local header (at least 30 bytes) and data lie apart in the file: entries that claim more
        // bytes than the file has share their data, the overlapping-entry bomb's trick.
        var info = stat()
        let size = stat(path, &info) == 0 ? UInt64(info.st_size) : UInt64.max
        let claimed = entries.reduce(UInt64(0)) { $0 &+ 30 &+ $1.compressedSize }
        if claimed > size {
            throw Failure(description: """
                \(archive) is not a sound zip archive: its \(entries.count) entries claim \(claimed) bytes of a \
                file of \(size), so they overlap (a zip bomb's trick); \(refusal)
                """)
        }
        let base = (archive as NSString).lastPathComponent
        var planned: [Planned] = []
        var skipped: [String] = []
        var names = Set<String>()
        var total: UInt64 = 0
        for entry in entries where entry.type != .directory {
            let member = (entry.path as NSString).lastPathComponent
            let lower = member.lowercased()
            if entry.type == .symlink {
                skipped.append("\(member): a symbolic link, not a file")
                continue
            }
            if lower.hasPrefix("metadata_") {
                skipped.append("\(member): the WDI's metadata, not data")
                continue
            }
            guard lower.hasSuffix(".csv") else {
                skipped.append("\(member): not a CSV file")
                continue
            }
            if entry.uncompressedSize > UInt64(max(0, limits.bytes)) {
                throw Failure(description: """
                    \(archive): \(member) expands to \(entry.uncompressedSize) bytes, past ingest.max_file_size \
                    (\(limits.bytes) bytes); \(refusal)
                    """)
            }
            total += entry.uncompressedSize
            var name = "\(base)--\(member)"
            if name.utf8.count > longestName {
                throw Failure(description: """
                    \(archive): the member \(member) would be the file \(name), \(name.utf8.count) bytes long, past \
                    the \(longestName) a name may have here; \(refusal): give the member or the archive a shorter name
                    """)
            }
            var number = 1
            while !names.insert(name).inserted {
                number += 1
                name = "\(base)--\(member.dropLast(4))-\(number).csv"
            }
            planned.append(Planned(entry: entry, member: member, name: name))
        }
        if total > UInt64(max(0, limits.bytes)) {
            throw Failure(description: """
                \(archive): its \(planned.count) CSV members expand to \(total) bytes in all, past \
                ingest.max_file_size (\(limits.bytes) bytes), which bounds what an archive expands to; \(refusal): \
                split it, or raise max_file_size if it is genuine
                """)
        }
        return (planned, skipped)
    }

    /// Inflates one member into `folder`, refusing it (and so the archive) when more comes out than the central
    /// directory declared: the sizes checked before were the declared ones.
    private static func inflate(
        _ planned: Planned, of zip: Archive, archive: String, into folder: OwnFolder
    ) throws(Failure) {
        let file: Int32
        do {
            file = try folder.openOwnFile(planned.name, flags: O_WRONLY | O_TRUNC, mode: 0o640)
        } catch {
            throw Failure(description: "cannot unpack \(archive): \(error)")
        }
        defer { close(file) }
        let declared = planned.entry.uncompressedSize
        var written: UInt64 = 0
        do {
            _ = try zip.extract(planned.entry) { data in
                written += UInt64(data.count)
                if written > declared {
                    throw Failure(description: """
                        \(archive): \(planned.member) expands past the \(declared) bytes its entry declares; the \
                        archive is damaged or forged; nothing of the archive is read
                        """)
                }
                try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
                    var offset = 0
                    while offset < raw.count {
                        let count = Glibc.write(file, raw.baseAddress! + offset, raw.count - offset)
                        if count < 0, errno == EINTR { continue }
                        guard count > 0 else {
                            throw Failure(
                                description:
                                    "cannot unpack \(archive): writing \(folder.path(planned.name)): \(OwnFolder.reason())"
                            )
                        }
                        offset += count
                    }
                }
            }
        } catch let failure as Failure {
            folder.removeOwnFile(planned.name)
            throw failure
        } catch {
            folder.removeOwnFile(planned.name)
            throw Failure(
                description:
                    "\(archive): \(planned.member) cannot be read (\(error)); the archive is damaged: fetch it again")
        }
    }
}
