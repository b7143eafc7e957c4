import ArgumentParser
import Foundation
import PlanWatchCore
import PlanWatchSetup
import PlanWatchHTTP
import PlanWatchIngest
import PlanWatchFetch
import PlanWatchOutputs
import PlanWatchDaemon

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

    @Option(help: ArgumentHelp("Read the files as this catalogued source's: its fetch: mapping, and its id for values that name no source (as planwatch fetch's files are read).", valueName: "id"))
    var source: String?

    func validate() throws {
        if let vintage, Vintage.normalize(vintage) == nil {
            throw ValidationError("--vintage '\(vintage)' is not a date; write the publication date, e.g. 2024-09-30")
        }
    }

    @Argument(help: ArgumentHelp("CSV files to ingest.", valueName: "file"))
    var files: [String]

    func run() throws {
        let configuration = try global.loadConfiguration()
        if let source, !configuration.planSet.catalog.sources.contains(where: { $0.id == source }) {
            let ids = configuration.planSet.catalog.sources.map(\.id)
            throw usageError("there is no source '\(source)' in the plans' sources" + suggestion(source, among: Set(ids)))
        }
        var reports: [IngestReport] = []
        do {
            let store = try StateDirectory.openStore(configuration)
            var ingester = try Ingester(configuration: configuration, store: store)
            ingester.vintage = vintage.flatMap(Vintage.normalize)
            ingester.source = source
            for file in files {
                if IngestCommand.isZip(file) {
                    let limits = ZipMembers.Limits(
                        bytes: configuration.settings.maxFileSize, members: configuration.settings.maxArchiveMembers)
                    reports += try IngestCommand.ingestArchive(file, ingester: ingester, limits: limits, dryRun: dryRun)
                } else {
                    reports.append(try ingester.ingest(path: file, dryRun: dryRun))
                }
            }
            if !dryRun { try publishAlerts(configuration, store) }
        } catch {
            printError("planwatch: \(error)")
            throw ExitCode(1)
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            sayJSON(String(decoding: try encoder.encode(reports), as: UTF8.self))
        } else {
            for report in reports { say(report.text) }
            // Ingest stores values and leaves the targets' states alone: the daemon re-evaluates after a file, and
            // without one nothing would, so `status` would keep showing the old states with no word why.
            if !dryRun, reports.contains(where: { $0.outcome == .ingested }),
                !StateLock.isHeld(stateDirectory: configuration.settings.stateDirectory)
            {
                printError(IngestCommand.evaluateHint)
            }
        }
        if reports.contains(where: { $0.outcome == .rejected || $0.outcome == .invalid }) { throw ExitCode(1) }
    }
}

extension IngestCommand {
    /// The last line of an ingest that changed data when no daemon holds the state directory.
    static let evaluateHint =
        "Target states are not updated by ingest: states are updated by the service, or run `planwatch evaluate`."

    /// A zip: each CSV member its own file, transaction and report (`ARCHIVE--MEMBER.csv`); a damaged archive or
    /// a member past `limit` is one rejected report for the archive.
    static func ingestArchive(
        _ file: String, ingester: Ingester, limits: ZipMembers.Limits, dryRun: Bool
    ) throws -> [IngestReport] {
        let folder = NSTemporaryDirectory() + "planwatch-unzip-\(getpid())"
        try? FileManager.default.removeItem(atPath: folder)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let unpacked: ZipMembers.Unpacked
        do {
            unpacked = try ZipMembers.unpack(file, archive: file, into: folder, limits: limits)
        } catch {
            var report = IngestReport.empty(file, dryRun: dryRun)
            report.problems = [IngestProblem(row: 0, line: 0, message: error.description)]
            report.problemCount = 1
            return [report]
        }
        for skipped in unpacked.skipped { printError("\(file): skipped \(terminalSafe(skipped))") }
        return try unpacked.members.map { try ingester.ingest(path: folder + "/" + $0, name: $0, dryRun: dryRun) }
    }

    /// Whether the file at `path` starts like a zip archive.
    static func isZip(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        return ZipMembers.isZip((try? handle.read(upToCount: 4)) ?? Data())
    }
}
