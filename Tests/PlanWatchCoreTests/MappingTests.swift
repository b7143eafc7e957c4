import Testing

@testable import PlanWatchCore

@Suite("mapping section")
struct MappingTests {
    @Test func mappedNamesResolveAndTheSDMXSettingsAreKept() throws {
        let planSet = try PlanFiles.load(PlanFiles.file("""
            mapping:
              indicators:
                SP.URB.TOTL.IN.ZS: urbanization_rate
                "B1GQ.CP_MEUR": gdp
              regions:
                CHN: CN
              sdmx:
                region: REF_AREA
                indicator: [NA_ITEM, UNIT]
              encoding: GB18030
            """, path: "mapping.yaml"))
        #expect(planSet.catalog.indicator(named: "sp.urb.totl.in.zs")?.id == "urbanization_rate")
        #expect(planSet.catalog.indicator(named: "B1GQ.CP_MEUR")?.id == "gdp")
        #expect(planSet.catalog.region(named: "CHN")?.code == "CN")
        #expect(planSet.mapping == SourceMapping(sdmxRegion: "REF_AREA", sdmxIndicator: ["NA_ITEM", "UNIT"], encoding: "gb18030"))
    }

    @Test func theSettingsFileMayHoldTheMappingToo() throws {
        let settings = PlanFiles.file("state_dir: /tmp\nmapping:\n  regions:\n    CHN: CN\n", path: "planwatch.yaml")
        let planSet = try PlanSet.load([try Fixtures.configFile("catalog.yaml")], settings: settings)
        #expect(planSet.catalog.region(named: "CHN")?.code == "CN")
    }

    @Test func reportsUnknownTargetsClashesAndBadValuesWithFileAndLine() throws {
        let diagnostics = try PlanFiles.diagnostics(PlanFiles.file("""
            mapping:
              indicators:
                SP.URB.TOTL.IN.ZS: urbanisation_rate
                GRP: population
              regions:
                CHN: CN-XX
              sdmx:
                regoin: REF_AREA
              encoding: latin1
            """, path: "mapping.yaml"))
        #expect(diagnostics == [
            "mapping.yaml:3: 'mapping' maps 'SP.URB.TOTL.IN.ZS' to the unknown indicator 'urbanisation_rate'; did you mean 'urbanization_rate (Urbanization rate)'?",
            "mapping.yaml:4: 'mapping' maps 'GRP' to 'population', but it already names indicator 'gdp'",
            "mapping.yaml:6: 'mapping' maps 'CHN' to the unknown region 'CN-XX'; did you mean 'CN-AH (Anhui)' or 'CN-HA (Henan)' or 'CN-HB (Hubei)'?",
            "mapping.yaml:8: 'sdmx' of 'mapping' has the unknown key 'regoin'; did you mean 'region'?",
            "mapping.yaml:9: 'encoding' of 'mapping' is 'latin1'; use 'utf-8' or 'gb18030' (GBK files are GB18030)",
        ])
    }
}
