import Foundation
import Testing

/// Answers a hostile or broken server gives: bodies far larger than any message needs, and a 304 that answers a
/// question never asked.
extension FetchTests {
    /// Runs `planwatch ARGS` as the only child of a Python parent that writes the child's peak resident memory
    /// (`ru_maxrss` of `RUSAGE_CHILDREN`, KiB) as the last line of standard error: the test process's own
    /// children (the server, other tests' commands) do not count.
    static func peakMemory(_ cli: CLIRunner, _ arguments: [String]) throws -> (result: CLIRunner.Result, kib: Int) {
        let script = """
            import resource, subprocess, sys
            code = subprocess.run(sys.argv[1:]).returncode
            sys.stderr.write("maxrss %d\\n" % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
            sys.exit(code)
            """
        let command = ["python3", "-c", script, CLIRunner.binary.path] + arguments
        var result = try CLIRunner.execute("/usr/bin/env", command, in: cli.directory)
        var lines = result.stderr.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines.removeLast()  // after the last newline
        let last = lines.removeLast()
        result.stderr = lines.map { $0 + "\n" }.joined()
        return (result, Int(last.dropFirst("maxrss ".count)) ?? -1)
    }

    /// A 500's page and a 302's body are read only as far as the message needs, not up to `max_file_size`: with a
    /// body of 256 MiB (framed by Content-Length, or ended by the server closing) `planwatch fetch` stays under
    /// 100 MiB of memory (it took more than the body before), says the page's first words, and follows the 302.
    @Test func errorAndRedirectBodiesAreBoundedWhileTheyArrive() throws {
        try withCLI { cli in
            let server = try Server(cli)
            let base = "http://127.0.0.1:\(server.port)"
            let size = 256 << 20
            let sources = [
                ("huge-500", "/huge-error?size=\(size)"), ("huge-close", "/huge-error-close?size=\(size)"),
                ("huge-302", "/huge-redirect?size=\(size)"),
            ]
            let entries = sources.map { "  - {id: \($0.0), name: \($0.0), fetch: {url: \"\(base)\($0.1)\"}}\n" }
            try cli.write("plans/sources.yaml", "sources:\n" + entries.joined())
            try cli.write("planwatch.yaml", "plans: plans\n")
            let common = ["fetch", "--config", "planwatch.yaml", "--state-dir", "s", "--log-dir", "log"]
            // The page's first line, then x's: whitespace is one space, the excerpt 120 characters and an ellipsis.
            let excerpt = "the data service is down for maintenance " + String(repeating: "x", count: 79) + "…"
            for (source, path) in sources.prefix(2) {
                let (result, kib) = try Self.peakMemory(cli, common + [source])
                #expect(result.status == 1)
                #expect(result.stderr == "planwatch: \(source): cannot fetch \(base)\(path): HTTP 500: \(excerpt)\n")
                #expect(kib > 0 && kib < 100 << 10, "\(source): peak resident memory \(kib) KiB")
            }
            let (redirected, kib) = try Self.peakMemory(cli, common + ["huge-302"])
            #expect(redirected.status == 0, "\(redirected.stderr)")
            #expect(redirected.stdout.hasPrefix("huge-302: 110 bytes from \(base)/data.csv dropped into the inbox as "))
            #expect(kib > 0 && kib < 100 << 10, "huge-302: peak resident memory \(kib) KiB")
        }
    }

    /// A 304 is "not modified" only as the answer to a request that carried validators. To a first, unconditional
    /// request it delivers nothing, so it is a failure like any other (three raise `fetch_failed`) and says why;
    /// a 304 to a request with the last ETag stays "not modified".
    @Test func notModifiedToARequestWithoutValidatorsIsAFailure() throws {
        try withCLI { cli in
            let server = try Server(cli)
            let base = "http://127.0.0.1:\(server.port)"
            try cli.write("plans/sources.yaml", """
                sources:
                  - {id: loop-304, name: loop-304, fetch: {url: "\(base)/always-304"}}
                  - {id: loop-csv, name: loop-csv, fetch: {url: "\(base)/data.csv"}}

                """)
            try cli.write("planwatch.yaml", "plans: plans\n")
            let common = ["fetch", "--config", "planwatch.yaml", "--state-dir", "s", "--log-dir", "log"]
            let why = "HTTP 304 Not Modified to a request without validators (no If-None-Match or If-Modified-Since):"
                + " there is no earlier file to compare with, so nothing arrived; the server must answer 200 with the file"
                + " (check the address and the server's caching)"
            for run in 1...3 {
                let result = try cli.run(common)
                #expect(result.status == 1)
                let failure = "planwatch: loop-304: cannot fetch \(base)/always-304: \(why)\n"
                #expect(result.stderr.hasPrefix(failure), "\(result.stderr)")
                let csv = run == 1 ? "loop-csv: 110 bytes from " : "loop-csv: not modified (\(base)/data.csv)"
                #expect(result.stdout.hasPrefix(csv))
            }
            let listed = try cli.run(common + ["--list"]).stdout
            #expect(listed.contains(": failed (3 in a row): \(why); due at the next run\n"), "\(listed)")
            let log = try String(contentsOf: cli.directory.appending(path: "log/alerts.jsonl"), encoding: .utf8)
            let failed = log.split(separator: "\n").filter { $0.contains("\"kind\":\"fetch_failed\"") }
            #expect(failed.count == 1 && failed[0].contains("Source loop-304 failed 3 times in a row: \(why);"))
        }
    }
}
