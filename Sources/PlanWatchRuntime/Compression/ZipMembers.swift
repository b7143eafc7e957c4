import Foundation
import ZIPFoundation

/// The CSV members of a zip archive (the World Bank's `API_…_csv_v2.zip`, a bureau's bundle), each written out as a
/// file of its own to be ingested like any dropped file: its own transaction and report, named
/// `ARCHIVE--MEMBER.csv`. Read with ZIPFoundation, member by member and chunk by chunk (memory stays flat); a
/// member that expands past `limit` (`ingest.max_file_size`) is refused, so a small archive cannot fill the disk.
/// The WDI's `Metadata_Country_…` and `Metadata_Indicator_…` companions describe the data and hold none of it:
/// they are skipped, and said so.
public enum ZipMembers {
    public struct Unpacked: Sendable {
        /// Where each member was written, and the name it is ingested under.
        public var members: [(name: String, path: String)]
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

    /// Writes the CSV members of the archive at `path` (named `archive` in names and messages) into `folder`, each
    /// through a temporary dotfile renamed into place when whole.
    public static func unpack(_ path: String, archive: String, into folder: String, limit: Int64) throws(Failure) -> Unpacked {
        let zip: Archive
        do {
            zip = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            throw Failure(description: "\(archive) is not a readable zip archive (\(error)); the download may be cut short: fetch it again")
        }
        var result = Unpacked(members: [], skipped: [])
        let base = (archive as NSString).lastPathComponent
        for entry in zip where entry.type == .file {
            let member = (entry.path as NSString).lastPathComponent
            let lower = member.lowercased()
            if lower.hasPrefix("metadata_") {
                result.skipped.append("\(member): the WDI's metadata, not data")
                continue
            }
            guard lower.hasSuffix(".csv") else {
                result.skipped.append("\(member): not a CSV file")
                continue
            }
            if entry.uncompressedSize > UInt64(max(0, limit)) {
                throw Failure(description: "\(archive): \(member) expands to \(entry.uncompressedSize) bytes, past ingest.max_file_size (\(limit) bytes); nothing of the archive is read")
            }
            let name = "\(base)--\(member)"
            let temporary = folder + "/.\(name).part"
            let final = folder + "/" + name
            guard FileManager.default.createFile(atPath: temporary, contents: nil), let handle = FileHandle(forWritingAtPath: temporary) else {
                throw Failure(description: "cannot write \(temporary): \(String(cString: strerror(errno)))")
            }
            var written: Int64 = 0
            do {
                _ = try zip.extract(entry) { data in
                    written += Int64(data.count)
                    // The declared size can lie: count what actually comes out.
                    if written > limit {
                        throw Failure(description: "\(archive): \(member) expands past ingest.max_file_size (\(limit) bytes); nothing of the archive is read")
                    }
                    try handle.write(contentsOf: data)
                }
                try handle.close()
            } catch let failure as Failure {
                try? handle.close()
                unlink(temporary)
                throw failure
            } catch {
                try? handle.close()
                unlink(temporary)
                throw Failure(description: "\(archive): \(member) cannot be read (\(error)); the archive is damaged: fetch it again")
            }
            // Never over a file of the same name (an earlier drop, a member unpacked before a crash): NAME-2.csv, ….
            var placed = final
            var number = 1
            while true {
                if let renameAt2 = RenameAt2.function {
                    if renameAt2(AT_FDCWD, temporary, AT_FDCWD, placed, RenameAt2.noReplace) == 0 { break }
                    guard errno == EEXIST else {
                        unlink(temporary)
                        throw Failure(description: "cannot move \(temporary) to \(placed): \(String(cString: strerror(errno)))")
                    }
                } else if access(placed, F_OK) != 0, rename(temporary, placed) == 0 {
                    break
                }
                number += 1
                placed = String(final.dropLast(4)) + "-\(number).csv"
            }
            result.members.append(((placed as NSString).lastPathComponent, placed))
        }
        return result
    }
}
