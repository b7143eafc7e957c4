import Foundation
import Testing

/// Issue 15, item 1: `*.csv.gz` and `*.zip` read by `ingest` and picked up from the inbox, streamed; a damaged or
/// truncated one rejected with the reason, one that expands past `ingest.max_file_size` refused; a zip's CSV
/// members ingested as files of their own, the WDI's metadata companions skipped and said so.
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
        try withCLI { cli in
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
    }

    @Test func aTruncatedOrDamagedGzipIsRejectedWithTheReasonAndAnExpandingOneIsRefused() throws {
        try withCLI { cli in
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
    }

    /// A WDI download as the World Bank API serves it: the data, and two metadata companions, zipped.
    static func wdiZip(_ cli: CLIRunner, _ name: String = "API_SP.URB.TOTL.IN.ZS_DS2_en_csv_v2_6299.zip") throws -> String {
        let data = CLIRunner.repository.appending(path: "Tests/PlanWatchCLITests/Fixtures/sources/wdi-urbanization-2023.csv").path
        let script = try cli.write("zip.py", """
            import sys, zipfile
            with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
                z.write(sys.argv[2], "API_SP.URB.TOTL.IN.ZS_DS2_en_csv_v2_6299.csv")
                z.writestr("Metadata_Country_API_SP.URB.TOTL.IN.ZS_DS2_en_csv_v2_6299.csv", '"Country Code","Region","IncomeGroup","SpecialNotes","TableName",\\n"CHN","East Asia & Pacific","Upper middle income","","China",\\n')
                z.writestr("Metadata_Indicator_API_SP.URB.TOTL.IN.ZS_DS2_en_csv_v2_6299.csv", '"INDICATOR_CODE","INDICATOR_NAME","SOURCE_NOTE","SOURCE_ORGANIZATION",\\n')
            """)
        let zip = cli.directory.appending(path: name).path
        let result = try CLIRunner.execute("/usr/bin/env", ["python3", script, zip, data], in: cli.directory)
        #expect(result.status == 0, "\(result.stderr)")
        return zip
    }

    @Test func aZipsCSVMembersAreIngestedOneByOneAndItsMetadataSkipped() throws {
        try withCLI { cli in
            let zip = try Self.wdiZip(cli)
            let result = try cli.run(["ingest", "--state-dir", "s", zip])
            #expect(result.status == 0, "\(result.stdout)")
            #expect(result.stdout == """
                API_SP.URB.TOTL.IN.ZS_DS2_en_csv_v2_6299.zip--API_SP.URB.TOTL.IN.ZS_DS2_en_csv_v2_6299.csv: ingested 12 values from 3 rows (12 new, 0 revised, 0 unchanged, 1 missing value, 2 untracked skipped) [wdi]
                  not tracked, skipped: region 'ARB', region 'DEU'

                """)
            #expect(result.stderr == """
                \(zip): skipped Metadata_Country_API_SP.URB.TOTL.IN.ZS_DS2_en_csv_v2_6299.csv: the WDI's metadata, not data
                \(zip): skipped Metadata_Indicator_API_SP.URB.TOTL.IN.ZS_DS2_en_csv_v2_6299.csv: the WDI's metadata, not data
                Target states are not updated by ingest: states are updated by the service, or run `planwatch evaluate`.

                """)
            // Cut short, the archive is one rejection; nothing of it is stored.
            let bytes = try Data(contentsOf: URL(fileURLWithPath: zip))
            try bytes.prefix(bytes.count - 40).write(to: cli.directory.appending(path: "cut.zip"))
            let cut = try cli.run(["ingest", "--state-dir", "t", "cut.zip"])
            #expect(cut.status == 1)
            #expect(cut.stdout == "cut.zip: rejected: 1 problem, nothing stored\n  cut.zip is not a readable zip archive (missingEndOfCentralDirectoryRecord); the download may be cut short: fetch it again\n")
            // A member past max_file_size (2 MiB of rows in a few KiB) is refused before anything is written.
            let script = try cli.write("bomb.py", """
                import sys, zipfile
                with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
                    z.writestr("big.csv", "indicator,region,period,value\\n" + "urbanization_rate,CN-AH,2020,58.33\\n" * 60000)
                """)
            #expect(try CLIRunner.execute("/usr/bin/env", ["python3", script, cli.directory.appending(path: "bomb.zip").path], in: cli.directory).status == 0)
            try cli.write("small.yaml", "plans: \(CLIRunner.repository.appending(path: "seeds/plans.d").path)\ningest:\n  max_file_size: 1MiB\n")
            let bomb = try cli.run(["ingest", "--config", "small.yaml", "--state-dir", "t", "bomb.zip"])
            #expect(bomb.status == 1)
            #expect(bomb.stdout == "bomb.zip: rejected: 1 problem, nothing stored\n  bomb.zip: big.csv expands to 2100030 bytes, past ingest.max_file_size (1048576 bytes); nothing of the archive is read\n")
        }
    }

    @Test func theDaemonPicksUpGzipAndZipFilesAndRefusesADamagedArchive() throws {
        try withDaemon { daemon in
            let cli = daemon.cli
            try daemon.waitUntilReady()
            let gz = try Self.gzip(cli, "anhui.csv", DaemonTests.anhui)
            try FileManager.default.moveItem(atPath: gz, toPath: daemon.inbox.appending(path: "anhui.csv.gz").path)
            try wait("the gzip ingested") { daemon.stderr.contains("ingested anhui.csv.gz: 5 values, 0 revised; moved to ") }
            let processed = daemon.state.appending(path: "processed/\(DaemonTests.today())")
            #expect(FileManager.default.fileExists(atPath: processed.appending(path: "anhui.csv.gz").path))
            // The WDI zip: its data member goes through the inbox as a file of its own; the archive to processed/.
            let zip = try Self.wdiZip(cli, "wdi.zip")
            try FileManager.default.moveItem(atPath: zip, toPath: daemon.inbox.appending(path: "wdi.zip").path)
            try wait("the member ingested") { daemon.stderr.contains("ingested wdi.zip--API_SP.URB.TOTL.IN.ZS_DS2_en_csv_v2_6299.csv: 12 values, 0 revised; moved to ") }
            #expect(daemon.stderr.contains("<5>unpacked wdi.zip: 1 CSV member into the inbox; skipped Metadata_Country_API_SP.URB.TOTL.IN.ZS_DS2_en_csv_v2_6299.csv: the WDI's metadata, not data; Metadata_Indicator_API_SP.URB.TOTL.IN.ZS_DS2_en_csv_v2_6299.csv: the WDI's metadata, not data; moved to "))
            #expect(FileManager.default.fileExists(atPath: processed.appending(path: "wdi.zip").path))
            // A damaged archive is refused to rejected/ with its report; the daemon goes on.
            try Data("PK\u{3}\u{4}".utf8).write(to: daemon.inbox.appending(path: "API_SP.URB.TOTL.IN.ZS_DS2_en_csv_v2.zip"))
            try wait("the refusal") { FileManager.default.fileExists(atPath: daemon.state.appending(path: "rejected/API_SP.URB.TOTL.IN.ZS_DS2_en_csv_v2.zip.errors.txt").path) }
            #expect(daemon.stderr.contains("refused API_SP.URB.TOTL.IN.ZS_DS2_en_csv_v2.zip: API_SP.URB.TOTL.IN.ZS_DS2_en_csv_v2.zip is not a readable zip archive ("))
            // Other names get one line saying why they are not read.
            try Data("x".utf8).write(to: daemon.inbox.appending(path: "figures.xlsx"))
            try wait("the ignored line") { daemon.stderr.contains("ignored figures.xlsx in the inbox: planwatch reads *.csv, *.csv.gz and *.zip files; save it as CSV UTF-8 and drop it again") }
            #expect(try daemon.terminate() == 0)
        }
    }
}
