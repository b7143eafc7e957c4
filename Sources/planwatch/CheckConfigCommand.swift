import ArgumentParser
import PlanWatchCore
import PlanWatchSetup
import PlanWatchHTTP
import PlanWatchIngest
import PlanWatchFetch
import PlanWatchOutputs
import PlanWatchDaemon

/// `planwatch check-config`: loads settings and plans with the daemon's own loader and reports every problem.
struct CheckConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate the settings and plans exactly as the daemon loads them.",
        discussion: "Prints every problem as FILE:LINE: MESSAGE. Exit 0 valid, 1 problems found, 78 no settings file.")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let configuration: Configuration
        do {
            configuration = try Configuration.load(global.runtimeOptions)
        } catch {
            switch error {
            case .invalid(let errors):
                for diagnostic in errors.diagnostics { printError(diagnostic.description) }
                printError("\(counted(errors.diagnostics.count, "problem")) found")
                throw ExitCode(1)
            case .missing(let message):
                printError(message)
                throw ExitCode(78)
            }
        }
        let planSet = configuration.planSet
        let groups = planSet.catalog.regions.values.filter { $0.group != nil }.count
        say(
            "\(configuration.origin): OK: \(counted(planSet.plans.count, "plan")), \(counted(planSet.targets.count, "target")), \(counted(planSet.catalog.indicators.count, "indicator")), \(counted(planSet.catalog.regions.count - groups, "region")), \(counted(groups, "group"))"
        )
    }
}
