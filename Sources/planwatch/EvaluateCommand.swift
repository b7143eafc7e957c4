import ArgumentParser
import Foundation
import PlanWatchCore
import PlanWatchSetup
import PlanWatchHTTP
import PlanWatchIngest
import PlanWatchFetch
import PlanWatchOutputs
import PlanWatchDaemon
import PlanWatchStore

/// `planwatch evaluate`: evaluates the targets now (or as of a date), records the results and prints them.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Evaluate every target now, or as if today were a given date, and record the results.",
        discussion: """
            With --as-of, periods that end after DATE are ignored and staleness is judged at DATE. An --as-of other \
            than today is a what-if: it prints the evaluations but records no target state and logs no alert, \
            unless --record is given.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("Evaluate as if today were this date (YYYY-MM-DD).", valueName: "date"))
    var asOf: String?

    @Option(help: ArgumentHelp("Use the figures as they were known on this date (YYYY-MM-DD): for each value, the vintage published by then. A what-if unless --record.", valueName: "date"))
    var knownAt: String?

    @Option(help: ArgumentHelp("Only this plan's targets.", valueName: "plan"), completion: Completions.plans)
    var plan: String?

    @Flag(help: "With an --as-of other than today: record the states and log the alerts, as a normal run does.")
    var record = false

    @Flag(help: "Print the evaluations as a JSON array (the fields listed in docs/evaluation.md).")
    var json = false

    @Flag(help: "Print how long loading, reading, evaluating and recording took, on standard error.")
    var timings = false

    func validate() throws {
        try checkDate(asOf, option: "--as-of")
        try checkDate(knownAt, option: "--known-at", example: "2024-06-30")
    }

    func run() throws {
        let started = Date()
        let configuration = try global.loadConfiguration()
        let loaded = Date()
        try checkPlan(plan, in: configuration)
        let today = EvaluationRunner.today()
        let day = asOf.flatMap { CalendarDate(parsing: $0) } ?? today
        // A what-if leaves live state alone: a past (or future) as-of would otherwise replace today's states and
        // log alerts about a day that is not today.
        let known = knownAt.flatMap { CalendarDate(parsing: $0) }
        let whatIf = (day != today || known != nil) && !record
        let evaluations: [Evaluation]
        let phases = EvaluationRunner.Timings()
        do {
            // A what-if before anything was ingested judges every target on no data and creates nothing; a live
            // evaluation creates the database as ingest would.
            if whatIf, !FileManager.default.fileExists(atPath: configuration.settings.databasePath) {
                evaluations = EvaluationRunner.evaluateWithoutData(configuration, asOf: day, plan: plan)
                show(evaluations, plans: configuration.planSet.plans, json: json)
                printError(
                    "planwatch: what-if as of \(day): no database yet, so every target is judged on no data; nothing recorded"
                )
                return
            }
            let store = whatIf ? try StateDirectory.openStoreForReading(configuration) : try StateDirectory.openStore(configuration)
            evaluations = try EvaluationRunner(configuration: configuration, store: store)
                .evaluate(asOf: day, knownAt: known, plan: plan, record: !whatIf, timings: phases)
            if !whatIf { try publishAlerts(configuration, store) }
        } catch {
            printError("planwatch: \(error)")
            throw ExitCode(1)
        }
        show(evaluations, plans: configuration.planSet.plans, json: json)
        if whatIf {
            printError("planwatch: what-if as of \(day)\(known.map { " with the figures known on \($0)" } ?? ""): nothing recorded, no alert logged (add --record to record it)")
        }
        if timings {
            func ms(_ seconds: Double) -> String { "\(Int((seconds * 1000).rounded())) ms" }
            printError("timings: load configuration \(ms(loaded.timeIntervalSince(started))), read observations \(ms(phases.read)), evaluate \(evaluations.count) targets \(ms(phases.evaluate)), record \(ms(phases.record)), total \(ms(Date().timeIntervalSince(started)))")
        }
    }
}

/// `planwatch status`: the latest recorded state of every target.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the latest recorded state of every target: value, target, pace, projection, trend.")

    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("Only this plan's targets.", valueName: "plan"), completion: Completions.plans)
    var plan: String?

    @Flag(help: "Print the evaluations as a JSON array.")
    var json = false

    func run() throws {
        let configuration = try global.loadConfiguration()
        try checkPlan(plan, in: configuration)
        let states: [Evaluation]
        do {
            let store = try StateDirectory.openStoreForReading(configuration)
            var stored: [String: Evaluation] = [:]
            for record in try store.currentStates() { stored[record.evaluation.plan + "/" + record.evaluation.target] = record.evaluation }
            states = configuration.planSet.targets.compactMap { item in
                plan == nil || item.plan.id == plan ? stored[item.plan.id + "/" + item.target.id] : nil
            }
        } catch {
            printError("planwatch: \(error)")
            throw ExitCode(1)
        }
        if states.isEmpty, !json {
            say("No target has been evaluated yet; run 'planwatch evaluate' (the daemon does it after every file).")
            return
        }
        show(states, plans: configuration.planSet.plans, json: json)
    }
}

func checkPlan(_ plan: String?, in configuration: Configuration) throws {
    guard let plan, !configuration.planSet.plans.contains(where: { $0.id == plan }) else { return }
    throw usageError("there is no plan '\(plan)'" + suggestion(plan, among: Set(configuration.planSet.plans.map(\.id))))
}

/// Prints evaluations as a JSON array or as the status table (coloured on a terminal unless `NO_COLOR`).
func show(_ evaluations: [Evaluation], plans: [Plan], json: Bool) {
    if json {
        sayJSON(evaluations.isEmpty ? "[]" : "[\n" + evaluations.map(\.json).joined(separator: ",\n") + "\n]")
        return
    }
    let color = isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
    let table = StatusTable(evaluations: evaluations, plans: plans, color: color).text
    if color { sayPainted(table) } else { say(table) }
}

/// Writes the alerts a command raised to the alert log and says so on standard error.
func publishAlerts(_ configuration: Configuration, _ store: Store) throws {
    let publication = AlertPublication(
        store: store, log: AlertLog(path: configuration.settings.alertLogPath), settings: configuration.settings)
    let count = try publication.logPending()
    if count > 0 { printError("planwatch: \(count) alert\(count == 1 ? "" : "s") written to \(publication.log.path)") }
    // On to the Alertmanager outbox too, as the daemon does after logging: its sender thread finds them there
    // within alerts.alertmanager.resend_interval (a fetch_failed raised by planwatch-fetch.service, say).
    try publication.handOver(deliver: configuration.settings.alertmanagerURL != nil)
}
