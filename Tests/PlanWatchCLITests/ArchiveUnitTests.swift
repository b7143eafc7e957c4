import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A zip is one unit: checked whole, every member inflated aside before any reaches the inbox, refused alone
/// (never its expanded members), and unpacked exactly once through any crash.
@Suite("a zip archive is one unit", .serialized)
struct ArchiveUnitTests {
    /// Writes the archive `kind` of `Fixtures/archives/make-archive.py` as `name`; returns its path and what the
    /// script printed.
    @discardableResult
    static func archive(_ cli: CLIRunner, _ kind: String, _ name: String) throws -> (path: String, printed: String) {
        let script = CLIRunner.fixtures.appending(path: "archives/make-archive.py").path
        let path = cli.directory.appending(path: name).path
        let made = try CLIRunner.execute("/usr/bin/env", ["python3", script, kind, path], in: cli.directory)
        #expect(made.status == 0, "\(made.stderr)")
        return (path, made.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Settings with a 1 MiB limit (and `members` entries at most), reading the seed plans.
    @discardableResult
    static func settings(_ cli: CLIRunner, members: Int? = nil) throws -> String {
        let plans = CLIRunner.repository.appending(path: "seeds/plans.d").path
        let limit = members.map { "\n  max_archive_members: \($0)" } ?? ""
        return try cli.write("small.yaml", "plans: \(plans)\ningest:\n  max_file_size: 1MiB\(limit)\n")
    }

    func ingest(_ cli: CLIRunner, _ archive: String) throws -> CLIRunner.Result {
        try cli.run(["ingest", "--config", "small.yaml", "--state-dir", "s", "--log-dir", "s", archive])
    }

    @Test func entriesSharingTheirDataAreRefusedBeforeAnythingIsInflated() throws {
        try withCLI { cli in
            try Self.settings(cli)
            let (_, printed) = try Self.archive(cli, "overlapping", "bomb.zip")
            let numbers = printed.split(separator: " ").map(String.init)
            let result = try ingest(cli, "bomb.zip")
            #expect(result.status == 1)
            #expect(result.stdout == """
                bomb.zip: rejected: 1 problem, nothing stored
                  bomb.zip is not a sound zip archive: its 40 entries claim \(numbers[0]) bytes of a file of \
                \(numbers[1]), so they overlap (a zip bomb's trick); nothing of the archive is read

                """)
        }
    }

    @Test func membersThatTogetherExpandPastTheLimitAreRefusedThoughEachFits() throws {
        try withCLI { cli in
            try Self.settings(cli)
            try Self.archive(cli, "together", "parts.zip")
            let result = try ingest(cli, "parts.zip")
            #expect(result.status == 1)
            #expect(result.stdout == """
                parts.zip: rejected: 1 problem, nothing stored
                  parts.zip: its 3 CSV members expand to 1155090 bytes in all, past ingest.max_file_size (1048576 \
                bytes), which bounds what an archive expands to; nothing of the archive is read: split it, or raise \
                max_file_size if it is genuine

                """)
        }
    }

    @Test func anArchiveWithMoreEntriesThanAllowedIsRefused() throws {
        try withCLI { cli in
            try Self.settings(cli, members: 5)
            try Self.archive(cli, "many", "many.zip")
            let result = try ingest(cli, "many.zip")
            #expect(result.status == 1)
            #expect(result.stdout == """
                many.zip: rejected: 1 problem, nothing stored
                  many.zip holds 6 entries, more than ingest.max_archive_members (5); nothing of the archive is read: \
                split it, or raise max_archive_members

                """)
            let bad = try cli.write("bad.yaml", "ingest:\n  max_archive_members: 0\n")
            let check = try cli.run(["check-config", "--config", bad])
            #expect(check.status == 1)
            #expect((check.stdout + check.stderr).contains("\(bad):2: 'max_archive_members' must be a whole number from 1 to 1000000, e.g. 1000"))
        }
    }

    @Test func aMemberThatInflatesPastItsDeclaredSizeRefusesTheWholeArchive() throws {
        try withCLI { cli in
            try Self.settings(cli)
            try Self.archive(cli, "lying", "lying.zip")
            let result = try ingest(cli, "lying.zip")
            #expect(result.status == 1)
            #expect(result.stdout == """
                lying.zip: rejected: 1 problem, nothing stored
                  lying.zip: liar.csv expands past the 64 bytes its entry declares; the archive is damaged or forged; \
                nothing of the archive is read

                """)
        }
    }

    @Test func symbolicLinkMembersAreNamedWhenSkipped() throws {
        try withCLI { cli in
            try Self.settings(cli)
            try Self.archive(cli, "links", "links.zip")
            let result = try ingest(cli, "links.zip")
            #expect(result.status == 0)
            #expect(result.stderr == "links.zip: skipped shadow.csv: a symbolic link, not a file\n"
                + "Target states are not updated by ingest: states are updated by the service, or run `planwatch evaluate`.\n")
            #expect(result.stdout.hasPrefix("links.zip--first-good.csv: ingested 1 of 1 row (1 new, "))
        }
    }

    /// Refused archives as the daemon sees them: the whole archive goes to rejected/, alone, with one alert, and
    /// none of its members — not even the good one listed first — is ingested.
    @Test func theDaemonRefusesABadArchiveAloneAndIngestsNoneOfItsMembers() throws {
        try withCLI { cli in
            let config = try Self.settings(cli)
            let daemon = try DaemonProcess(cli, extra: ["--config", config])
            try daemon.waitUntilReady()
            let kinds = ["overlapping": "bomb.zip", "together": "parts.zip", "bigone": "bigone.zip", "lying": "lying.zip",
                         "longname": "long.zip"]
            for (kind, name) in kinds.sorted(by: { $0.key < $1.key }) {
                let (path, _) = try Self.archive(cli, kind, name)
                #expect(rename(path, daemon.inbox.appending(path: name).path) == 0)
            }
            let rejected = daemon.state.appending(path: "rejected")
            try wait("every archive refused") {
                kinds.values.allSatisfy { FileManager.default.fileExists(atPath: rejected.appending(path: $0 + ".errors.txt").path) }
            }
            try wait("their alerts") { fileAlerts(daemon).count == kinds.count }
            #expect(try daemon.terminate() == 0)
            let expected = kinds.values.flatMap { [$0, $0 + ".errors.json", $0 + ".errors.txt"] }.sorted()
            #expect(try FileManager.default.contentsOfDirectory(atPath: rejected.path).sorted() == expected)
            #expect(try FileManager.default.contentsOfDirectory(atPath: daemon.inbox.path) == [])
            #expect(Set(fileAlerts(daemon)) == Set(kinds.values.map { "file_rejected " + $0 }))
            #expect(!daemon.stderr.contains("ingested "))
            let long = "n" * 296 + ".csv"
            #expect(daemon.stderr.contains("""
                refused long.zip: long.zip: the member \(long) would be the file long.zip--\(long), 310 bytes long, past \
                the 250 a name may have here; nothing of the archive is read: give the member or the archive a shorter name
                """))
        }
    }

    /// Killed at every step of an unpack, the restarted daemon finishes it: each member is ingested or rejected
    /// once, with one alert, and the archive is processed once.
    @Test(arguments: ["unpacked:1", "member-moved:1", "member-moved:3", "archive-moved:1"])
    func aKillDuringAnUnpackIsFinishedOnceAfterTheRestart(crash: String) throws {
        try withCLI { cli in
            let (path, _) = try Self.archive(cli, "three", "crashy.zip")
            let first = try DaemonProcess(cli, environment: ["PLANWATCH_TEST_CRASH": crash], name: "first")
            try first.waitUntilReady()
            #expect(rename(path, first.inbox.appending(path: "crashy.zip").path) == 0)
            try wait("the kill") { !first.process.isRunning }
            #expect(first.process.terminationReason == .uncaughtSignal)
            let second = try DaemonProcess(cli, name: "second")
            try second.waitUntilReady()
            let processed = second.state.appending(path: "processed/\(DaemonTests.today())")
            let done = ["crashy.zip", "crashy.zip--a-good.csv", "crashy.zip--c-good.csv"]
            try wait("every member finished") {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: processed.path)) ?? []
                return Set(names) == Set(done) && !fileAlerts(second).isEmpty
            }
            #expect(try second.terminate() == 0)
            #expect(try FileManager.default.contentsOfDirectory(atPath: processed.path).sorted() == done)
            #expect(try FileManager.default.contentsOfDirectory(atPath: second.state.appending(path: "rejected").path).sorted()
                == ["crashy.zip--b-bad.csv", "crashy.zip--b-bad.csv.errors.json", "crashy.zip--b-bad.csv.errors.txt"])
            #expect(try FileManager.default.contentsOfDirectory(atPath: second.inbox.path) == [])
            #expect(fileAlerts(second) == ["file_rejected crashy.zip--b-bad.csv", "unknown_reference crashy.zip--b-bad.csv"])
            #expect(try cli.sqlite(second.database, "SELECT count(*) FROM ingested_file") == ["3"])
        }
    }

    /// A drop-group member who knows the archive's inode plants links at both names of its unpack folder.
    @Test func linksPlantedAsTheUnpackFoldersAreNeverFollowed() throws {
        try withCLI { cli in
            try cli.write("elsewhere/kept.csv", "indicator,region,period,value\n")
            let elsewhere = cli.directory.appending(path: "elsewhere").path
            let (path, _) = try Self.archive(cli, "three", "crashy.zip")
            let daemon = try DaemonProcess(cli)
            try daemon.waitUntilReady()
            var info = stat()
            #expect(stat(path, &info) == 0)
            let folder = daemon.inbox.appending(path: ".unpack-\(info.st_dev)-\(info.st_ino)").path
            // The inbox's group is the drop group (here nogroup); its members plant as themselves.
            #expect(chown(daemon.inbox.path, uid_t.max, 65534) == 0)
            for link in [folder + ".part", folder] {
                let planted = try CLIRunner.execute(
                    "/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "--", "/bin/ln", "-s", elsewhere, link],
                    in: cli.directory)
                #expect(planted.status == 0, "\(planted.stderr)")
            }
            #expect(rename(path, daemon.inbox.appending(path: "crashy.zip").path) == 0)
            try wait("the members") { daemon.stderr.contains("ingested crashy.zip--c-good.csv") }
            #expect(try daemon.terminate() == 0)
            #expect(try FileManager.default.contentsOfDirectory(atPath: elsewhere) == ["kept.csv"])
            #expect(try FileManager.default.contentsOfDirectory(atPath: daemon.inbox.path) == [])
        }
    }
}

/// The alerts about files in the daemon's log, as `KIND FILE`.
private func fileAlerts(_ daemon: DaemonProcess) -> [String] {
    daemon.alerts().compactMap { alert in (alert["file"] as? String).map { "\(alert["kind"] ?? "") \($0)" } }
}

private func * (text: String, count: Int) -> String { String(repeating: text, count: count) }
