import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Whoever can write the report's parent folder (a shared `--out` folder, a `report.dir` under a web root) plants
/// links at the report's names; the writer must never write, create or delete anything outside its own folders.
@Suite("the report writer stays inside its folder", .serialized)
struct ReportFolderSafetyTests {
    /// A kept demo, a shared folder anyone may write into (not sticky: the kernel's protected_symlinks does not
    /// guard it), and `elsewhere`, a folder with a page and files that must come through every report untouched.
    struct Setup {
        let cli: CLIRunner
        let state: String
        let shared: String
        let elsewhere: String

        init() throws {
            cli = try CLIRunner()
            let demo = try cli.run(["demo", "--as-of", "2025-06-30", "--state-dir", "d", "--log-dir", "d"])
            #expect(demo.status == 0, "\(demo.stderr)")
            state = cli.directory.appending(path: "d").path
            shared = cli.directory.appending(path: "shared").path
            elsewhere = cli.directory.appending(path: "elsewhere").path
            try FileManager.default.createDirectory(atPath: shared, withIntermediateDirectories: true)
            #expect(chmod(shared, 0o777) == 0)
            try cli.write("elsewhere/index.html", "the other site's page\n")
            try cli.write("elsewhere/targets/precious.txt", "kept\n")
            try cli.write("elsewhere/targets/old-target.html", "an old page of the other site\n")
        }

        var report: String { shared + "/report" }

        /// `planwatch report --out shared/report`, judged as of `asOf` (each day a report of its own).
        func writeReport(asOf: String) throws -> CLIRunner.Result {
            try cli.run([
                "report", "--config", state + "/config/planwatch.yaml", "--state-dir", state, "--log-dir", state,
                "--out", report, "--as-of", asOf,
            ])
        }

        /// Plants a symbolic link as another user (nobody), the way a member of the drop group would.
        func plant(_ link: String, to target: String) throws {
            let planted = try CLIRunner.execute(
                "/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "--", "/bin/ln", "-s", target, link],
                in: cli.directory)
            #expect(planted.status == 0, "\(planted.stderr)")
        }

        /// Everything in `elsewhere`, as it was made.
        func expectElsewhereUntouched() throws {
            let names = try FileManager.default.subpathsOfDirectory(atPath: elsewhere).sorted()
            #expect(names == ["index.html", "targets", "targets/old-target.html", "targets/precious.txt"])
            #expect(try text(elsewhere + "/index.html") == "the other site's page\n")
            #expect(try text(elsewhere + "/targets/precious.txt") == "kept\n")
            #expect(try text(elsewhere + "/targets/old-target.html") == "an old page of the other site\n")
        }
    }

    static func kind(_ path: String) -> mode_t? {
        var info = stat()
        return lstat(path, &info) == 0 ? info.st_mode & S_IFMT : nil
    }

    @Test func aSpareFolderPlantedAsALinkIsReplacedAndNothingOutsideIsWrittenOrDeleted() throws {
        let setup = try Setup()
        defer { setup.cli.cleanUp() }
        #expect(try setup.writeReport(asOf: "2025-06-30").status == 0)
        try setup.plant(setup.shared + "/.report.spare", to: setup.elsewhere)
        let second = try setup.writeReport(asOf: "2025-07-01")
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout == "Report of 28 targets as of 2025-07-01 (7 targets of plans issued later left out) written to \(setup.report)/index.html (59 pages)\n")
        try setup.expectElsewhereUntouched()
        #expect(Self.kind(setup.report) == S_IFDIR)
        #expect(Self.kind(setup.shared + "/.report.spare") == S_IFDIR)
        #expect(try text(setup.report + "/index.html").contains("2025-07-01"))
        // The third report goes into the spare (the first report's folder), still nowhere else.
        #expect(try setup.writeReport(asOf: "2025-07-02").status == 0)
        try setup.expectElsewhereUntouched()
        #expect(try text(setup.report + "/index.html").contains("2025-07-02"))
    }

    @Test func aReportFolderThatIsALinkIsRefusedWithTheFixAndItsTargetUntouched() throws {
        let setup = try Setup()
        defer { setup.cli.cleanUp() }
        try setup.plant(setup.report, to: setup.elsewhere)
        let result = try setup.writeReport(asOf: "2025-06-30")
        #expect(result.status == 1)
        #expect(result.stderr == """
            planwatch: \(setup.report) is not the report's own (it is a symbolic link to \(setup.elsewhere)); \
            planwatch writes a report only into files and folders it made itself and never through a link: move it \
            away, or pick another folder with --out

            """)
        try setup.expectElsewhereUntouched()
        #expect(Self.kind(setup.report) == S_IFLNK)
        #expect(Self.kind(setup.shared + "/.report.spare") == nil)
    }

    @Test func linksPlantedInsideTheSpareAreReplacedNotWrittenThrough() throws {
        let setup = try Setup()
        defer { setup.cli.cleanUp() }
        #expect(try setup.writeReport(asOf: "2025-06-30").status == 0)
        #expect(try setup.writeReport(asOf: "2025-07-01").status == 0)
        let spare = setup.shared + "/.report.spare"
        // The spare is the first report now: a link over its index, a hard link over a page, a note of ours.
        #expect(unlink(spare + "/index.html") == 0)
        #expect(symlink(setup.elsewhere + "/index.html", spare + "/index.html") == 0)
        #expect(unlink(spare + "/targets/central-rd-share-2025.html") == 0)
        #expect(link(setup.elsewhere + "/targets/old-target.html", spare + "/targets/central-rd-share-2025.html") == 0)
        try setup.cli.write("shared/.report.spare/targets/notes.txt", "an analyst's note\n")
        let third = try setup.writeReport(asOf: "2025-07-02")
        #expect(third.status == 0, "\(third.stderr)")
        try setup.expectElsewhereUntouched()
        var info = stat()
        #expect(lstat(setup.report + "/index.html", &info) == 0)
        #expect(info.st_mode & S_IFMT == S_IFREG && info.st_nlink == 1)
        #expect(lstat(setup.report + "/targets/central-rd-share-2025.html", &info) == 0)
        #expect(info.st_mode & S_IFMT == S_IFREG && info.st_nlink == 1)
        #expect(try text(setup.report + "/targets/central-rd-share-2025.html").contains("2025-07-02"))
        // Not a page of the report, so not the writer's to delete.
        #expect(try text(setup.report + "/targets/notes.txt") == "an analyst's note\n")
    }

    @Test func aLockPlantedAsALinkCreatesNothingWhereItPoints() throws {
        let setup = try Setup()
        defer { setup.cli.cleanUp() }
        let target = setup.elsewhere + "/created-by-the-report"
        try setup.plant(setup.shared + "/.report.lock", to: target)
        let result = try setup.writeReport(asOf: "2025-06-30")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(Self.kind(target) == nil)
        #expect(Self.kind(setup.shared + "/.report.lock") == S_IFREG)
        try setup.expectElsewhereUntouched()
    }

    @Test func theDaemonReplacesASpareLinkPlantedInItsStateFolder() throws {
        try withCLI { cli in
            try cli.write("elsewhere/index.html", "the other site's page\n")
            try cli.write("elsewhere/targets/precious.txt", "kept\n")
            let state = cli.directory.appending(path: "state").path
            try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
            #expect(symlink(cli.directory.appending(path: "elsewhere").path, state + "/.report.spare") == 0)
            let daemon = try DaemonProcess(cli)
            try daemon.waitUntilReady()
            let digest = state + "/report/.planwatch-digest"
            try wait("the first report") { FileManager.default.fileExists(atPath: digest) }
            let first = try text(digest)
            try daemon.drop("anhui.csv", DaemonTests.anhui)
            try wait("the report of the new data") { (try? text(digest)) != first }
            #expect(try daemon.terminate() == 0)
            #expect(try text(cli.directory.appending(path: "elsewhere/index.html").path) == "the other site's page\n")
            #expect(try text(cli.directory.appending(path: "elsewhere/targets/precious.txt").path) == "kept\n")
            #expect(Self.kind(state + "/.report.spare") == S_IFDIR)
            #expect(!daemon.stderr.contains("cannot write the report"))
        }
    }
}

private func text(_ path: String) throws -> String {
    try String(contentsOfFile: path, encoding: .utf8)
}
