@testable import PlanWatchCore

/// A small catalogue built in code, for the catalogue and layout tests.
enum TestCatalog {
    static let urbanization = Indicator(
        id: "urbanization_rate", name: "Urbanization rate of permanent residents", nameZh: "常住人口城镇化率", unit: "%",
        publicationLag: CalendarDuration(months: 3), aggregate: .weightedMean, weight: "population",
        aliases: ["常住人口城镇化率(%)", "城镇化率", "SP.URB.TOTL.IN.ZS"])
    static let gdp = Indicator(
        id: "gdp", name: "Gross domestic product", nameZh: "地区生产总值", unit: "CNY 100m",
        publicationLag: CalendarDuration(months: 3), aggregate: .sum, aliases: ["GRP"])
    static let population = Indicator(
        id: "population", name: "Resident population at year end", nameZh: "年末常住人口", unit: "10k persons",
        publicationLag: CalendarDuration(months: 3), aggregate: .sum)
    static let retailSales = Indicator(
        id: "retail_sales", name: "Retail sales of consumer goods", unit: "CNY 100m", frequency: .monthly,
        publicationLag: CalendarDuration(days: 15))

    static let china = Region(code: "CN", name: "China", nameZh: "中国", level: .country, aliases: ["全国"])
    static let anhui = Region(
        code: "CN-AH", name: "Anhui", nameZh: "安徽省", gbCode: "340000", parent: "CN", aliases: ["安徽", "Anhui Province"])
    static let henan = Region(code: "CN-HA", name: "Henan", nameZh: "河南省", gbCode: "410000", parent: "CN", aliases: ["河南"])
    static let hubei = Region(code: "CN-HB", name: "Hubei", nameZh: "湖北省", gbCode: "420000", parent: "CN", aliases: ["湖北"])
    static let central = Region(
        code: "CN-CENTRAL", name: "Central region", nameZh: "中部地区", level: .group, aliases: ["中部六省"],
        group: RegionGroup(members: ["CN-AH", "CN-HA", "CN-HB"]))

    static var catalog: Catalog {
        var catalog = Catalog()
        for indicator in [urbanization, gdp, population, retailSales] { catalog.add(indicator) }
        for region in [china, anhui, henan, hubei, central] { catalog.add(region) }
        return catalog
    }
}
