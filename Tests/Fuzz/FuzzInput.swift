// libFuzzer entry point for the CSV byte reader, layout detection, the layouts and the text decoders: whatever
// the bytes, reading them must end (with records or a reported problem), never crash or hang. Built and run by
// scripts/fuzz, which compiles it together with those sources (not part of the SwiftPM package).
import Foundation

/// A small catalogue so that names resolve and the layouts' row paths run, not only their header checks.
let fuzzCatalog: Catalog = {
    var catalog = Catalog()
    catalog.add(Indicator(id: "urbanization_rate", name: "Urbanization rate", nameZh: "常住人口城镇化率", unit: "%",
                          publicationLag: CalendarDuration(months: 3), aliases: ["SP.URB.TOTL.IN.ZS", "常住人口城镇化率(%)"]))
    catalog.add(Indicator(id: "gdp_q", name: "GDP growth", unit: "%", frequency: .quarterly, publicationLag: CalendarDuration(months: 1)))
    catalog.add(Region(code: "CN", name: "China", nameZh: "中国", level: .country, aliases: ["CHN"]))
    catalog.add(Region(code: "CN-AH", name: "Anhui", nameZh: "安徽省", gbCode: "340000"))
    catalog.add(Region(code: "CN-C", name: "Centre", level: .group, group: RegionGroup(members: ["CN", "CN-AH"], aggregate: .mean)))
    return catalog
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    var validator = UTF8Validator()
    validator.feed(bytes)
    validator.finish()
    // The first byte picks a chunk size, so records straddle chunk boundaries in every way.
    let chunk = max(1, Int(bytes.first ?? 1) % 64 + 1)
    var reader = CSVReader(delimiter: detectDelimiter(bytes))
    var detector = LayoutDetector(catalog: fuzzCatalog, mapping: SourceMapping())
    var layout: (any TableLayout)?
    var results = 0
    func consume(_ record: CSVRecord) {
        if layout == nil {
            if case .layout(let found) = detector.feed(record) { layout = found }
        } else {
            results += layout!.read(record).count
        }
    }
    do {
        if !validator.isValid, let decoder = GB18030Decoder() {
            try decoder.decode(bytes) { try reader.feed($0, consume) }
            try decoder.finish()
        } else {
            var offset = 0
            while offset < bytes.count {
                let end = min(bytes.count, offset + chunk)
                try reader.feed(UnsafeRawBufferPointer(rebasing: bytes[offset..<end]), consume)
                offset = end
            }
        }
        try reader.finish(consume)
    } catch {
        _ = "\(error)"  // every error must describe itself without crashing
    }
    _ = NumberParser.parse(ArraySlice(bytes.prefix(64)))
    _ = Period(parsing: String(decoding: bytes.prefix(16), as: UTF8.self))
    return 0
}
