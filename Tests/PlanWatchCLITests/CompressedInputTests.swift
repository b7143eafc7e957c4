import Foundation
import Testing

/// Issue 15, item 1 (gzip part): `*.csv.gz` read by `ingest` and picked up from the inbox, streamed; a damaged or
/// truncated one rejected with the reason, one that expands past `ingest.max_file_size` refused.
@Suite("compressed input", .serialized)
struct CompressedInputTests {
    /// `text` gzipped by the system's gzip (the format people's tools write).
    static func gzip(_ cli: CLIRunner, _ name: String, _ text: String) throws -> String {
        let plain = try cli.write(name, text)
        let result = try CLIRunner.execute("/bin/gzip", ["-f", plain], in: cli.directory)
        #expect(result.status == 0, "\(result.stderr)")
        return plain + ".gz"
    }

    @Test func aGzippedCSVIsIngestedAsItsTextAndStoresTheSameRows() throws {
        let cli = try CLIRunner()
        defer { cli.cleanUp() }
        let seed = CLIRunner.repository.appending(path: "Tests/PlanWatchCLITests/Fixtures/seed-data-small/urbanization.csv")
        let gz = try Self.gzip(cli, "urbanization.csv", try String(contentsOf: seed, encoding: .utf8))
        let result = try cli.run(["ingest", "--state-dir", "gz", gz])
        #expect(result.status == 0, "\(result.stdout)")
        #expect(result.stdout == "\(gz): ingested 20 of 20 rows (20 new, 0 revised, 0 unchanged, 0 missing values) [canonical]\n")
        #expect(try cli.run(["ingest", "--state-dir", "plain", seed.path]).status == 0)
        let rows = "SELECT i.code, r.code, o.period, o.value FROM observation o JOIN indicator i ON i.id = o.indicator_id JOIN region r ON r.id = o.region_id ORDER BY 1, 2, 3"
        #expect(try cli.sqlite(cli.directory.appending(path: "gz/planwatch.sqlite").path, rows)
            == (try cli.sqlite(cli.directory.appending(path: "plain/planwatch.sqlite").path, rows)))
        // The same gzip again is a duplicate (by the bytes of the file).
        #expect(try cli.run(["ingest", "--state-dir", "gz", gz]).stdout.contains("duplicate"))
    }

    @Test func aTruncatedOrDamagedGzipIsRejectedWithTheReasonAndAnExpandingOneIsRefused() throws {
        let cli = try CLIRunner()
        defer { cli.cleanUp() }
        let rows = (0..<2000).map { "urbanization_rate,CN-AH,\(1000 + $0),\(50 + Double($0 % 100) / 10)" }.joined(separator: "\n")
        let gz = try Self.gzip(cli, "long.csv", "indicator,region,period,value\n" + rows + "\n")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: gz))
        try bytes.prefix(bytes.count / 2).write(to: cli.directory.appending(path: "cut.csv.gz"))
        let cut = try cli.run(["ingest", "--state-dir", "s", "cut.csv.gz"])
        #expect(cut.status == 1)
        #expect(cut.stdout == "cut.csv.gz: rejected: 1 problem, nothing stored\n  cut.csv.gz: the gzip data is truncated: the file was cut short; fetch or copy it again\n")
        try (Data([0x1F, 0x8B]) + Data("not really gzip".utf8)).write(to: cli.directory.appending(path: "bad.csv.gz"))
        let bad = try cli.run(["ingest", "--state-dir", "s", "bad.csv.gz"])
        #expect(bad.status == 1)
        #expect(bad.stdout.hasPrefix("bad.csv.gz: rejected: 1 problem, nothing stored\n  bad.csv.gz: not valid gzip data ("))
        // 4 MiB of text in a few KiB: past a max_file_size of 1 MiB it is refused, not inflated to the end.
        let bomb = try Self.gzip(cli, "bomb.csv", "indicator,region,period,value\n" + String(repeating: "urbanization_rate,CN-AH,2020,58.33\n", count: 120_000))
        try cli.write("small.yaml", "plans: \(CLIRunner.repository.appending(path: "seeds/plans.d").path)\ningest:\n  max_file_size: 1MiB\n")
        let refused = try cli.run(["ingest", "--config", "small.yaml", "--state-dir", "s", bomb])
        #expect(refused.status == 1)
        #expect(refused.stdout.contains("\(bomb): the gzip data expands past ingest.max_file_size (1048576 bytes); split it, or raise max_file_size if it is genuine"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: gz)) == bytes, "nothing is changed or removed")
    }

    @Test func theDaemonPicksUpGzippedFilesAndSaysWhyItIgnoresOthers() throws {
        let cli = try CLIRunner()
        defer { cli.cleanUp() }
        let daemon = try DaemonProcess(cli)
        try daemon.waitUntilReady()
        let gz = try Self.gzip(cli, "anhui.csv", DaemonTests.anhui)
        try FileManager.default.moveItem(atPath: gz, toPath: daemon.inbox.appending(path: "anhui.csv.gz").path)
        try wait("the gzip ingested") { daemon.stderr.contains("ingested anhui.csv.gz: 5 values, 0 revised; moved to ") }
        #expect(FileManager.default.fileExists(atPath: daemon.state.appending(path: "processed/\(DaemonTests.today())/anhui.csv.gz").path))
        try Data("PK\u{3}\u{4}".utf8).write(to: daemon.inbox.appending(path: "API_SP.URB.TOTL.IN.ZS_DS2_en_csv_v2.zip"))
        try wait("the zip's line") {
            daemon.stderr.contains("ignored API_SP.URB.TOTL.IN.ZS_DS2_en_csv_v2.zip in the inbox: zip archives are not read yet; unzip it and drop the CSV files (or gzip them: *.csv.gz)")
        }
        #expect(try daemon.terminate() == 0)
    }
}
