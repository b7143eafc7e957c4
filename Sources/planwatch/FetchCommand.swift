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

/// `planwatch fetch [SOURCE…]`: downloads the sources that fetch and drops what changed into the inbox.
struct FetchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "Download the sources that carry fetch: (when due) and drop what changed into the inbox.",
        discussion: """
            Each source with fetch: {url: http(s)://…, every: P1D} is asked with the validators of its last answer \
            (ETag, Last-Modified), and one with fetch: {path: …} is read from its shared folder; a changed file is \
            written into the inbox as a dotfile and renamed whole (SOURCE-TIME.csv, .csv.gz or .zip), where the \
            daemon ingests it. Every attempt is recorded; three failures in a row raise a fetch_failed alert. \
            A fetched file is read as its source's (its own mapping, its id, its vintage rule). Proxies come from \
            https_proxy, http_proxy and no_proxy, as curl reads them. --list shows each \
            source's last attempt and when it is due. Exit 1 when a source failed. planwatch-fetch.timer runs it.
            """)

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Fetch every named (or every) source now, due or not.")
    var force = false

    @Flag(help: "List the sources that fetch, their last attempt and when each is due; fetch nothing.")
    var list = false

    @Argument(help: ArgumentHelp("Source ids (default: every source that fetches).", valueName: "source"))
    var sources: [String] = []

    func run() throws {
        let configuration = try global.loadConfiguration()
        let fetching = configuration.planSet.catalog.sources.filter { $0.fetch != nil }
        for id in sources where !fetching.contains(where: { $0.id == id }) {
            let known = Catalog.closest(to: id, among: fetching.map(\.id))
            throw usageError("there is no fetching source '\(id)'" + (known.isEmpty ? (fetching.isEmpty ? "; no source has fetch: in the plans' sources:" : "; known: " + fetching.map(\.id).joined(separator: ", ")) : "; did you mean " + known.map { "'\($0)'" }.joined(separator: " or ") + "?"))
        }
        let chosen = sources.isEmpty ? fetching : fetching.filter { sources.contains($0.id) }
        if list {
            // Read-only: a database not yet created (nothing fetched yet) is fine.
            let exists = FileManager.default.fileExists(atPath: configuration.settings.databasePath)
            do {
                let store = exists ? try StateDirectory.openStoreForReading(configuration) : nil
                for source in chosen { say(Fetcher.describe(source, try store?.fetchState(source.id))) }
            } catch {
                printError("planwatch: \(error)")
                throw ExitCode(1)
            }
            if chosen.isEmpty {
                say("No source fetches; add fetch: {url: …} or fetch: {path: …} to a source in the plans' sources:.")
            }
            return
        }
        var failed = false
        do {
            let store = try StateDirectory.openStore(configuration)
            let fetcher = Fetcher(configuration: configuration, store: store)
            for source in chosen {
                let result = try fetcher.fetch(source, force: force || !sources.isEmpty)
                if result.outcome == .failed {
                    failed = true
                    printError("planwatch: \(result.message)")
                } else {
                    say(result.message)
                }
            }
            try publishAlerts(configuration, store)
        } catch {
            printError("planwatch: \(error)")
            throw ExitCode(1)
        }
        if chosen.isEmpty {
            say("No source fetches; add fetch: {url: …} or fetch: {path: …} to a source in the plans' sources:.")
        }
        if failed { throw ExitCode(1) }
    }
}
