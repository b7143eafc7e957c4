import Testing

@testable import PlanWatchCore

@Suite struct UnitsTests {
    static func unit(_ quantity: MeasureUnit.Quantity, _ scale: Double = 1) -> MeasureUnit {
        MeasureUnit(quantity: quantity, scale: scale)
    }

    static let cny = MeasureUnit.Quantity.currency("CNY")
    static let usd = MeasureUnit.Quantity.currency("USD")
    static let eur = MeasureUnit.Quantity.currency("EUR")

    // MARK: parse

    @Test(arguments: [
        "%", "percent", "Percent", "pct", "percentage", "per cent", "% of GDP", "% of total population", "PC", "PC_GDP",
        "PC_POP", "百分比", "％", " % ", "annual %", "(%)",
    ])
    func percentVariantsArePlainPercent(text: String) {
        #expect(MeasureUnit.parse(text) == Self.unit(.percent))
    }

    @Test func perMilleIsATenthOfAPercent() {
        #expect(MeasureUnit.parse("‰") == Self.unit(.percent, 0.1))
        #expect(MeasureUnit.parse("per mille") == Self.unit(.percent, 0.1))
    }

    @Test(arguments: [
        ("元", 1.0), ("yuan", 1), ("Yuan", 1), ("CNY", 1), ("RMB", 1), ("人民币", 1), ("RMB yuan", 1),
        ("亿元", 1e8), ("CNY 100m", 1e8), ("cny  100M", 1e8), ("100 million yuan", 1e8), ("100 million RMB", 1e8),
        ("万元", 1e4), ("CNY 10k", 1e4), ("CNY 10,000", 1e4), ("十亿元", 1e9), ("万亿元", 1e12), ("亿 元", 1e8),
        ("千元", 1e3), ("（亿元）", 1e8),
    ])
    func yuan(text: String, scale: Double) {
        #expect(MeasureUnit.parse(text) == Self.unit(Self.cny, scale))
    }

    @Test(arguments: [
        ("US$", 1.0), ("current US$", 1), ("constant 2015 US$", 1), ("USD", 1), ("usd", 1), ("US dollars", 1),
        ("million US$", 1e6), ("USD bn", 1e9), ("万美元", 1e4),
    ])
    func dollars(text: String, scale: Double) {
        #expect(MeasureUnit.parse(text) == Self.unit(Self.usd, scale))
    }

    @Test(arguments: [
        ("EUR", 1.0), ("euro", 1), ("euros", 1), ("€", 1), ("million euro", 1e6), ("Million Euros", 1e6),
        ("MIO_EUR", 1e6), ("CP_MEUR", 1e6), ("THS_EUR", 1e3), ("CLV10_MEUR", 1e6), ("EUR million", 1e6),
        ("欧元", 1),
    ])
    func euros(text: String, scale: Double) {
        #expect(MeasureUnit.parse(text) == Self.unit(Self.eur, scale))
    }

    @Test(arguments: [
        ("人", 1.0), ("persons", 1), ("person", 1), ("people", 1), ("PS", 1), ("PER", 1), ("万人", 1e4),
        ("10k persons", 1e4), ("10K Persons", 1e4), ("10,000 persons", 1e4), ("10 000 persons", 1e4),
        ("10000 persons", 1e4), ("ten thousand persons", 1e4), ("千人", 1e3), ("thousand persons", 1e3),
        ("thousands of persons", 1e3), ("THS_PER", 1e3), ("million persons", 1e6), ("MIO_PER", 1e6), ("亿人", 1e8),
    ])
    func persons(text: String, scale: Double) {
        #expect(MeasureUnit.parse(text) == Self.unit(.persons, scale))
    }

    @Test(arguments: [
        ("years", "years"), ("  Years ", "years"), ("index 2020=100", "index 2020=100"),
        ("tce per CNY 10k", "tce per cny 10k"), ("元/人", "元/人"), ("人次", "人次"), ("CNY per person", "cny per person"),
        ("current international $", "current international $"), ("NAC", "nac"), ("CP_MNAC", "cp_mnac"),
        ("CNY 2015", "cny 2015"), ("250 persons", "250 persons"), ("million", "million"), ("per thousand", "per thousand"),
        ("PCH_PRE", "pch_pre"), ("pcs", "pcs"), ("current persons", "current persons"), ("USD EUR", "usd eur"),
        ("kg   per\u{3000}2015 US$ of GDP", "kg per 2015 us$ of gdp"),
    ])
    func anythingElseIsOtherOfItsNormalizedText(text: String, normalized: String) {
        #expect(MeasureUnit.parse(text) == Self.unit(.other(normalized)))
    }

    @Test(arguments: ["", "   ", "\u{3000}", "\t\n"])
    func emptyTextIsNoUnit(text: String) {
        #expect(MeasureUnit.parse(text) == nil)
    }

    @Test func everyCatalogueUnitParses() {
        #expect(MeasureUnit.parse("%") == Self.unit(.percent))
        #expect(MeasureUnit.parse("CNY 100m") == Self.unit(Self.cny, 1e8))
        #expect(MeasureUnit.parse("10k persons") == Self.unit(.persons, 1e4))
        #expect(MeasureUnit.parse("index 2020=100") == Self.unit(.other("index 2020=100")))
        #expect(MeasureUnit.parse("years") == Self.unit(.other("years")))
    }

    // MARK: stated(inLabel:)

    @Test(arguments: [
        ("地区生产总值(亿元)", unit(cny, 1e8)),
        ("地区生产总值（亿元）", unit(cny, 1e8)),
        ("年末常住人口(万人)", unit(.persons, 1e4)),
        ("城镇化率(%)", unit(.percent)),
        ("城镇化率（％）", unit(.percent)),
        ("研究与试验发展(R&D)经费(亿元)", unit(cny, 1e8)),
        ("研究与试验发展(R&D)经费投入强度(%)", unit(.percent)),
        ("人口自然增长率(‰)", unit(.percent, 0.1)),
        ("Urban population (% of total population)", unit(.percent)),
        ("Research and development expenditure (% of GDP)", unit(.percent)),
        ("GDP (current US$)", unit(usd)),
        ("GDP (constant 2015 US$)", unit(usd)),
        ("GDP growth (annual %)", unit(.percent)),
        ("Population, total", unit(.persons)),
        ("Population, female", unit(.persons)),
        ("Population ages 15-64, total", unit(.persons)),
        ("Urban population", unit(.persons)),
        ("Unemployment, total (% of total labor force) (modeled ILO estimate)", unit(.percent)),
        ("Life expectancy at birth, total (years)", unit(.other("years"))),
        ("GDP, PPP (current international $)", unit(.other("current international $"))),
        ("Gross Regional Product(100 million yuan)", unit(cny, 1e8)),
        ("Population at Year-end (10 000 persons)", unit(.persons, 1e4)),
        ("  地区生产总值 ( 亿元 )  ", unit(cny, 1e8)),
    ])
    func labelsStateTheirUnit(label: String, expected: MeasureUnit) {
        #expect(MeasureUnit.stated(inLabel: label) == expected)
    }

    @Test(arguments: [
        "地区生产总值", "研究与试验发展(R&D)经费", "Gross domestic product", "GDP", "", "Resident population at year end",
        "Population growth rate", "城镇化率()",
    ])
    func labelsWithoutAUnitStateNone(label: String) {
        #expect(MeasureUnit.stated(inLabel: label) == nil)
    }

    // MARK: sdmx(measure:multiplier:)

    @Test func sdmxCodesAndMultipliers() {
        #expect(MeasureUnit.sdmx(measure: "EUR", multiplier: 6) == Self.unit(Self.eur, 1e6))
        #expect(MeasureUnit.sdmx(measure: "EUR", multiplier: nil) == Self.unit(Self.eur))
        #expect(MeasureUnit.sdmx(measure: "EUR", multiplier: 0) == Self.unit(Self.eur))
        #expect(MeasureUnit.sdmx(measure: "CP_MEUR", multiplier: nil) == Self.unit(Self.eur, 1e6))
        #expect(MeasureUnit.sdmx(measure: "MIO_EUR", multiplier: 0) == Self.unit(Self.eur, 1e6))
        #expect(MeasureUnit.sdmx(measure: "MIO_EUR", multiplier: 3) == Self.unit(Self.eur, 1e9))
        #expect(MeasureUnit.sdmx(measure: "CNY", multiplier: 8) == Self.unit(Self.cny, 1e8))
        #expect(MeasureUnit.sdmx(measure: "PS", multiplier: 3) == Self.unit(.persons, 1e3))
        #expect(MeasureUnit.sdmx(measure: "PS", multiplier: nil) == Self.unit(.persons))
        #expect(MeasureUnit.sdmx(measure: "THS_PER", multiplier: nil) == Self.unit(.persons, 1e3))
        #expect(MeasureUnit.sdmx(measure: "PC", multiplier: nil) == Self.unit(.percent))
        #expect(MeasureUnit.sdmx(measure: "PC_GDP", multiplier: 0) == Self.unit(.percent))
        #expect(MeasureUnit.sdmx(measure: "PS", multiplier: -2) == Self.unit(.persons, 0.01))
        #expect(MeasureUnit.sdmx(measure: "NAC", multiplier: 6) == Self.unit(.other("nac"), 1e6))
        #expect(MeasureUnit.sdmx(measure: "", multiplier: 6) == nil)
    }

    // MARK: unitConversion(from:to:)

    static func conversion(_ found: String, _ expected: String) -> UnitConversion? {
        guard let f = MeasureUnit.parse(found), let e = MeasureUnit.parse(expected) else { return nil }
        return unitConversion(from: f, to: e)
    }

    @Test func conversions() {
        #expect(Self.conversion("persons", "10k persons") == .scale(0.0001))
        #expect(Self.conversion("人", "万人") == .scale(0.0001))
        #expect(Self.conversion("10k persons", "万人") == .same)
        #expect(Self.conversion("thousand persons", "10k persons") == .scale(0.1))
        #expect(Self.conversion("万人", "persons") == .scale(10000))
        #expect(Self.conversion("亿元", "亿元") == .same)
        #expect(Self.conversion("亿元", "CNY 100m") == .same)
        #expect(Self.conversion("100 million yuan", "CNY 100m") == .same)
        #expect(Self.conversion("万元", "亿元") == .scale(0.0001))
        #expect(Self.conversion("亿元", "万元") == .scale(10000))
        #expect(Self.conversion("元", "CNY 100m") == .scale(1e-8))
        #expect(Self.conversion("yuan", "CNY") == .same)
        #expect(Self.conversion("USD", "CNY 100m") == .incompatible)
        #expect(Self.conversion("current US$", "CNY 100m") == .incompatible)
        #expect(Self.conversion("persons", "%") == .incompatible)
        #expect(Self.conversion("million euro", "CNY 100m") == .incompatible)
        #expect(Self.conversion("million euro", "EUR") == .scale(1e6))
        #expect(Self.conversion("% of total population", "%") == .same)
        #expect(Self.conversion("% of GDP", "%") == .same)
        #expect(Self.conversion("PC_GDP", "%") == .same)
        #expect(Self.conversion("‰", "%") == .scale(0.1))
        #expect(Self.conversion("%", "10k persons") == .incompatible)
        #expect(Self.conversion("years", "years") == .same)
        #expect(Self.conversion("Years", "years") == .same)
        #expect(Self.conversion("years", "index 2020=100") == .incompatible)
        #expect(Self.conversion("years", "%") == .incompatible)
        #expect(Self.conversion("tce per CNY 10k", "CNY 10k") == .incompatible)
    }

    @Test func sdmxMultipliersConvertExactly() throws {
        let found = try #require(MeasureUnit.sdmx(measure: "PS", multiplier: 3))
        #expect(unitConversion(from: found, to: Self.unit(.persons, 1e4)) == .scale(0.1))
        let euros = try #require(MeasureUnit.sdmx(measure: "EUR", multiplier: 6))
        #expect(unitConversion(from: euros, to: try #require(MeasureUnit.parse("CP_MEUR"))) == .same)
    }

    @Test func factorsAreExactPowersOfTen() {
        for a in -12...12 {
            for b in -12...12 where a != b {
                let found = MeasureUnit(quantity: .persons, scale: PowerOfTen.value(a))
                let expected = MeasureUnit(quantity: .persons, scale: PowerOfTen.value(b))
                #expect(unitConversion(from: found, to: expected) == .scale(PowerOfTen.value(a - b)))
            }
        }
        #expect(PowerOfTen.value(-4) == 0.0001)
        #expect(PowerOfTen.value(-8) == 0.00000001)
        #expect(PowerOfTen.value(8) == 100_000_000)
    }

    @Test func scalesThatAreNotPowersOfTenDivide() {
        let dozens = MeasureUnit(quantity: .other("dozen eggs"), scale: 12)
        let eggs = MeasureUnit(quantity: .other("dozen eggs"), scale: 1)
        #expect(unitConversion(from: dozens, to: eggs) == .scale(12))
        #expect(unitConversion(from: MeasureUnit(quantity: .persons, scale: 0), to: Self.unit(.persons)) == .incompatible)
        #expect(unitConversion(from: MeasureUnit(quantity: .persons, scale: .nan), to: Self.unit(.persons)) == .incompatible)
    }
}
