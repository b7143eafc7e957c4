import ArgumentParser
import Foundation
import PlanWatchSetup
import PlanWatchHTTP
import PlanWatchIngest
import PlanWatchFetch
import PlanWatchOutputs
import PlanWatchDaemon
import PlanWatchStore

/// `planwatch backup FILE`: writes a consistent copy of the database, safe while the daemon runs.
struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the database to a file, safely while the daemon runs.",
        discussion: """
            Uses SQLite's online backup: the copy is one consistent snapshot, taken without stopping the daemon, \
            checked with PRAGMA integrity_check and only then renamed into place, so FILE is complete or untouched. \
            An existing FILE is kept unless --force. Exit 0 when the backup was written, 1 when not.
            """)

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Overwrite FILE if it exists.")
    var force = false

    @Argument(help: ArgumentHelp("The backup file to write.", valueName: "file"))
    var file: String

    func run() throws {
        let configuration = try global.loadConfiguration()
        let database = configuration.settings.databasePath
        // Opening a missing database would create an empty one and back that up; a wrong --state-dir is likelier.
        guard FileManager.default.fileExists(atPath: database) else {
            printError("planwatch: database \(database) does not exist; nothing to back up (check --state-dir)")
            throw ExitCode(1)
        }
        do {
            let store = try StateDirectory.openStore(configuration)
            let summary = try store.backup(to: file, overwrite: force)
            let observations = summary.observations == 1 ? "1 observation" : "\(summary.observations) observations"
            say("backed up \(store.path) to \(file) (\(observations), \(summary.bytes) bytes)")
        } catch {
            printError("planwatch: \(error)")
            throw ExitCode(1)
        }
    }
}
