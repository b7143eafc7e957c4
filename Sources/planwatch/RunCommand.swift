import ArgumentParser
import Foundation
import Logging
import PlanWatchSetup
import PlanWatchHTTP
import PlanWatchIngest
import PlanWatchFetch
import PlanWatchOutputs
import PlanWatchDaemon

/// `planwatch run`: the daemon in the foreground (systemd `Type=notify`).
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the daemon in the foreground: watch the inbox, evaluate on schedule, write the alert log.",
        discussion: """
            Files that arrive together are ingested, then judged once the inbox has been quiet for schedule.settle \
            (2 s; at the latest schedule.settle_max, 1 min, into a long drain), so alerts describe settled states. \
            Signals: SIGHUP reloads settings and plans (an invalid new configuration is reported and the old one \
            kept); SIGUSR1 reopens the alert log; SIGTERM finishes or rolls back the current file and exits 0. \
            Exit 78 when a restart cannot help: the configuration is invalid, or the database is from a newer \
            planwatch, read-only, corrupt, on a full disk, or was deleted or replaced while running. Exit 1 when \
            another planwatch run holds the state directory (its pid is named).
            """)

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        LoggingSystem.bootstrap { JournalLogHandler(label: $0) }
        let configuration = try global.loadConfiguration()
        let status = await runDaemon(configuration: configuration, options: global.runtimeOptions, logger: Logger(label: "planwatch"))
        if status != 0 { throw ExitCode(status) }
    }
}
