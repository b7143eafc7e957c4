import Foundation
import Testing

/// Issue 15, items 2 and 3: `planwatch fetch` against a real HTTP server on loopback (Python's http.server):
/// 200 then 304, a redirect, a 500, a timeout, a body cut short, a gzip and a zip, and each changed file arriving in
/// the inbox exactly once.
@Suite("planwatch fetch", .serialized)
struct FetchTests {
    /// The loopback server (Fixtures/fetch/server.py) and its port.
    final class Server {
        let process = Process()
        let port: Int
        let requests: URL

        init(_ cli: CLIRunner) throws {
            let portFile = cli.directory.appending(path: "server.port")
            requests = cli.directory.appending(path: "requests.log")
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", CLIRunner.repository.appending(path: "Tests/PlanWatchCLITests/Fixtures/fetch/server.py").path, portFile.path, requests.path]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            try wait("the server's port") { FileManager.default.fileExists(atPath: portFile.path) }
            port = Int(try String(contentsOf: portFile, encoding: .utf8)) ?? 0
        }

        deinit { process.terminate() }

        var lines: [String] { ((try? String(contentsOf: requests, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init) }
    }

    static func config(_ cli: CLIRunner, port: Int) throws {
        let plans = cli.directory.appending(path: "plans")
        try FileManager.default.createDirectory(at: plans, withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: CLIRunner.repository.appending(path: "seeds/plans.d").path) {
            try FileManager.default.copyItem(at: CLIRunner.repository.appending(path: "seeds/plans.d/\(name)"), to: plans.appending(path: name))
        }
        let base = "http://127.0.0.1:\(port)"
        var sources = try String(contentsOf: plans.appending(path: "sources.yaml"), encoding: .utf8)
        for (id, path, extra) in [
            ("loop-csv", "/data.csv", ", every: P1D"), ("loop-gz", "/data.csv.gz", ""), ("loop-zip", "/wdi.zip", ""),
            ("loop-moved", "/redirect", ""), ("loop-sdmx", "/sdmx.csv", ""), ("loop-fail", "/fail", ""), ("loop-slow", "/slow", ", timeout: 1s"), ("loop-cut", "/truncated", ""),
        ] {
            sources += "  - id: \(id)\n    name: \(id)\n    fetch: {url: \"\(base)\(path)\"\(extra)}\n"
        }
        try Data(sources.utf8).write(to: plans.appending(path: "sources.yaml"))
        try cli.write("planwatch.yaml", "plans: plans\n")
    }

    @Test func fetchesOnlyWhatChangedAndSaysWhatFailed() throws {
        let cli = try CLIRunner()
        defer { cli.cleanUp() }
        let server = try Server(cli)
        try Self.config(cli, port: server.port)
        let base = "http://127.0.0.1:\(server.port)"
        let common = ["fetch", "--config", "planwatch.yaml", "--state-dir", "s", "--log-dir", "log"]
        let inbox = cli.directory.appending(path: "s/inbox")
        func dropped() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: inbox.path).sorted() }

        let first = try cli.run(common)
        #expect(first.status == 1, "three sources fail")
        let out = first.stdout.split(separator: "\n").map(String.init)
        #expect(out.count == 5)
        #expect(out[0].hasPrefix("loop-csv: 110 bytes from \(base)/data.csv dropped into the inbox as loop-csv-"))
        #expect(out[1].hasPrefix("loop-gz: 121 bytes from \(base)/data.csv.gz dropped into the inbox as loop-gz-"))
        #expect(out[2].hasPrefix("loop-zip: ") && out[2].contains(" dropped into the inbox as loop-zip-"))
        // The redirect is followed: what arrived came from where it pointed.
        #expect(out[3].hasPrefix("loop-moved: 110 bytes from \(base)/data.csv dropped into the inbox as loop-moved-"))
        let sdmx = try Data(contentsOf: CLIRunner.repository.appending(path: "Tests/PlanWatchCLITests/Fixtures/sources/eurostat-gdp-meur.csv"))
        #expect(out[4].hasPrefix("loop-sdmx: \(sdmx.count) bytes from \(base)/sdmx.csv dropped into the inbox as loop-sdmx-"))
        #expect(first.stderr == """
            planwatch: loop-fail: cannot fetch \(base)/fail: HTTP 500: internal error
            planwatch: loop-slow: cannot fetch \(base)/slow: no answer within 1 s
            planwatch: loop-cut: cannot fetch \(base)/truncated: the answer was cut short: 100 of 1000 bytes

            """)
        let names = try dropped()
        #expect(names.count == 5)
        #expect(names.filter { $0.hasSuffix(".csv.gz") }.count == 1 && names.filter { $0.hasSuffix(".zip") }.count == 1)
        #expect(!names.contains { $0.hasPrefix(".") }, "no half file left")

        // Again: loop-csv is not due (every P1D); forced, it is asked with its ETag and answers 304; the gzip and
        // the zip come back with the same bytes: nothing new arrives.
        let second = try cli.run(common)
        #expect(second.stdout.hasPrefix("loop-csv: not due until "))
        let forced = try cli.run(common + ["--force"])
        #expect(forced.stdout.contains("loop-csv: not modified (\(base)/data.csv)\n"))
        #expect(forced.stdout.contains("loop-gz: unchanged (\(base)/data.csv.gz)\n"))
        #expect(forced.stdout.contains("loop-zip: unchanged (\(base)/wdi.zip)\n"))
        #expect(forced.stdout.contains("loop-moved: not modified (\(base)/redirect)\n"))
        #expect(forced.stdout.contains("loop-sdmx: unchanged (\(base)/sdmx.csv)\n"))
        // The SDMX-CSV arrived byte for byte.
        let fetched = try #require(names.first { $0.hasPrefix("loop-sdmx-") })
        #expect(try Data(contentsOf: inbox.appending(path: fetched)) == sdmx)
        #expect(try dropped() == names, "each changed file arrives exactly once")
        #expect(server.lines.contains("GET /data.csv \"v1\""), "the validator was sent")

        // Three failures in a row raise fetch_failed, once per source.
        let log = try String(contentsOf: cli.directory.appending(path: "log/alerts.jsonl"), encoding: .utf8).split(separator: "\n")
        let failed = log.filter { $0.contains("\"kind\":\"fetch_failed\"") }
        #expect(failed.count == 3)
        #expect(failed.contains { $0.contains("Source loop-fail failed 3 times in a row: HTTP 500: internal error") })

        // The file changes: it arrives once more, and only it.
        _ = try CLIRunner.execute("/usr/bin/env", ["python3", "-c", "import urllib.request; urllib.request.urlopen('\(base)/set?v=2').read()"], in: cli.directory)
        let changed = try cli.run(common + ["loop-csv"])
        #expect(changed.status == 0, "\(changed.stderr)")
        #expect(changed.stdout.hasPrefix("loop-csv: 183 bytes from \(base)/data.csv dropped into the inbox as loop-csv-"))
        #expect(try dropped().count == 6)
        // The fetched files are what the daemon ingests: the CSV, the gzip and the new CSV store; the redirect's
        // file and the zip's member hold the first CSV's bytes: duplicates.
        let files = try dropped().filter { !$0.hasPrefix("loop-sdmx-") }.map { inbox.appending(path: $0).path }
        let ingest = try cli.run(["ingest", "--config", "planwatch.yaml", "--state-dir", "s2"] + files)
        #expect(ingest.status == 0, "\(ingest.stdout)")
        let lines = ingest.stdout.split(separator: "\n")
        #expect(lines.filter { $0.contains(": ingested ") }.count == 3, "\(ingest.stdout)")
        #expect(lines.filter { $0.contains("duplicate") }.count == 2, "\(ingest.stdout)")
    }

    /// A download that cannot be put into the inbox is a failed fetch, said with the file it tried to write,
    /// and not remembered as had: once the inbox takes files again, the same bytes arrive.
    @Test func aDownloadTheInboxCannotTakeIsFetchedAgainLater() throws {
        let cli = try CLIRunner()
        defer { cli.cleanUp() }
        let server = try Server(cli)
        try Self.config(cli, port: server.port)
        let base = "http://127.0.0.1:\(server.port)"
        let inbox = cli.directory.appending(path: "s/inbox")
        try FileManager.default.createDirectory(at: cli.directory.appending(path: "s"), withIntermediateDirectories: true)
        try Data("not a folder\n".utf8).write(to: inbox)
        let common = ["fetch", "--config", "planwatch.yaml", "--state-dir", "s", "--log-dir", "log", "loop-csv"]

        let refused = try cli.run(common)
        #expect(refused.status == 1)
        #expect(refused.stdout == "")
        let prefix = "planwatch: loop-csv: cannot fetch \(base)/data.csv: cannot drop into the inbox \(inbox.path): cannot write \(inbox.path)/.loop-csv-"
        #expect(refused.stderr.hasPrefix(prefix), "\(refused.stderr)")
        #expect(refused.stderr.hasSuffix(".csv.part: Not a directory\n"), "\(refused.stderr)")
        #expect(try String(contentsOf: inbox, encoding: .utf8) == "not a folder\n", "what stood there is untouched")

        try FileManager.default.removeItem(at: inbox)
        let again = try cli.run(common + ["--force"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.hasPrefix("loop-csv: 110 bytes from \(base)/data.csv dropped into the inbox as loop-csv-"), "\(again.stdout)")
        let names = try FileManager.default.contentsOfDirectory(atPath: inbox.path)
        #expect(names.count == 1 && names[0].hasPrefix("loop-csv-") && names[0].hasSuffix(".csv"), "\(names)")
    }

    @Test func anUnknownSourceIsAUsageErrorWithTheNearestOne() throws {
        let cli = try CLIRunner()
        defer { cli.cleanUp() }
        let server = try Server(cli)
        try Self.config(cli, port: server.port)
        let result = try cli.run(["fetch", "--config", "planwatch.yaml", "--state-dir", "s", "loop-cvs"])
        #expect(result.status == 64)
        #expect(result.stderr == "planwatch: there is no fetching source 'loop-cvs'; did you mean 'loop-csv' or 'loop-cut'?\n")
    }
}
