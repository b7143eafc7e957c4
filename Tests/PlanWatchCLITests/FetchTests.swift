import Foundation
import Testing

/// Issue 15, items 2 and 3: `planwatch fetch` against a real HTTP server on loopback (Python's http.server, plain
/// and over TLS): 200 then 304, a redirect, a 500, a timeout, a body cut short, a gzip and a zip, each changed file
/// arriving in the inbox exactly once; certificates trusted, for another host, self-signed; and a fetched file read
/// by the daemon as its source's (its own mapping, its id, its vintage rule).
@Suite("planwatch fetch", .serialized)
struct FetchTests {
    /// The loopback server (Fixtures/fetch/server.py) and its ports: plain http, then https with a certificate of
    /// the test CA for 127.0.0.1, with one of the CA for another host, with a self-signed one.
    final class Server {
        let process = Process()
        let ports: [Int]
        var port: Int { ports[0] }
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
            ports = try String(contentsOf: portFile, encoding: .utf8).split(separator: " ").map { Int($0) ?? 0 }
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
        try withCLI { cli in
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
            // --list: where each source fetches from, how often, its last attempt and when it is due.
            let listed = try cli.run(common + ["--list"]).stdout.split(separator: "\n").map(String.init)
            #expect(listed.count == 8)
            let csvLine = try #require(listed.first)
            #expect(csvLine.hasPrefix("loop-csv: \(base)/data.csv, every P1D; last tried 20") && csvLine.contains(": changed; due 20"), "\(csvLine)")
            let failLine = try #require(listed.first { $0.hasPrefix("loop-fail: ") })
            #expect(failLine.hasPrefix("loop-fail: \(base)/fail, every run; last tried 20"), "\(failLine)")
            #expect(failLine.hasSuffix(": failed (3 in a row): HTTP 500: internal error; due at the next run"), "\(failLine)")
            #expect(listed.contains { $0.hasPrefix("loop-gz: \(base)/data.csv.gz, every run; last tried ") && $0.hasSuffix(": unchanged; due at the next run") })
            // The fetched files are what the daemon ingests: the CSV, the gzip and the new CSV store; the redirect's
            // file and the zip's member hold the first CSV's bytes: duplicates.
            let files = try dropped().filter { !$0.hasPrefix("loop-sdmx-") }.map { inbox.appending(path: $0).path }
            let ingest = try cli.run(["ingest", "--config", "planwatch.yaml", "--state-dir", "s2"] + files)
            #expect(ingest.status == 0, "\(ingest.stdout)")
            let lines = ingest.stdout.split(separator: "\n")
            #expect(lines.filter { $0.contains(": ingested ") }.count == 3, "\(ingest.stdout)")
            #expect(lines.filter { $0.contains("duplicate") }.count == 2, "\(ingest.stdout)")
        }
    }

    /// A download that cannot be put into the inbox is a failed fetch, said with the file it tried to write,
    /// and not remembered as had: once the inbox takes files again, the same bytes arrive.
    @Test func aDownloadTheInboxCannotTakeIsFetchedAgainLater() throws {
        try withCLI { cli in
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
            #expect(refused.stderr == "planwatch: loop-csv: cannot fetch \(base)/data.csv: cannot drop into the inbox \(inbox.path): cannot write \(inbox.path)/.loop-csv.fetching.part: Not a directory\n")
            #expect(try String(contentsOf: inbox, encoding: .utf8) == "not a folder\n", "what stood there is untouched")

            try FileManager.default.removeItem(at: inbox)
            let again = try cli.run(common + ["--force"])
            #expect(again.status == 0, "\(again.stderr)")
            #expect(again.stdout.hasPrefix("loop-csv: 110 bytes from \(base)/data.csv dropped into the inbox as loop-csv-"), "\(again.stdout)")
            let names = try FileManager.default.contentsOfDirectory(atPath: inbox.path)
            #expect(names.count == 1 && names[0].hasPrefix("loop-csv-") && names[0].hasSuffix(".csv"), "\(names)")
        }
    }

    @Test func anUnknownSourceIsAUsageErrorWithTheNearestOne() throws {
        try withCLI { cli in
            let server = try Server(cli)
            try Self.config(cli, port: server.port)
            let result = try cli.run(["fetch", "--config", "planwatch.yaml", "--state-dir", "s", "loop-cvs"])
            #expect(result.status == 64)
            #expect(result.stderr == "planwatch: there is no fetching source 'loop-cvs'; did you mean 'loop-csv' or 'loop-cut'?\n")
        }
    }
}

extension FetchTests {
    /// Adds entries to the seed catalogue's `sources:` (plans/sources.yaml, as `config` wrote it).
    static func addSources(_ cli: CLIRunner, _ entries: String) throws {
        let file = cli.directory.appending(path: "plans/sources.yaml")
        let text = try String(contentsOf: file, encoding: .utf8)
        try Data((text + entries).utf8).write(to: file)
    }

    static let tls = CLIRunner.repository.appending(path: "Tests/PlanWatchCLITests/Fixtures/fetch/tls")

    /// https:// through the system OpenSSL: a certificate of the CA given as ca_file is trusted (by address and by
    /// name), validators work over TLS as over http; the system's store does not know the test CA; a certificate
    /// for another host, a self-signed one, and a redirect down to plain http are refused, each said with its reason.
    @Test func fetchesHttpsWithItsCAAndRefusesWhatItCannotTrust() throws {
        try withCLI { cli in
            let server = try Server(cli)
            let (plain, good, other, selfSigned) = (server.ports[0], server.ports[1], server.ports[2], server.ports[3])
            let ca = Self.tls.appending(path: "ca.pem").path
            try cli.write("plans/sources.yaml", """
                sources:
                  - {id: tls-ok, name: tls-ok, fetch: {url: "https://127.0.0.1:\(good)/data.csv", ca_file: \(ca)}}
                  - {id: tls-name, name: tls-name, fetch: {url: "https://localhost:\(good)/data.csv", ca_file: \(ca)}}
                  - {id: tls-system, name: tls-system, fetch: {url: "https://127.0.0.1:\(good)/data.csv"}}
                  - {id: tls-other, name: tls-other, fetch: {url: "https://127.0.0.1:\(other)/data.csv", ca_file: \(ca)}}
                  - {id: tls-self, name: tls-self, fetch: {url: "https://127.0.0.1:\(selfSigned)/data.csv", ca_file: \(ca)}}
                  - {id: tls-down, name: tls-down, fetch: {url: "https://127.0.0.1:\(good)/to-plain", ca_file: \(ca)}}
                  - {id: tls-no-ca, name: tls-no-ca, fetch: {url: "https://127.0.0.1:\(good)/data.csv", ca_file: /nonexistent/ca.pem}}

                """)
            try cli.write("planwatch.yaml", "plans: plans\n")
            let common = ["fetch", "--config", "planwatch.yaml", "--state-dir", "s", "--log-dir", "log"]
            let first = try cli.run(common)
            #expect(first.status == 1)
            let out = first.stdout.split(separator: "\n").map(String.init)
            #expect(out.count == 2, "\(first.stdout)")
            #expect(out.first?.hasPrefix("tls-ok: 110 bytes from https://127.0.0.1:\(good)/data.csv dropped into the inbox as tls-ok-") == true)
            #expect(out.last?.hasPrefix("tls-name: 110 bytes from https://localhost:\(good)/data.csv dropped into the inbox as tls-name-") == true)
            #expect(first.stderr == """
                planwatch: tls-system: cannot fetch https://127.0.0.1:\(good)/data.csv: the server's certificate is not trusted: unable to get local issuer certificate; if a CA of your own signed it, give its certificate as ca_file
                planwatch: tls-other: cannot fetch https://127.0.0.1:\(other)/data.csv: the server's certificate is not trusted by \(ca): IP address mismatch
                planwatch: tls-self: cannot fetch https://127.0.0.1:\(selfSigned)/data.csv: the server's certificate is not trusted by \(ca): self-signed certificate
                planwatch: tls-down: cannot fetch https://127.0.0.1:\(good)/to-plain: refused a redirect from https to plain http (http://127.0.0.1:\(plain)/data.csv)
                planwatch: tls-no-ca: cannot fetch https://127.0.0.1:\(good)/data.csv: cannot read the CA file /nonexistent/ca.pem: No such file or directory

                """)
            // What arrived over TLS is the server's CSV byte for byte; asked again with its ETag, it is not modified.
            let inbox = cli.directory.appending(path: "s/inbox")
            let names = try FileManager.default.contentsOfDirectory(atPath: inbox.path).sorted()
            #expect(names.count == 2)
            #expect(try String(contentsOf: inbox.appending(path: names[0]), encoding: .utf8) == "indicator,region,period,value,source\nurbanization_rate,CN-AH,2023,61.51,Anhui Provincial Bureau of Statistics\n")
            let again = try cli.run(common + ["--force", "tls-ok"])
            #expect(again.status == 0)
            #expect(again.stdout == "tls-ok: not modified (https://127.0.0.1:\(good)/data.csv)\n")
        }
    }

    /// A fetched file is its source's, in the daemon: a zip's SDMX member in the office's own codes is read with
    /// the source's mapping and stored under the source's id, with the server's Last-Modified as its vintage; a
    /// canonical file without a source column is the fetching source's, and with `vintage: fetched` the file's
    /// own vintage column gives way to the time it was fetched. The same SDMX dropped by a person is not read
    /// with the source's codes.
    @Test func theDaemonReadsAFetchedFileAsItsSources() throws {
        try withCLI { cli in
            let server = try Server(cli)
            try Self.config(cli, port: server.port)
            let base = "http://127.0.0.1:\(server.port)"
            try Self.addSources(cli, """
                  - id: office
                    name: Statistics office (SDMX)
                    fetch:
                      url: "\(base)/office.zip"
                      vintage: last_modified
                      mapping:
                        indicators: {URB_RATE: urbanization_rate}
                        regions: {AH: CN-AH}
                  - id: henan-feed
                    name: Henan feed
                    fetch: {url: "\(base)/vintaged.csv", vintage: fetched}

                """)
            let daemon = try DaemonProcess(cli, extra: ["--config", "planwatch.yaml"])
            try daemon.waitUntilReady()
            let fetch = try cli.run(["fetch", "--config", "planwatch.yaml", "--state-dir", "state", "--log-dir", "log", "office", "henan-feed"])
            #expect(fetch.status == 0, "\(fetch.stderr)")
            try wait("the fetched files ingested") {
                daemon.stderr.components(separatedBy: "\n").filter { $0.contains("ingested ") && $0.contains("; moved to ") }.count == 2
            }
            let database = daemon.database
            #expect(try cli.sqlite(database, "SELECT region, period, value, source, vintage FROM observation_view WHERE indicator = 'urbanization_rate' ORDER BY region, period") == [
                "CN-AH|2023|61.51|office|2024-09-30T08:00:00.000Z", "CN-AH|2024|62.57|office|2024-09-30T08:00:00.000Z",
                "CN-HA|2023|58.08|henan-feed|\(try cli.sqlite(database, "SELECT vintage FROM fetched_file WHERE source = 'henan-feed'")[0])",
            ])
            let fetchedAt = try cli.sqlite(database, "SELECT vintage FROM fetched_file WHERE source = 'henan-feed'")[0]
            #expect(fetchedAt.hasPrefix("20") && fetchedAt != "2024-04-15", "the fetch time, not the file's own vintage")
            #expect(try cli.sqlite(database, "SELECT name, outcome, inserted FROM ingested_file WHERE outcome = 'ingested' ORDER BY name").map { $0.replacingOccurrences(of: #"\d{8}T\d{6}Z"#, with: "TIME", options: .regularExpression) } == [
                "henan-feed-TIME.csv|ingested|1", "office-TIME.zip--DF_URB.csv|ingested|2",
            ])
            #expect(daemon.stderr.contains("--DF_URB.csv (fetched for source office): 2 values, 0 revised; moved to "), "\(daemon.stderr)")
            #expect(daemon.stderr.contains(".csv (fetched for source henan-feed): 1 value, 0 revised; moved to "), "\(daemon.stderr)")

            // Dropped by a person, the office's file is not the office's: its codes mean nothing to the catalogue.
            try daemon.drop("by-hand.csv", """
                STRUCTURE,STRUCTURE_ID,ACTION,REF_AREA,MEASURE,UNIT_MEASURE,TIME_PERIOD,OBS_VALUE
                dataflow,OFFICE:DF_URB(1.0),I,AH,URB_RATE,PC,2022,60.15

                """)
            try wait("the hand-dropped file processed") { daemon.stderr.contains("by-hand.csv stored nothing") }
            #expect(daemon.stderr.contains("<4>by-hand.csv stored nothing: none of its series is in the catalogue (not tracked: indicator 'URB_RATE'; map such codes under mapping: in the plans); moved to \(daemon.state.path)/processed/"), "\(daemon.stderr)")
            #expect(try daemon.terminate() == 0)
        }
    }

    /// `planwatch ingest --source ID` reads a file as that source's, as the daemon reads what it fetched.
    @Test func ingestWithASourceReadsTheFileAsThatSources() throws {
        try withCLI { cli in
            let server = try Server(cli)
            try Self.config(cli, port: server.port)
            try Self.addSources(cli, """
                  - id: office
                    name: Statistics office (SDMX)
                    fetch: {path: /mnt/office/DF_URB.csv, mapping: {indicators: {URB_RATE: urbanization_rate}, regions: {AH: CN-AH}}}

                """)
            let file = try cli.write("DF_URB.csv", "STRUCTURE,STRUCTURE_ID,ACTION,REF_AREA,MEASURE,UNIT_MEASURE,TIME_PERIOD,OBS_VALUE\ndataflow,OFFICE:DF_URB(1.0),I,AH,URB_RATE,PC,2023,61.51\n")
            let result = try cli.run(["ingest", "--config", "planwatch.yaml", "--state-dir", "s", "--source", "office", "--vintage", "2024-09-30", file])
            #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
            #expect(result.stdout.hasSuffix("""
                DF_URB.csv: ingested 1 of 1 row (1 new, 0 revised, 0 unchanged, 0 missing values) [sdmx-csv v2]
                  read as source office's: its mapping, its id for values that name no source; values that state no vintage carry 2024-09-30

                """), "\(result.stdout)")
            #expect(try cli.sqlite(cli.directory.appending(path: "s/planwatch.sqlite").path, "SELECT region, period, value, source, vintage FROM observation_view") == ["CN-AH|2023|61.51|office|2024-09-30"])
            let unknown = try cli.run(["ingest", "--config", "planwatch.yaml", "--state-dir", "s", "--source", "ofice", file])
            #expect(unknown.status == 64)
            #expect(unknown.stderr == "planwatch: there is no source 'ofice' in the plans' sources; did you mean 'office'?\n")
        }
    }
}

extension FetchTests {
    /// Bodies are written to disk as they arrive, whatever their framing: chunks (one with an extension), or
    /// until the server closes; chunks that stop before the last one are a cut-short answer, and nothing of it
    /// stays in the inbox. A download file left by a crash is taken up; one another fetch holds is left alone.
    @Test func streamsEveryFramingIntoTheInboxAndTakesUpWhatACrashLeft() throws {
        try withCLI { cli in
            let server = try Server(cli)
            let base = "http://127.0.0.1:\(server.port)"
            try cli.write("plans/sources.yaml", """
                sources:
                  - {id: chunks, name: chunks, fetch: {url: "\(base)/chunked"}}
                  - {id: unframed, name: unframed, fetch: {url: "\(base)/unframed"}}
                  - {id: chunks-cut, name: chunks-cut, fetch: {url: "\(base)/chunked-cut"}}

                """)
            try cli.write("planwatch.yaml", "plans: plans\n")
            let inbox = cli.directory.appending(path: "s/inbox")
            try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
            // What a fetch killed halfway left behind: taken up (emptied first), not appended to.
            try Data(String(repeating: "half a download\n", count: 100).utf8).write(to: inbox.appending(path: ".chunks.fetching.part"))

            let before = try cli.run(["fetch", "--config", "planwatch.yaml", "--state-dir", "s", "--list", "chunks"])
            #expect(before.stdout == "chunks: \(base)/chunked, every run; never fetched; due at the next run\n", "\(before.stderr)")
            #expect(!FileManager.default.fileExists(atPath: cli.directory.appending(path: "s/planwatch.sqlite").path), "--list creates nothing")
            let result = try cli.run(["fetch", "--config", "planwatch.yaml", "--state-dir", "s", "--log-dir", "log"])
            #expect(result.status == 1)
            let out = result.stdout.split(separator: "\n").map(String.init)
            #expect(out.count == 2)
            #expect(out.first?.hasPrefix("chunks: 110 bytes from \(base)/chunked dropped into the inbox as chunks-") == true)
            #expect(out.last?.hasPrefix("unframed: 110 bytes from \(base)/unframed dropped into the inbox as unframed-") == true)
            #expect(result.stderr == "planwatch: chunks-cut: cannot fetch \(base)/chunked-cut: the answer was cut short (a chunk without its size line)\n")
            let names = try FileManager.default.contentsOfDirectory(atPath: inbox.path).sorted()
            #expect(names.count == 2 && !names.contains { $0.hasPrefix(".") }, "no download file left: \(names)")
            let expected = "indicator,region,period,value,source\nurbanization_rate,CN-AH,2023,61.51,Anhui Provincial Bureau of Statistics\n"
            for name in names { #expect(try String(contentsOf: inbox.appending(path: name), encoding: .utf8) == expected, "\(name)") }

            // Another fetch of the same source holds its download file: this one leaves it alone and says why.
            let held = inbox.appending(path: ".unframed.fetching.part").path
            let fd = open(held, O_RDWR | O_CREAT, 0o640)
            #expect(fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0)
            defer { close(fd) }
            let busy = try cli.run(["fetch", "--config", "planwatch.yaml", "--state-dir", "s", "--log-dir", "log", "--force", "unframed"])
            #expect(busy.status == 1)
            #expect(busy.stderr == "planwatch: unframed: cannot fetch \(base)/unframed: another planwatch fetch is fetching unframed right now (\(held) is locked)\n")
        }
    }
}

extension FetchTests {
    /// A `fetch_failed` raised by `planwatch fetch` (a process of its own) goes into the Alertmanager outbox at once,
    /// where the daemon's sender finds it, rather than waiting for the daemon's next evaluation.
    @Test func aFetchFailureGoesIntoTheAlertmanagerOutbox() throws {
        try withCLI { cli in
            let server = try Server(cli)
            try cli.write("plans/sources.yaml", "sources:\n  - {id: loop-fail, name: loop-fail, fetch: {url: \"http://127.0.0.1:\(server.port)/fail\"}}\n")
            try cli.write("planwatch.yaml", "plans: plans\nalerts:\n  alertmanager: {url: \"http://127.0.0.1:9\"}\n")
            for _ in 1...3 {
                #expect(try cli.run(["fetch", "--config", "planwatch.yaml", "--state-dir", "s", "--log-dir", "log"]).status == 1)
            }
            #expect(try cli.sqlite(cli.directory.appending(path: "s/planwatch.sqlite").path, """
                SELECT json_extract(labels, '$.alertname'), json_extract(labels, '$.kind'), json_extract(labels, '$.severity'),
                       json_extract(annotations, '$.summary'), sent_at IS NULL FROM alertmanager_alert
                """) == [
                "PlanData|fetch_failed|warning|Source loop-fail failed 3 times in a row: HTTP 500: internal error; its data is not updated until it is fetched again.|1",
            ])
        }
    }
}
