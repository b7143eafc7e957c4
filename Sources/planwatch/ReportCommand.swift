import ArgumentParser
import Foundation
import PlanWatchCore
import PlanWatchReport
import PlanWatchSetup
import PlanWatchHTTP
import PlanWatchIngest
import PlanWatchFetch
import PlanWatchOutputs
import PlanWatchDaemon
import PlanWatchStore

/// `planwatch report`: writes the progress report, a static site with a chart per target.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write the progress report: static HTML with a chart for every target.",
        discussion: """
            Evaluates every target (or one plan's) as of today or DATE without recording anything, and writes \
            index.html and targets/ID.html into DIR (default: the report.dir setting, STATE_DIR/report). The pages \
            fetch nothing from elsewhere: open index.html from disk, or serve the folder. The new report is written \
            beside the old one and swapped in at once. Read-only on the database.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("Write the report into this folder (default: the report.dir setting).", valueName: "dir"))
    var out: String?

    @Option(help: ArgumentHelp("Judge as if today were this date (YYYY-MM-DD).", valueName: "date"))
    var asOf: String?

    @Option(help: ArgumentHelp("Only this plan's targets.", valueName: "plan"), completion: Completions.plans)
    var plan: String?

    @Option(help: ArgumentHelp("The language of labels and names: en or zh (default: the report.lang setting).", valueName: "lang"))
    var lang: String?

    func validate() throws {
        try checkDate(asOf, option: "--as-of")
        if let lang, ReportLanguage(rawValue: lang) == nil {
            throw ValidationError("--lang '\(lang)' is not a report language; use en or zh")
        }
    }

    func run() throws {
        let configuration = try global.loadConfiguration()
        try checkPlan(plan, in: configuration)
        let day = asOf.flatMap { CalendarDate(parsing: $0) } ?? EvaluationRunner.today()
        let language = ReportLanguage(rawValue: lang ?? configuration.settings.reportLanguage) ?? .en
        let directory = out.map { absolutePath($0) } ?? configuration.settings.reportPath
        do {
            let store = try StateDirectory.openStoreForReading(configuration)
            let evaluations = try EvaluationRunner(configuration: configuration, store: store).evaluate(asOf: day, plan: plan, record: false)
            let builder = ReportBuilder(configuration: configuration, store: store)
            switch try builder.write(evaluations: evaluations, asOf: day, language: language, to: ReportWriter(directory: directory)) {
            case .written(let pages):
                say("\(ReportCommand.shown(evaluations, configuration, day)) written to \(directory)/index.html (\(counted(pages, "page")))")
            case .unchanged:
                say("\(ReportCommand.shown(evaluations, configuration, day)) unchanged in \(directory)/index.html")
            }
        } catch {
            printError("planwatch: \(error)")
            throw ExitCode(1)
        }
    }
}

extension ReportCommand {
    /// `Report of 28 targets as of 2025-06-30`, and how many were left out because their plans were issued
    /// after that day (the report leaves them out, as a report of that day would have).
    static func shown(_ evaluations: [Evaluation], _ configuration: Configuration, _ day: CalendarDate) -> String {
        let issued = Dictionary(configuration.planSet.plans.map { ($0.id, $0.issued) }, uniquingKeysWith: { first, _ in first })
        let later = evaluations.filter { (issued[$0.plan] ?? day) > day }.count
        let text = "Report of \(counted(evaluations.count - later, "target")) as of \(day)"
        return later == 0 ? text : text + " (\(counted(later, "target")) of plans issued later left out)"
    }
}

/// `path` made absolute against the working directory, without `//` or a trailing slash.
func absolutePath(_ path: String) -> String {
    var result = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    while result.contains("//") { result = result.replacingOccurrences(of: "//", with: "/") }
    while result.count > 1, result.hasSuffix("/") { result.removeLast() }
    return result
}
