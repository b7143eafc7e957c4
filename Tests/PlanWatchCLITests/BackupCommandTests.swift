import Foundation
import Testing

@Suite("planwatch backup")
struct BackupCommandTests {
    static let csv = "indicator,region,period,value,source\nurbanization_rate,CN-AH,2023,61.51,NBS\nurbanization_rate,CN-AH,2024,62.57,NBS\ngdp,CN-AH,2023,47100,NBS\n"

    static func size(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? -1
    }

    @Test func copiesTheObservationsIntoACheckedFileAndRefusesToOverwriteIt() throws {
        try withCLI { cli in
            let input = try cli.write("a.csv", BackupCommandTests.csv)
            #expect(try cli.run(["ingest", "--state-dir", "state", input]).status == 0)

            let result = try cli.run(["backup", "--state-dir", "state", "out.sqlite"])
            #expect(result.status == 0, "\(result.stderr)")
            let backup = cli.directory.appending(path: "out.sqlite").path
            let database = cli.directory.appending(path: "state/planwatch.sqlite").path
            #expect(result.stdout == "backed up \(database) to out.sqlite (3 observations, \(BackupCommandTests.size(backup)) bytes)\n")
            #expect(result.stderr == "")
            #expect(try cli.sqlite(backup, "PRAGMA integrity_check") == ["ok"])
            #expect(try cli.sqlite(backup, "PRAGMA journal_mode") == ["delete"], "a backup is one self-contained file")
            #expect(try cli.sqlite(backup, IngestCommandTests.storedRows) == [
                "gdp|CN-AH|2023|47100.0", "urbanization_rate|CN-AH|2023|61.51", "urbanization_rate|CN-AH|2024|62.57",
            ])
            #expect(try cli.sqlite(backup, "SELECT name, outcome FROM ingested_file") == ["a.csv|ingested"])

            let again = try cli.run(["backup", "--state-dir", "state", "out.sqlite"])
            #expect(again.status == 1)
            #expect(again.stdout == "")
            #expect(again.stderr == "planwatch: database out.sqlite: already exists; pass --force to overwrite it, or choose another file\n")

            let more = try cli.write("b.csv", "indicator,region,period,value\ngdp,CN-AH,2022,45000\n")
            #expect(try cli.run(["ingest", "--state-dir", "state", more]).status == 0)
            let forced = try cli.run(["backup", "--state-dir", "state", "--force", "out.sqlite"])
            #expect(forced.status == 0, "\(forced.stderr)")
            #expect(forced.stdout.hasPrefix("backed up \(database) to out.sqlite (4 observations, "))
            #expect(try cli.sqlite(backup, "SELECT count(*) FROM observation") == ["4"])
            let left = try FileManager.default.contentsOfDirectory(atPath: cli.directory.path).filter { $0.contains("out.sqlite") }
            #expect(left == ["out.sqlite"], "no temporary copy is left beside the backup")
        }
    }

    @Test func aMissingDatabaseIsNotCreatedToBeBackedUp() throws {
        try withCLI { cli in
            let result = try cli.run(["backup", "--state-dir", "nowhere", "out.sqlite"])
            #expect(result.status == 1)
            #expect(result.stderr == "planwatch: database \(cli.directory.path)/nowhere/planwatch.sqlite does not exist; nothing to back up (check --state-dir)\n")
            #expect(!FileManager.default.fileExists(atPath: cli.directory.appending(path: "nowhere").path))
            #expect(!FileManager.default.fileExists(atPath: cli.directory.appending(path: "out.sqlite").path))
        }
    }

    @Test func aDestinationInAMissingFolderFailsAndNamesIt() throws {
        try withCLI { cli in
            let input = try cli.write("a.csv", BackupCommandTests.csv)
            #expect(try cli.run(["ingest", "--state-dir", "state", input]).status == 0)
            let result = try cli.run(["backup", "--state-dir", "state", "missing/out.sqlite"])
            #expect(result.status == 1)
            #expect(result.stderr.hasPrefix("planwatch: database missing/out.sqlite: cannot create the backup file in "))
            #expect(result.stderr.contains("check that the directory exists and is writable by this user"))
        }
    }

    @Test func backsUpBesideTheRunningDaemon() throws {
        try withDaemon { daemon in
            let cli = daemon.cli
            defer { if daemon.process.isRunning { _ = try? daemon.terminate() } }
            try daemon.waitUntilReady()
            try daemon.drop("a.csv", BackupCommandTests.csv)
            try wait("the file to be ingested") {
                (try? cli.sqlite(daemon.database, "SELECT count(*) FROM observation")) == ["3"]
            }
            let result = try cli.run(["backup", "--state-dir", "state", "live.sqlite"])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.hasPrefix("backed up \(daemon.database) to live.sqlite (3 observations, "))
            let backup = cli.directory.appending(path: "live.sqlite").path
            #expect(try cli.sqlite(backup, "PRAGMA integrity_check") == ["ok"])
            #expect(try cli.sqlite(backup, "SELECT count(*) FROM observation") == ["3"])
            #expect(daemon.process.isRunning)
            #expect(try daemon.terminate() == 0)
        }
    }
}
