import Testing

@testable import PlanWatchCore

@Suite struct CatalogTests {
    let catalog = TestCatalog.catalog

    @Test(arguments: [
        "urbanization_rate", "Urbanization rate of permanent residents", "常住人口城镇化率", "城镇化率", "SP.URB.TOTL.IN.ZS",
        "常住人口城镇化率(%)", "常住人口城镇化率（%）", "常住人口城镇化率（％）", "URBANIZATION_RATE", "  urbanization   rate of\tpermanent residents ",
        "ｓｐ．ｕｒｂ．ｔｏｔｌ．ｉｎ．ｚｓ", "Urbanization　rate of permanent residents",
    ])
    func resolvesAnIndicatorByAnyOfItsNames(name: String) {
        #expect(catalog.indicator(named: name)?.id == "urbanization_rate")
    }

    @Test(arguments: [
        "CN-AH", "cn-ah", "Anhui", "ANHUI", "安徽省", "安徽", "340000", "Anhui Province", "anhui  province", " Anhui　Province ",
        "ＣＮ－ＡＨ",
    ])
    func resolvesARegionByCodeNameGBCodeOrAlias(name: String) {
        #expect(catalog.region(named: name)?.code == "CN-AH")
    }

    @Test func resolvesAGroupLikeARegion() {
        #expect(catalog.region(named: "中部六省")?.code == "CN-CENTRAL")
        #expect(catalog.region(named: "central REGION")?.group?.members == ["CN-AH", "CN-HA", "CN-HB"])
    }

    @Test(arguments: ["Anhwei", "Anhui Provinces", "", "   ", "CN-A"])
    func resolvesNothingForAnUnknownName(name: String) {
        #expect(catalog.region(named: name) == nil)
        #expect(catalog.indicator(named: name) == nil)
    }

    @Test func keepsIndicatorAndRegionNamesApart() {
        #expect(catalog.indicator(named: "Anhui") == nil)
        #expect(catalog.region(named: "gdp") == nil)
    }

    @Test func suggestsTheRegionClosestToANearMiss() {
        #expect(catalog.regionSuggestions(for: "Anhwei") == ["CN-AH (Anhui)"])
        #expect(catalog.regionSuggestions(for: "Hubie") == ["CN-HB (Hubei)"])
    }

    @Test func suggestsAtMostThreeRegionsNearestFirstThenByCode() {
        #expect(catalog.regionSuggestions(for: "CN-A") == ["CN-AH (Anhui)", "CN-HA (Henan)", "CN (China)"])
        #expect(catalog.regionSuggestions(for: "安微省") == ["CN-AH (Anhui)", "CN-HA (Henan)", "CN-HB (Hubei)"])
    }

    @Test func suggestsTheIndicatorClosestToANearMiss() {
        #expect(catalog.indicatorSuggestions(for: "urbanisation_rate") == ["urbanization_rate (Urbanization rate of permanent residents)"])
        #expect(catalog.indicatorSuggestions(for: "GPD") == ["gdp (Gross domestic product)"])
        #expect(catalog.indicatorSuggestions(for: "城镇化") == ["urbanization_rate (Urbanization rate of permanent residents)"])
    }

    @Test(arguments: ["Xinjiang", "Guangdong Province", "", "population density of the capital"])
    func suggestsNothingForAFarMiss(name: String) {
        #expect(catalog.regionSuggestions(for: name) == [])
    }

    @Test func suggestsNoIndicatorForAFarMiss() {
        #expect(catalog.indicatorSuggestions(for: "life expectancy") == [])
    }

    @Test func reportsANameAlreadyUsedByAnotherRegion() throws {
        var catalog = catalog
        let added = catalog.add(Region(code: "CN-AX", name: "Anhui Extra", aliases: ["ANHUI", "安徽"]))
        let clash = try #require(added)
        #expect(clash.name == "ANHUI")
        #expect(clash.owner == "CN-AH")
        #expect(catalog.region(named: "安徽")?.code == "CN-AH")
        #expect(catalog.region(named: "Anhui Extra")?.code == "CN-AX")
    }

    @Test func reportsANameAlreadyUsedByAnotherIndicator() throws {
        var catalog = catalog
        let added = catalog.add(Indicator(
            id: "grp", name: "Gross regional product", unit: "CNY 100m", publicationLag: CalendarDuration(months: 3)))
        let clash = try #require(added)
        #expect(clash.name == "grp")
        #expect(clash.owner == "gdp")
    }

    @Test func acceptsAnEntryRepeatingItsOwnNames() {
        var catalog = Catalog()
        #expect(catalog.add(Region(code: "CN-BJ", name: "Beijing", aliases: ["beijing", "BEIJING"])) == nil)
        #expect(catalog.region(named: "Beijing")?.code == "CN-BJ")
    }

    @Test(arguments: [
        ("  Anhui   Province\t", "anhui province"), ("（％）", "(%)"), ("ＡＢＣ　ｄｅｆ", "abc def"), ("R&D 经费", "r&d 经费"),
        ("", ""), ("İ", "i\u{307}"),
    ])
    func normalizesCaseSpacesAndFullWidthForms(name: String, key: String) {
        #expect(Catalog.normalize(name) == key)
    }

    @Test func measuresEditDistanceOverUnicodeScalars() {
        func distance(_ a: String, _ b: String) -> Int {
            Catalog.editDistance(Array(a.unicodeScalars), Array(b.unicodeScalars))
        }
        #expect(distance("anhwei", "anhui") == 2)
        #expect(distance("", "abc") == 3)
        #expect(distance("abc", "") == 3)
        #expect(distance("安徽省", "安微省") == 1)
        #expect(distance("kitten", "sitting") == 3)
    }
}

@Suite struct CatalogShortNameTests {
    let catalog = TestCatalog.catalog

    @Test func suggestsOnlyNamesSharingACharacterWithATwoLetterName() {
        #expect(catalog.regionSuggestions(for: "CM") == ["CN (China)"])
    }

    @Test(arguments: ["XY", "上海", "Q"])
    func suggestsNothingForAShortNameWithNothingInCommon(name: String) {
        #expect(catalog.regionSuggestions(for: name) == [])
    }
}
