import ArgumentParser
import Foundation
import PlanWatchCore
import PlanWatchRuntime

/// `planwatch ingest FILE…`: validates and stores CSV files now, printing a report for each.
struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Validate and ingest CSV files now.",
        discussion: """
            Each file is stored whole in one transaction, or (with any bad row) rejected whole with every problem \
            listed. A file with the same content as one already ingested is a duplicate and stores nothing. \
            Exit 0 when every file was ingested (or was a duplicate), 1 when any was rejected.
            """)

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Validate only; store nothing.")
    var dryRun = false

    @Flag(help: "Print the reports as a JSON array.")
    var json = false

    @Option(help: ArgumentHelp("When the files' values were published (YYYY-MM-DD), for values whose file states no vintage; else each file's arrival.", valueName: "date"))
    var vintage: String?

    func validate() throws {
        if let vintage, Vintage.normalize(vintage) == nil {
            throw ValidationError("--vintage '\(vintage)' is not a date; write the publication date, e.g. 2024-09-30")
        }
    }

    @Argument(help: ArgumentHelp("CSV files to ingest.", valueName: "file"))
    var files: [String]

    func run() throws {
        let configuration = try global.loadConfiguration()
        let reports: [IngestReport]
        do {
            let store = try StateDirectory.openStore(configuration)
            var ingester = try Ingester(configuration: configuration, store: store)
            ingester.vintage = vintage.flatMap(Vintage.normalize)
            reports = try files.map { file in try ingester.ingest(path: file, dryRun: dryRun) }
            if !dryRun { try publishAlerts(configuration, store) }
        } catch {
            printError("planwatch: \(error)")
            throw ExitCode(1)
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(reports), as: UTF8.self))
        } else {
            for report in reports { print(report.text) }
        }
        if reports.contains(where: { $0.outcome == .rejected || $0.outcome == .invalid }) { throw ExitCode(1) }
    }
}
