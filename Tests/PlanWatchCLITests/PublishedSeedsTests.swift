import Foundation
import Testing

/// Issue 12, item 1: the published figures as one file per publication (`seeds/data/`), each row with
/// its source and vintage. Every file ingests into the embedded catalogue, and the vintages line up whatever the
/// order the files come in: a first release and its revision are two vintages, the later one current.
@Suite("published seed files", .serialized)
struct PublishedSeedsTests {
    static var files: [String] {
        let folder = CLIRunner.repository.appending(path: "seeds/data")
        return ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
            .filter { $0.hasSuffix(".csv") }.sorted().map { folder.appending(path: $0).path }
    }

    static let nationalRD = [
        "2019|2.23|nbs|2020-08-27|0", "2019|2.24|nbs|2021-09-22|1",
        "2020|2.4|nbs|2021-09-22|0", "2020|2.41|nbs|2022-08-31|1",
        "2021|2.44|nbs|2022-08-31|0", "2021|2.43|nbs|2023-09-18|1",
        "2022|2.54|nbs|2023-09-18|0", "2022|2.56|nbs|2024-10-02|1",
        "2023|2.64|nbs|2024-01-17|0", "2023|2.65|nbs|2024-10-02|0", "2023|2.58|nbs|2025-09-29|1",
        "2024|2.68|nbs|2025-01-23|0", "2024|2.69|nbs|2025-09-29|1",
        "2025|2.8|nbs|2026-01-19|1",
    ]

    @Test(arguments: [false, true])
    func everyPublishedFileIngestsAndTheVintagesLineUpInAnyOrder(reversed: Bool) throws {
        try withCLI { cli in
            let files = reversed ? PublishedSeedsTests.files.reversed() : PublishedSeedsTests.files
            #expect(files.count == 79)
            let result = try cli.run(["ingest", "--state-dir", "s", "--log-dir", "log"] + files)
            #expect(result.status == 0, "\(result.stdout)")
            #expect(!result.stdout.contains("rejected"))
            let database = cli.directory.appending(path: "s/planwatch.sqlite").path
            #expect(try cli.sqlite(database, "SELECT count(*) FROM observation_view") == ["285"])
            #expect(try cli.sqlite(database, "SELECT period, value, source, vintage, current FROM observation_view WHERE indicator = 'rd_intensity' AND region = 'CN' ORDER BY period, vintage") == PublishedSeedsTests.nationalRD)
            // National GDP: first release, final verification, and after the fifth economic census revision.
            #expect(try cli.sqlite(database, "SELECT period, value, vintage, current FROM observation_view WHERE indicator = 'gdp' AND region = 'CN' AND period IN ('2022', '2023', '2024') ORDER BY period, vintage") == [
                "2022|1210207.0|2023-01-17|0", "2022|1204724.0|2023-12-29|0", "2022|1234029.0|2025-04-10|1",
                "2023|1260582.0|2024-01-17|0", "2023|1294272.0|2024-12-26|1",
                "2024|1349084.0|2025-01-17|0", "2024|1348066.0|2025-12-26|1",
            ])
            // Every row carries the date its publication came out (or the earliest date it is known to have been public).
            #expect(try cli.sqlite(database, "SELECT count(*) FROM observation_view WHERE length(vintage) != 10") == ["0"])
            // A month-end headcount in billion persons is stored in 10k persons.
            #expect(try cli.sqlite(database, "SELECT period, value FROM observation_view WHERE indicator = 'basic_pension_insurance_covered_persons_monthly'") == ["2024-03|107000.0"])
        }
    }
}

/// The central region's 2024 R&D intensity is the GDP-weighted mean of the six provinces' published figures (the
/// 2024 R&D bulletin's 附表2, the NBS data portal's 2024 GDP), computed here by hand.
@Suite("the central region from the published figures")
struct CentralRegionTests {
    @Test func theCentralRegionsRDIntensityIsTheGDPWeightedMeanOfTheSixProvinces() throws {
        try withCLI { cli in
            #expect(try cli.run(["demo", "--as-of", "2025-06-30", "--state-dir", "d"]).status == 0)
            // (R&D intensity %, GDP CNY 100m), 2024: Shanxi, Anhui, Jiangxi, Henan, Hubei, Hunan.
            let provinces: [(Double, Double)] = [
                (1.22, 25494.7), (2.76, 50625.2), (1.95, 34202.5), (2.01, 63590), (2.56, 60013), (2.62, 53231),
            ]
            let weighted = provinces.map { $0.0 * $0.1 }.reduce(0, +) / provinces.map(\.1).reduce(0, +)
            #expect(abs(weighted - 2.29296077329) < 1e-9)
            let status = try cli.run(["status", "--config", "d/config/planwatch.yaml", "--state-dir", "d", "--json"])
            let central = try #require(try EvaluateCommandTests.evaluations(status.stdout)["central-rd-share-2025"])
            #expect(central["latest_period"] as? String == "2024")
            let latest = try #require(central["latest_value"] as? Double)
            #expect(abs(latest - weighted) < 1e-10, "\(latest) against \(weighted)")
            #expect(central["state"] as? String == "off_track")
            #expect(central["target_value"] as? Double == 2.69, "CN's 2024 intensity in the 2024 bulletin")
        }
    }
}
