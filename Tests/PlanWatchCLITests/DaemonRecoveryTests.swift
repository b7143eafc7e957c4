import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The daemon after a full disk clears, and beside another daemon on the same database.
@Suite("daemon: full disk and shared database", .serialized)
struct DaemonRecoveryTests {
    /// Runs `COMMAND` in the daemon's mount namespace (where its log directory is a tmpfs of its own).
    static func inNamespace(of daemon: DaemonProcess, _ command: [String]) throws -> CLIRunner.Result {
        let namespace = "--mount=/proc/\(daemon.process.processIdentifier)/ns/mnt"
        return try CLIRunner.execute("/usr/bin/nsenter", [namespace, "--"] + command, in: daemon.cli.directory)
    }

    @Test func pendingAlertsAreLoggedSoonAfterAFullDiskClearsWithoutANewFileOrEvaluation() throws {
        try withCLI { cli in
            // The log directory on a 64 KiB tmpfs filled to the last block, in a mount namespace of the daemon's own.
            let log = cli.directory.appending(path: "log")
            try FileManager.default.createDirectory(at: log, withIntermediateDirectories: true)
            let script = "mount -t tmpfs -o size=64k tmpfs \"$1\" && dd if=/dev/zero of=\"$1/fill\" bs=4k 2>/dev/null; "
                + "shift; exec \"$@\""
            try cli.storeSeedData()
            let daemon = try DaemonProcess(cli, wrapper: ["/usr/bin/unshare", "-m", "sh", "-c", script, "sh", log.path])
            try daemon.waitUntilReady()
            try wait("the first failed write") { daemon.stderr.contains("cannot append an alert") }
            let failure = try #require(daemon.stderr.split(separator: "\n").first { $0.contains("cannot append an alert") })
            #expect(failure == """
                <3>alert log \(log.path)/alerts.jsonl: cannot append an alert: No space left on device (free space on \
                the disk that holds it); the log was cut back to its last whole line, and the alert stays pending and is \
                logged when writing works again (tried again in 1 s, then at doubling intervals up to every 60 s)
                """)
            #expect(try cli.sqlite(daemon.database, "SELECT count(*) FROM alert WHERE logged_at IS NULL") == ["22"])
            let evaluations = try cli.sqlite(daemon.database, "SELECT count(*) FROM evaluation")

            // Space returns: the daemon's own retry logs every pending alert, with no new file and no evaluation.
            let freed = try Self.inNamespace(of: daemon, ["rm", log.appending(path: "fill").path])
            #expect(freed.status == 0, "\(freed.stderr)")
            let freedAt = Date()
            try wait("every pending alert to be logged", timeout: 10) {
                try cli.sqlite(daemon.database, "SELECT count(*) FROM alert WHERE logged_at IS NULL") == ["0"]
            }
            print("alerts logged \(String(format: "%.2f", Date().timeIntervalSince(freedAt))) s after the space returned")
            try wait("the recovery said") { daemon.stderr.contains("takes alerts again") }
            #expect(daemon.stderr.contains(
                "<5>the alert log \(log.path)/alerts.jsonl takes alerts again: 22 pending alerts logged"))
            #expect(try cli.sqlite(daemon.database, "SELECT count(*) FROM evaluation") == evaluations, "no evaluation ran")
            let text = try Self.inNamespace(of: daemon, ["cat", log.appending(path: "alerts.jsonl").path]).stdout
            #expect(try daemon.terminate() == 0)
            let ids = text.split(separator: "\n").compactMap { line in
                (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["id"] as? String
            }
            #expect(ids.count == 22)
            // The seed data's own data alerts went to the ingest's log; the daemon's are its target alerts.
            let stored = try cli.sqlite(daemon.database, "SELECT id FROM alert WHERE target IS NOT NULL")
            #expect(Set(ids) == Set(stored), "each alert once")
        }
    }

    @Test func secondDaemonOnTheSameDatabaseIsRefusedWithTheHoldersPid() throws {
        try withCLI { cli in
            let shared = cli.directory.appending(path: "shared/planwatch.sqlite").path
            let plans = CLIRunner.repository.appending(path: "seeds/plans.d").path
            let config = try cli.write("planwatch.yaml", "plans: \(plans)\ndatabase: \(shared)\n")
            let first = try DaemonProcess(cli, extra: ["--config", config], name: "first")
            try first.waitUntilReady()
            let holder = first.process.processIdentifier

            // Another state directory and log, the same database.
            let second = try DaemonProcess(
                cli, extra: ["--config", config], name: "second", stateDirectory: "state-2", logDirectory: "log-2")
            try wait("the second daemon to stop") { !second.process.isRunning }
            #expect(second.process.terminationStatus == 1)
            #expect(second.stderr == """
                <2>cannot start: another planwatch run (pid \(holder)) is already using the database \(shared) \
                (it holds \(shared).lock); stop it first (systemctl stop planwatch) or give this one a database of its \
                own (database: in its settings)

                """)
            #expect(!FileManager.default.fileExists(atPath: cli.directory.appending(path: "log-2/alerts.jsonl").path))
            #expect(try String(contentsOfFile: shared + ".lock", encoding: .utf8) == "\(holder)\n")
            #expect(try first.terminate() == 0)

            // Once the first has stopped, the database is free.
            let third = try DaemonProcess(
                cli, extra: ["--config", config], name: "third", stateDirectory: "state-2", logDirectory: "log-2")
            try third.waitUntilReady()
            #expect(try String(contentsOfFile: shared + ".lock", encoding: .utf8) == "\(third.process.processIdentifier)\n")
            #expect(try third.terminate() == 0)
        }
    }
}
