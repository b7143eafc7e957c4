import ArgumentParser
import Foundation
import PlanWatchRuntime

/// `planwatch demo`: the embedded default end to end in a temporary directory.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Ingest the seed data into a temporary state directory, evaluate the seed plans and show status.")

    @Flag(help: "Keep the temporary state directory (its path is printed) instead of removing it.")
    var keep = false

    func run() throws {
        let demo: DemoRun
        do {
            demo = try DemoRun.run()
        } catch {
            printError("planwatch demo: \(error)")
            throw ExitCode(1)
        }
        print(demo.text(color: isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil))
        if keep {
            print("State directory kept: \(demo.directory)")
        } else {
            try? FileManager.default.removeItem(atPath: demo.directory)
        }
    }
}
