import Foundation
import Testing

/// Without an installed configuration the embedded default keeps its state and alert log in the user's own
/// directory: a command run by hand never creates a root-owned file under /var/lib or /var/log that the service's
/// user could later not write.
@Suite("the embedded default's own state directory")
struct UserStateDirectoryTests {
    @Test func withoutAnInstalledConfigurationStateGoesUnderXDGStateHomeAndSaysSoOnce() throws {
        let cli = try CLIRunner()
        defer { cli.cleanUp() }
        let home = cli.directory.appending(path: "home").path
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        // No --state-dir, --log-dir or --config; an empty PLANWATCH_LOG_DIR is unset.
        let environment = ["HOME": home, "PLANWATCH_LOG_DIR": ""]
        let first = try cli.run(["evaluate"], environment: environment)
        #expect(first.status == 0, "\(first.stderr)")
        let own = home + "/.local/state/planwatch"
        #expect(first.stderr == """
            planwatch: no /etc/planwatch/planwatch.yaml; the embedded default keeps its database and alert log in \(own) \
            (set --state-dir and --log-dir, or --config, to use others)
            planwatch: 35 alerts written to \(own)/alerts.jsonl

            """)
        #expect(try FileManager.default.contentsOfDirectory(atPath: own).sorted().filter { !$0.hasPrefix("planwatch.sqlite-") }
            == ["alerts.jsonl", "planwatch.sqlite"])
        // Said on first use only.
        let again = try cli.run(["evaluate"], environment: environment)
        #expect(again.stderr == "")
        // XDG_STATE_HOME, when set, is the base.
        let xdg = cli.directory.appending(path: "xdg").path
        let moved = try cli.run(["evaluate"], environment: environment.merging(["XDG_STATE_HOME": xdg]) { $1 })
        #expect(moved.status == 0)
        #expect(FileManager.default.fileExists(atPath: xdg + "/planwatch/planwatch.sqlite"))
    }
}
