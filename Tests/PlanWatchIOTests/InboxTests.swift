import Foundation
import Testing

@testable import PlanWatchCore
@testable import PlanWatchSetup
@testable import PlanWatchHTTP
@testable import PlanWatchIngest
@testable import PlanWatchFetch
@testable import PlanWatchOutputs
@testable import PlanWatchDaemon

#if canImport(Glibc)
    import Glibc
#endif

/// The inbox protocol in process, on a temporary state directory: which names are read, which entries are
/// refused and why, and where files go without ever overwriting one.
@Suite("inbox: names, refusals and moves")
struct InboxTests {
    /// A prepared inbox in a fresh temporary state directory, removed by `cleanUp()`.
    struct Fixture {
        let inbox: Inbox

        init(maxFileSize: Int64 = 1_000) throws {
            let folder = FileManager.default.temporaryDirectory.appending(path: "planwatch-inbox-\(UUID().uuidString)").path
            inbox = Inbox(directories: StateDirectory(folder), maxFileSize: maxFileSize)
            try inbox.prepare()
        }

        func cleanUp() { try? FileManager.default.removeItem(atPath: inbox.directories.path) }

        func path(_ name: String) -> String { inbox.directories.inbox + "/" + name }

        @discardableResult
        func drop(_ name: String, _ text: String = "indicator,region,period,value\n") throws -> String {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path(name)))
            return path(name)
        }

        /// Why `name` is refused, or nil when it is not.
        func refusal(_ name: String) -> String? {
            switch inbox.examine(name) {
            case .refused(let why, _, _): return why
            case .file(let file):
                file.close()
                return nil
            case .gone: return nil
            }
        }

        func contents(_ folder: String) throws -> [String] {
            try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        }
    }

    @Test(arguments: [
        ("a.csv", true), ("A.CSV", true), ("a.csv.gz", true), ("a.zip", true), (".a.csv", false), ("a.csv.tmp", false),
        ("a.csv.part", false), ("a.txt", false), ("a.gz", false), ("a.xlsx", false),
    ])
    func onlyCSVGzippedCSVAndZipNamesAreRead(name: String, accepted: Bool) {
        #expect(Inbox.accepts(name) == accepted)
    }

    @Test func namesLeftAloneSayWhyUnlessTheyAreBeingWritten() {
        #expect(Inbox.ignoredReason("a.txt") == "planwatch reads *.csv, *.csv.gz and *.zip files; save it as CSV UTF-8 and drop it again")
        #expect(Inbox.ignoredReason("a.tar.gz") == "only gzipped CSV files are read, named *.csv.gz")
        #expect(Inbox.ignoredReason(".a.csv") == nil)
        #expect(Inbox.ignoredReason("a.csv.part") == nil)
        #expect(Inbox.ignoredReason("a.tmp") == nil)
        #expect(Inbox.ignoredReason("a.csv") == nil)
    }

    @Test func prepareCreatesTheFoldersAndGivesTheInboxTheStickyBit() throws {
        let fixture = try Fixture()
        defer { fixture.cleanUp() }
        #expect(try fixture.contents(fixture.inbox.directories.path) == ["inbox", "processed", "rejected"])
        var info = stat()
        #expect(stat(fixture.inbox.directories.inbox, &info) == 0)
        #expect(info.st_mode & 0o7777 == 0o3770)
    }

    @Test func aRegularFileIsOpenedAndAMissingOneIsGone() throws {
        let fixture = try Fixture()
        defer { fixture.cleanUp() }
        try fixture.drop("a.csv", "x\n")
        guard case .file(let file) = fixture.inbox.examine("a.csv") else {
            Issue.record("a.csv was not opened")
            return
        }
        #expect(file.status.size == 2)
        file.close()
        guard case .gone = fixture.inbox.examine("b.csv") else {
            Issue.record("b.csv is not gone")
            return
        }
    }

    @Test func linksFoldersPipesHardLinksAndLargeFilesAreRefusedWithTheFix() throws {
        let fixture = try Fixture(maxFileSize: 10)
        defer { fixture.cleanUp() }
        let outside = fixture.inbox.directories.path + "/outside.csv"
        try Data("x\n".utf8).write(to: URL(fileURLWithPath: outside))
        try FileManager.default.createSymbolicLink(atPath: fixture.path("link.csv"), withDestinationPath: outside)
        try FileManager.default.createDirectory(atPath: fixture.path("folder.csv"), withIntermediateDirectories: false)
        #expect(mkfifo(fixture.path("pipe.csv"), 0o600) == 0)
        try FileManager.default.linkItem(atPath: outside, toPath: fixture.path("hard.csv"))
        try fixture.drop("big.csv", "0123456789\n")

        #expect(fixture.refusal("link.csv") == "it is a symbolic link, and planwatch never follows links in the inbox; copy the file itself in (write it elsewhere, then rename it into the inbox)")
        #expect(fixture.refusal("folder.csv") == "it is a directory; drop CSV files, not folders")
        #expect(fixture.refusal("pipe.csv") == "it is not a regular file (a device, socket or pipe); drop CSV files only")
        #expect(fixture.refusal("hard.csv") == "it has 2 hard links: whoever holds another link could change it after it was read; drop a copy (cp, or write elsewhere and rename it in), not a link")
        #expect(fixture.refusal("big.csv") == "the file is 11 bytes, over the limit of 10 (ingest.max_file_size); split it or raise the limit")
    }

    @Test func aRefusalCarriesTheEntrysDeviceAndInode() throws {
        let fixture = try Fixture()
        defer { fixture.cleanUp() }
        try FileManager.default.createDirectory(atPath: fixture.path("folder.csv"), withIntermediateDirectories: false)
        var info = stat()
        #expect(lstat(fixture.path("folder.csv"), &info) == 0)
        guard case .refused(_, let device, let inode) = fixture.inbox.examine("folder.csv") else {
            Issue.record("folder.csv was not refused")
            return
        }
        #expect(device == UInt64(info.st_dev))
        #expect(inode == UInt64(info.st_ino))
    }

    @Test func processedFilesGoUnderTheirDayAndNeverOverwriteAnEarlierOne() throws {
        let fixture = try Fixture()
        defer { fixture.cleanUp() }
        let day = try #require(CalendarDate(parsing: "2025-06-30"))
        let folder = fixture.inbox.directories.processed + "/2025-06-30"
        try fixture.drop("a.csv", "first\n")
        #expect(try fixture.inbox.moveToProcessed("a.csv", day: day) == folder + "/a.csv")
        try fixture.drop("a.csv", "second\n")
        #expect(try fixture.inbox.moveToProcessed("a.csv", day: day) == folder + "/a.1.csv")
        #expect(try fixture.contents(fixture.inbox.directories.inbox) == [])
        #expect(try String(contentsOfFile: folder + "/a.csv", encoding: .utf8) == "first\n")
        #expect(try String(contentsOfFile: folder + "/a.1.csv", encoding: .utf8) == "second\n")
    }

    @Test func aFileReplacedAfterItWasReadIsCopiedAndTheNewOneStaysInTheInbox() throws {
        let fixture = try Fixture()
        defer { fixture.cleanUp() }
        let day = try #require(CalendarDate(parsing: "2025-06-30"))
        try fixture.drop("a.csv", "read\n")
        guard case .file(let file) = fixture.inbox.examine("a.csv") else {
            Issue.record("a.csv was not opened")
            return
        }
        defer { file.close() }
        try FileManager.default.removeItem(atPath: fixture.path("a.csv"))
        try fixture.drop("a.csv", "dropped meanwhile\n")
        let moved = try fixture.inbox.moveToProcessed("a.csv", day: day, file: file)
        #expect(moved == fixture.inbox.directories.processed + "/2025-06-30/a.csv")
        #expect(try String(contentsOfFile: moved, encoding: .utf8) == "read\n")
        #expect(try String(contentsOfFile: fixture.path("a.csv"), encoding: .utf8) == "dropped meanwhile\n")
    }

    @Test func aRejectedFileTakesItsReportsAlongAndASecondOneWithTheSameNameGetsItsOwn() throws {
        let fixture = try Fixture()
        defer { fixture.cleanUp() }
        let rejected = fixture.inbox.directories.rejected
        try fixture.drop("a.csv", "first\n")
        let first = try fixture.inbox.moveToRejected("a.csv", json: Data("{\"n\":1}".utf8), text: "one problem")
        try fixture.drop("a.csv", "second\n")
        let second = try fixture.inbox.moveToRejected("a.csv", json: Data("{\"n\":2}".utf8), text: "another problem")
        #expect(first == rejected + "/a.csv")
        #expect(second == rejected + "/a.1.csv")
        #expect(try fixture.contents(rejected) == [
            "a.1.csv", "a.1.csv.errors.json", "a.1.csv.errors.txt", "a.csv", "a.csv.errors.json", "a.csv.errors.txt",
        ])
        #expect(try String(contentsOfFile: rejected + "/a.csv.errors.txt", encoding: .utf8) == "one problem\n")
        #expect(try String(contentsOfFile: rejected + "/a.1.csv.errors.json", encoding: .utf8) == "{\"n\":2}")
    }

    @Test func reportsWrittenBeforeACrashAreTakenOverNotDuplicated() throws {
        let fixture = try Fixture()
        defer { fixture.cleanUp() }
        let rejected = fixture.inbox.directories.rejected
        let json = Data("{\"n\":1}".utf8)
        // The crash came after the reports were written and before the rename.
        try json.write(to: URL(fileURLWithPath: rejected + "/a.csv.errors.json"))
        try Data("one problem\n".utf8).write(to: URL(fileURLWithPath: rejected + "/a.csv.errors.txt"))
        try fixture.drop("a.csv")
        #expect(try fixture.inbox.moveToRejected("a.csv", json: json, text: "one problem") == rejected + "/a.csv")
        #expect(try fixture.contents(rejected) == ["a.csv", "a.csv.errors.json", "a.csv.errors.txt"])
    }

    @Test func aNameThatIsNotUTF8IsListedApartAndRejectedUnderASafeName() throws {
        let fixture = try Fixture()
        defer { fixture.cleanUp() }
        // "数据.csv" in GBK, as a Windows share writes it.
        let bytes: [UInt8] = [0xCA, 0xFD, 0xBE, 0xDD] + Array(".csv".utf8)
        let path = (Array((fixture.inbox.directories.inbox + "/").utf8) + bytes + [0]).map { CChar(bitPattern: $0) }
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        #expect(fd >= 0)
        close(fd)
        try fixture.drop("good.csv")
        #expect(fixture.inbox.waiting() == ["good.csv"])
        #expect(fixture.inbox.invalidNames() == [bytes])
        let moved = try fixture.inbox.moveInvalidName(bytes, json: Data("{}".utf8), text: "not UTF-8")
        #expect(moved == fixture.inbox.directories.rejected + "/%CA%FD%BE%DD.csv")
        #expect(fixture.inbox.invalidNames() == [])
    }

    @Test(arguments: [
        ([UInt8]("plain.csv".utf8), "plain.csv"),
        ([0x61, 0xFF, 0x62], "a%FFb"),
        ([UInt8]("100%.csv".utf8), "100%25.csv"),
        ([0xE6, 0x95, 0xB0, 0xE6], "数%E6"),
    ])
    func safeNamesKeepValidCharactersAndWriteEveryOtherByteAsPercentHex(bytes: [UInt8], safe: String) {
        #expect(Inbox.safeName(bytes) == safe)
    }
}
