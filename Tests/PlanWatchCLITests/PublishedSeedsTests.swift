import Foundation
import Testing

/// Issue 12, item 1 (begun): the published figures as one file per publication (`seeds/published/`), each row with
/// its source and vintage. Every file ingests into the embedded catalogue, and the vintages line up whatever the
/// order the files come in: a first release and its revision are two vintages, the later one current.
@Suite("published seed files", .serialized)
struct PublishedSeedsTests {
    static var files: [String] {
        let folder = CLIRunner.repository.appending(path: "seeds/published")
        return ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
            .filter { $0.hasSuffix(".csv") }.sorted().map { folder.appending(path: $0).path }
    }

    static let nationalRD = [
        "2019|2.23|nbs|2020-08-27|0", "2019|2.24|nbs|2021-09-22|1",
        "2020|2.4|nbs|2021-09-22|0", "2020|2.41|nbs|2022-08-31|1",
        "2021|2.44|nbs|2022-08-31|0", "2021|2.43|nbs|2023-09-18|1",
        "2022|2.54|nbs|2023-09-18|0", "2022|2.56|nbs|2024-10-02|1",
        "2023|2.64|nbs|2024-01-17|0", "2023|2.65|nbs|2024-10-02|1",
        "2024|2.68|nbs|2025-01-23|0", "2024|2.69|nbs|2025-09-29|1",
        "2025|2.8|nbs|2026-01-19|1",
    ]

    @Test(arguments: [false, true])
    func item1_everyPublishedFileIngestsAndTheVintagesLineUpInAnyOrder(reversed: Bool) throws {
        let cli = try CLIRunner()
        defer { cli.cleanUp() }
        let files = reversed ? PublishedSeedsTests.files.reversed() : PublishedSeedsTests.files
        #expect(files.count == 70)
        let result = try cli.run(["ingest", "--state-dir", "s", "--log-dir", "log"] + files)
        #expect(result.status == 0, "\(result.stdout)")
        #expect(!result.stdout.contains("rejected"))
        let database = cli.directory.appending(path: "s/planwatch.sqlite").path
        #expect(try cli.sqlite(database, "SELECT count(*) FROM observation_view") == ["258"])
        #expect(try cli.sqlite(database, "SELECT period, value, source, vintage, current FROM observation_view WHERE indicator = 'rd_intensity' AND region = 'CN' ORDER BY period, vintage") == PublishedSeedsTests.nationalRD)
        // National GDP before and after the fifth economic census revision.
        #expect(try cli.sqlite(database, "SELECT period, value, current FROM observation_view WHERE indicator = 'gdp' AND region = 'CN' AND period IN ('2022', '2023') ORDER BY period, current") == [
            "2022|1210207.0|0", "2022|1234029.0|1", "2023|1260582.0|0", "2023|1294272.0|1",
        ])
        // A month-end headcount in billion persons is stored in 10k persons.
        #expect(try cli.sqlite(database, "SELECT period, value FROM observation_view WHERE indicator = 'basic_pension_insurance_covered_persons_monthly'") == ["2024-03|107000.0"])
    }
}
