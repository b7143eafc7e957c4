import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Issue 14, item 4: people who may only read (the planwatch-drop group, decided in README) run the read commands
/// on the service's files: the database (WAL, its -wal and -shm kept and group-readable), the alert log, the
/// report. The commands never create or write anything, and a permission problem names the file, the user and
/// the group to join. Run as root, with the readers played by `nobody` through setpriv.
@Suite("read access for analysts", .serialized)
struct ReadAccessTests {
    /// `setpriv` as nobody, with `group` as the only group.
    static func reader(group: gid_t) -> [String] {
        ["--reuid=65534", "--regid=\(group)", "--clear-groups", "--", CLIRunner.binary.path]
    }

    /// A state directory and log as the service leaves them after a clean stop, owned by root and group
    /// `nogroup` (65534 on Debian), folders 0750 and files 0640.
    static func serviceFiles(_ cli: CLIRunner) throws -> (state: String, log: String) {
        // The daemon ingests a drop, evaluates, writes the report, and stops cleanly (closing the database).
        let daemon = try DaemonProcess(cli)
        try daemon.waitUntilReady()
        try daemon.drop("anhui.csv", DaemonTests.anhui)
        try wait("the drop's report") {
            (try? String(contentsOf: daemon.state.appending(path: "report/targets/anhui-urbanization-1pp.html"), encoding: .utf8))?.contains("62.57") == true
        }
        #expect(try daemon.terminate() == 0)
        _ = try cli.write("anhui.csv", DaemonTests.anhui)
        #expect(chmod(cli.directory.path, 0o755) == 0)
        let state = daemon.state.path
        let log = daemon.alertLog.deletingLastPathComponent().path
        for folder in [state, log] {
            #expect(chown(folder, 0, 65534) == 0 && chmod(folder, 0o750) == 0)
            for name in try FileManager.default.subpathsOfDirectory(atPath: folder) {
                let path = folder + "/" + name
                var info = stat()
                lstat(path, &info)
                chown(path, 0, 65534)
                chmod(path, (info.st_mode & S_IFMT) == S_IFDIR ? 0o750 : 0o640)
            }
        }
        return (state, log)
    }

    static func listing(_ folder: String) throws -> [String] {
        try FileManager.default.subpathsOfDirectory(atPath: folder).sorted()
    }

    @Test func aReaderRunsStatusAlertsHistoryAndReportOnTheServicesFilesAndWritesNothing() throws {
        try withCLI { cli in
            let (state, log) = try Self.serviceFiles(cli)
            // The database keeps its write-ahead log and index after the last connection closed: a reader who may not
            // create files in the state directory can still open it.
            #expect(FileManager.default.fileExists(atPath: state + "/planwatch.sqlite-wal"))
            #expect(FileManager.default.fileExists(atPath: state + "/planwatch.sqlite-shm"))
            let before = try (Self.listing(state), Data(contentsOf: URL(fileURLWithPath: state + "/planwatch.sqlite")))
            let common = ["--state-dir", state, "--log-dir", log]
            let status = try CLIRunner.execute("/usr/bin/setpriv", Self.reader(group: 65534) + ["status", "--plan", "central-region-2021"] + common, in: cli.directory)
            #expect(status.status == 0, "\(status.stderr)")
            #expect(status.stdout.contains("anhui-urbanization-1pp"))
            let alerts = try CLIRunner.execute("/usr/bin/setpriv", Self.reader(group: 65534) + ["alerts", "--target", "anhui-urbanization-1pp"] + common, in: cli.directory)
            #expect(alerts.status == 0, "\(alerts.stderr)")
            #expect(alerts.stdout.contains("  anhui-urbanization-1pp  anhui-urbanization-1pp (CN-AH)"))
            let history = try CLIRunner.execute("/usr/bin/setpriv", Self.reader(group: 65534) + ["history", "urbanization_rate", "CN-AH"] + common, in: cli.directory)
            #expect(history.status == 0, "\(history.stderr)")
            #expect(history.stdout.contains("62.57"))
            #expect(FileManager.default.isReadableFile(atPath: state + "/report/index.html"))
            let report = try CLIRunner.execute(
                "/usr/bin/setpriv", Self.reader(group: 65534) + ["report", "--out", "/tmp/planwatch-reader-\(getpid())"] + common, in: cli.directory)
            defer { try? FileManager.default.removeItem(atPath: "/tmp/planwatch-reader-\(getpid())") }
            #expect(report.status == 0, "\(report.stderr)")
            // Nothing of the service's changed.
            #expect(try Self.listing(state) == before.0)
            #expect(try Data(contentsOf: URL(fileURLWithPath: state + "/planwatch.sqlite")) == before.1)
            // And the reader cannot write: an ingest as the reader is refused by the file system.
            let ingest = try CLIRunner.execute(
                "/usr/bin/setpriv", Self.reader(group: 65534) + ["ingest", "--state-dir", state, "--log-dir", log, cli.directory.appending(path: "anhui.csv").path], in: cli.directory)
            #expect(ingest.status != 0)
        }
    }

    @Test func somebodyOutsideTheGroupIsToldWhichFileWhichUserAndWhichGroupToJoin() throws {
        try withCLI { cli in
            let (state, log) = try Self.serviceFiles(cli)
            #expect(chmod(state, 0o755) == 0 && chmod(log, 0o755) == 0)
            let common = ["--state-dir", state, "--log-dir", log]
            // Group 4242 is not the files' group: nobody may traverse the folders but not read the files (0640).
            let status = try CLIRunner.execute("/usr/bin/setpriv", Self.reader(group: 4242) + ["status"] + common, in: cli.directory)
            #expect(status.status == 1)
            #expect(status.stderr == "planwatch: cannot read \(state)/planwatch.sqlite as user nobody: permission denied (owner root, group nogroup, mode 0640); join the group nogroup (sudo usermod -aG nogroup nobody, then log in again)\n")
            let alerts = try CLIRunner.execute("/usr/bin/setpriv", Self.reader(group: 4242) + ["alerts"] + common, in: cli.directory)
            #expect(alerts.status == 1)
            #expect(alerts.stderr == "planwatch: cannot read \(log)/alerts.jsonl as user nobody: permission denied (owner root, group nogroup, mode 0640); join the group nogroup (sudo usermod -aG nogroup nobody, then log in again)\n")
            #expect(!alerts.stdout.contains("No alert log"))
            // A folder the reader cannot enter is named the same way.
            #expect(chmod(state, 0o750) == 0)
            let closed = try CLIRunner.execute("/usr/bin/setpriv", Self.reader(group: 4242) + ["status"] + common, in: cli.directory)
            #expect(closed.stderr == "planwatch: cannot read \(state)/planwatch.sqlite as user nobody: permission denied on the folder \(state) (owner root, group nogroup, mode 0750); join the group nogroup (sudo usermod -aG nogroup nobody, then log in again)\n")
        }
    }
}
