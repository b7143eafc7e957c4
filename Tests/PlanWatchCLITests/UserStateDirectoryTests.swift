import Foundation
import Testing

/// Without an installed configuration the embedded default keeps its state and alert log in the user's own
/// directory: a command run by hand never creates a root-owned file under /var/lib or /var/log that the service's
/// user could later not write.
@Suite("the embedded default's own state directory")
struct UserStateDirectoryTests {
    /// Only where the machine has no installed configuration, which the embedded default would otherwise read.
    @Test(.enabled(if: !FileManager.default.fileExists(atPath: "/etc/planwatch/planwatch.yaml")))
    func withoutAnInstalledConfigurationStateGoesUnderXDGStateHomeAndSaysSoOnce() throws {
        let cli = try CLIRunner()
        defer { cli.cleanUp() }
        let home = cli.directory.appending(path: "home").path
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        // No --state-dir, --log-dir or --config (the test kit leaves them out for the embedded default); an empty
        // XDG_STATE_HOME is unset, so HOME decides.
        let environment = ["HOME": home, "XDG_STATE_HOME": ""]
        let first = try cli.run(["evaluate"], environment: environment, embedded: true)
        #expect(first.status == 0, "\(first.stderr)")
        let own = home + "/.local/state/planwatch"
        #expect(first.stderr == """
            planwatch: no /etc/planwatch/planwatch.yaml; the embedded default keeps its database and alert log in \(own) \
            (set --state-dir and --log-dir, or --config, to use others)

            """)
        #expect(try FileManager.default.contentsOfDirectory(atPath: own).sorted().filter { !$0.hasPrefix("planwatch.sqlite-") }
            == ["planwatch.sqlite"], "no data, so no alert and no log yet")
        // Said on first use only.
        let again = try cli.run(["evaluate"], environment: environment, embedded: true)
        #expect(again.stderr == "")
        // XDG_STATE_HOME, when set, is the base.
        let xdg = cli.directory.appending(path: "xdg").path
        let moved = try cli.run(["evaluate"], environment: environment.merging(["XDG_STATE_HOME": xdg]) { $1 }, embedded: true)
        #expect(moved.status == 0)
        #expect(FileManager.default.fileExists(atPath: xdg + "/planwatch/planwatch.sqlite"))
    }
}
