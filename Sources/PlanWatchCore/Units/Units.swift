/// A unit as planwatch understands it: what it measures and its scale relative to the base of that quantity.
///
/// Every value is stored in its indicator's unit; a layout reads the unit its file states (a label's parenthesis,
/// an SDMX `UNIT_MEASURE`, the canonical `unit` column), parses it into a `MeasureUnit`, and asks
/// `unitConversion(from:to:)` how to bring the values into the indicator's unit, or whether to refuse them.
///
/// What the vocabulary knows (case, whitespace, full-width characters and a trailing "s" do not matter):
/// - percent, scale 1: `%`, `percent`, `pct`, `percentage`, `per cent`, `百分比`, `% of GDP`, `% of total population`,
///   `annual %`, SDMX `PC`, `PC_GDP`, `PC_POP`; per mille (`‰`, `per mille`) is percent scale 0.1. What a share is a
///   share of is deliberately not told apart: `% of GDP` and `% of total population` are both plain percent, since
///   the catalogue's `%` indicators are shares already and each indicator says what it is a share of.
/// - currencies, by ISO code: `元`, `yuan`, `CNY`, `RMB`, `人民币` are CNY; `US$`, `$`, `USD`, `US dollar` are USD;
///   `EUR`, `euro`, `€` are EUR (also GBP, JPY, HKD by code). A price basis (`current`, `constant 2015`, `at current
///   prices`, SDMX `CP`, `CLV10`) is accepted and ignored: `constant 2015 US$` is USD like `current US$`, price bases
///   are not compared. `international $` (PPP dollars) and national-currency codes such as `NAC` are not currencies
///   here and parse as `.other`.
/// - persons: `人`, `person`, `persons`, `people`, SDMX `PS`, `PER`.
/// - scales, multiplied together: `十 百 千 万 亿` (`万人` = persons 1e4, `亿元` = CNY 1e8, `十亿元` = 1e9), `hundred`,
///   `thousand`, `ths`, `k`, `million`, `mio`, `mn`, `m`, `billion`, `bn`, powers of ten written as numbers (`10,000`,
///   `100`), and both together (`10k`, `100m`, `100 million`, `ten thousand`); SDMX `MEUR`/`MUSD` are million
///   euro/dollars. A number that is not a power of ten makes the text `.other`.
/// Anything else is `.other` of its normalized text (trimmed, lowercase, whitespace collapsed, full-width folded),
/// scale 1, such as `years`, `index 2020=100`, `tce per cny 10k`, `元/人`.
public struct MeasureUnit: Sendable, Equatable {
    public enum Quantity: Sendable, Equatable {
        case percent
        /// An ISO 4217 code in capitals: CNY, USD, EUR.
        case currency(String)
        case persons
        /// Normalized text (see `MeasureUnit`), compared as is.
        case other(String)
    }

    public var quantity: Quantity
    /// How many base units one of this unit is: 亿元 is CNY 1e8, 万人 persons 1e4, `million euro` EUR 1e6.
    public var scale: Double

    public init(quantity: Quantity, scale: Double = 1) {
        self.quantity = quantity
        self.scale = scale
    }

    init(_ quantity: Quantity, exponent: Int) {
        self.init(quantity: quantity, scale: PowerOfTen.value(exponent))
    }

    /// The unit a text names; `.other` of its normalized text when planwatch does not know it; nil for empty text.
    public static func parse(_ text: String) -> MeasureUnit? {
        let normalized = UnitText.normalize(text)
        guard !normalized.isEmpty else { return nil }
        return UnitGrammar.parse(normalized) ?? MeasureUnit(quantity: .other(normalized), scale: 1)
    }

    /// The unit a text states inside a label, e.g. the parenthesis of `地区生产总值(亿元)` (also full-width （）) or of
    /// `GDP (current US$)`; for WDI's `(% of GDP)`, `(% of total population)` → percent. Returns nil when the label
    /// states none.
    ///
    /// Only parentheses ending the label count (`研究与试验发展(R&D)经费` states none); of several trailing ones,
    /// such as `(% of total labor force) (modeled ILO estimate)`, the last that names a known unit wins, else the
    /// last one as `.other`. WDI names its head counts without a parenthesis: `Population, total`, `Population,
    /// female`, `Population ages 15-64, male`, `Urban population`, `Rural population` state persons.
    public static func stated(inLabel label: String) -> MeasureUnit? {
        let text = UnitText.normalize(label)
        let groups = UnitText.trailingParentheses(text)
        guard !groups.isEmpty else { return UnitText.isWDIHeadCount(text) ? MeasureUnit(.persons, exponent: 0) : nil }
        var fallback: MeasureUnit?
        for group in groups.reversed() {
            guard let unit = parse(group) else { continue }
            if case .other = unit.quantity {
                fallback = fallback ?? unit
                continue
            }
            return unit
        }
        return fallback
    }

    /// SDMX UNIT_MEASURE code and optional UNIT_MULT (power of ten): `("EUR", 6)` is EUR 1e6, `("CP_MEUR", nil)`
    /// EUR 1e6, `("THS_PER", nil)` persons 1e3, `("PS", 3)` persons 1e3. Nil for an empty code.
    public static func sdmx(measure: String, multiplier: Int?) -> MeasureUnit? {
        guard var unit = parse(measure) else { return nil }
        guard let multiplier, multiplier != 0 else { return unit }
        if let exponent = PowerOfTen.exponent(of: unit.scale) {
            unit.scale = PowerOfTen.value(exponent + multiplier)
        } else {
            unit.scale *= PowerOfTen.value(multiplier)
        }
        return unit
    }
}

public enum UnitConversion: Sendable, Equatable {
    case same
    /// Multiply the found value by this factor to get the expected unit (exact powers of ten, e.g. persons → 10k
    /// persons is 0.0001).
    case scale(Double)
    /// Different quantities (a currency into another currency, persons into percent): refuse.
    case incompatible
}

/// How to bring a value stated in `found` into `expected` (the indicator's unit). Quantities must be equal (two
/// `.other` units only when their texts are); the factor is `10^(found exponent − expected exponent)` computed from
/// integer exponents, so it is the exact power of ten (10000, 0.0001), not a quotient of doubles. A scale that is
/// not a power of ten (only possible through `init`) gives the plain quotient; a scale that is not positive and
/// finite is incompatible.
public func unitConversion(from found: MeasureUnit, to expected: MeasureUnit) -> UnitConversion {
    guard found.quantity == expected.quantity else { return .incompatible }
    guard found.scale.isFinite, found.scale > 0, expected.scale.isFinite, expected.scale > 0 else { return .incompatible }
    if found.scale == expected.scale { return .same }
    if let a = PowerOfTen.exponent(of: found.scale), let b = PowerOfTen.exponent(of: expected.scale) {
        return .scale(PowerOfTen.value(a - b))
    }
    return .scale(found.scale / expected.scale)
}

// MARK: - Powers of ten

/// Powers of ten as the correctly rounded doubles of `1e<k>` (so 10^-4 == 0.0001 exactly as a literal).
enum PowerOfTen {
    static let range = -40...40
    static let table: [Double] = range.map { Double("1e\($0)")! }
    static let exponents: [Double: Int] = Dictionary(uniqueKeysWithValues: range.map { (table[$0 - range.lowerBound], $0) })

    static func value(_ exponent: Int) -> Double {
        if range.contains(exponent) { return table[exponent - range.lowerBound] }
        return Double("1e\(exponent)") ?? .nan
    }

    static func exponent(of scale: Double) -> Int? { exponents[scale] }
}

// MARK: - Text

enum UnitText {
    /// Trimmed, lowercase, runs of whitespace (also U+3000) as one space, full-width ASCII (（）％＄) folded: the
    /// catalogue's lookup key.
    static func normalize(_ text: String) -> String {
        Catalog.normalize(text)
    }

    /// The contents of the parentheses ending a (normalized) text, in order: `a (b) (c)` → `["b", "c"]`.
    static func trailingParentheses(_ text: String) -> [String] {
        let chars = Array(text)
        var end = chars.count
        var groups: [String] = []
        while true {
            while end > 0, chars[end - 1] == " " { end -= 1 }
            guard end > 0, chars[end - 1] == ")" else { break }
            var depth = 0
            var open: Int?
            var i = end - 1
            while i >= 0 {
                if chars[i] == ")" { depth += 1 }
                if chars[i] == "(" {
                    depth -= 1
                    if depth == 0 {
                        open = i
                        break
                    }
                }
                i -= 1
            }
            guard let open else { break }
            groups.append(String(chars[(open + 1)..<(end - 1)]))
            end = open
        }
        return groups.reversed()
    }

    /// WDI's persons counts that state no unit (normalized text).
    static func isWDIHeadCount(_ text: String) -> Bool {
        if text == "urban population" || text == "rural population" { return true }
        guard text.hasPrefix("population") else { return false }
        return [", total", ", female", ", male"].contains { text.hasSuffix($0) }
    }
}

// MARK: - Grammar

enum UnitGrammar {
    private enum Token {
        case scale(Int)
        case base(MeasureUnit.Quantity, Int)
        case number(String)
        case priceBasis
        case us
    }

    private static let percentFirst: Set<String> = ["%", "percent", "pct", "pc", "percentage", "百分比", "百分率"]
    private static let percentLast: Set<String> = ["%", "percent"]
    private static let perMille: Set<String> = ["‰", "permille"]

    private static let scaleWords: [String: Int] = [
        "ten": 1, "hundred": 2, "thousand": 3, "ths": 3, "k": 3, "million": 6, "mio": 6, "mn": 6, "mln": 6, "m": 6,
        "billion": 9, "bn": 9, "bln": 9, "trillion": 12,
    ]
    private static let numberSuffixes: [String: Int] = ["k": 3, "m": 6, "mn": 6, "mln": 6, "bn": 9]
    private static let baseWords: [String: (MeasureUnit.Quantity, Int)] = [
        "cny": (.currency("CNY"), 0), "rmb": (.currency("CNY"), 0), "yuan": (.currency("CNY"), 0),
        "renminbi": (.currency("CNY"), 0),
        "usd": (.currency("USD"), 0), "us$": (.currency("USD"), 0), "$": (.currency("USD"), 0),
        "dollar": (.currency("USD"), 0), "musd": (.currency("USD"), 6),
        "eur": (.currency("EUR"), 0), "euro": (.currency("EUR"), 0), "€": (.currency("EUR"), 0),
        "meur": (.currency("EUR"), 6),
        "gbp": (.currency("GBP"), 0), "jpy": (.currency("JPY"), 0), "hkd": (.currency("HKD"), 0),
        "person": (.persons, 0), "persons": (.persons, 0), "people": (.persons, 0), "ps": (.persons, 0),
        "pers": (.persons, 0),
    ]
    private static let priceWords: Set<String> = ["current", "constant", "price", "prices", "at", "cp", "nominal"]
    private static let chineseBases: [(String, MeasureUnit.Quantity)] = [
        ("人民币元", .currency("CNY")), ("人民币", .currency("CNY")), ("美元", .currency("USD")),
        ("欧元", .currency("EUR")), ("元", .currency("CNY")), ("人", .persons),
    ]
    private static let chineseScales: [Character: Int] = ["十": 1, "百": 2, "千": 3, "万": 4, "亿": 8]

    /// The unit a normalized text names, nil when it is not in the vocabulary.
    static func parse(_ normalized: String) -> MeasureUnit? {
        var text = Substring(normalized)
        if text.hasPrefix("("), text.hasSuffix(")"), text.count >= 2 {
            text = text.dropFirst().dropLast()
            while text.first == " " { text = text.dropFirst() }
            while text.last == " " { text = text.dropLast() }
        }
        let tokens = tokenize(text)
        guard let first = tokens.first, let last = tokens.last else { return nil }

        if perMille.contains(first) || perMille.contains(last) || tokens.starts(with: ["per", "mille"]) {
            return MeasureUnit(.percent, exponent: -1)
        }
        if percentFirst.contains(first) || first.hasPrefix("%") || percentLast.contains(last)
            || tokens.starts(with: ["per", "cent"])
        {
            return MeasureUnit(.percent, exponent: 0)
        }

        var exponent = 0
        var quantity: MeasureUnit.Quantity?
        var basisWords = false
        var us = false
        var numbers: [String] = []
        for (index, token) in tokens.enumerated() {
            guard let kind = classify(token, isLast: index == tokens.count - 1) else { return nil }
            switch kind {
            case .scale(let e): exponent += e
            case .base(let q, let e):
                if let quantity {
                    // Only a currency may be named twice (`RMB yuan`), and only as itself.
                    guard quantity == q, case .currency = q else { return nil }
                }
                quantity = q
                exponent += e
            case .number(let digits): numbers.append(digits)
            case .priceBasis: basisWords = true
            case .us: us = true
            }
        }
        guard let quantity else { return nil }
        let isCurrency: Bool
        if case .currency = quantity { isCurrency = true } else { isCurrency = false }
        if basisWords, !isCurrency { return nil }
        if us, quantity != .currency("USD") { return nil }
        for digits in numbers {
            if basisWords, isCurrency, digits.count == 4, let year = Int(digits), (1800...2199).contains(year) { continue }
            guard let e = powerOfTenExponent(digits) else { return nil }
            exponent += e
        }
        return MeasureUnit(quantity, exponent: exponent)
    }

    /// Words split at spaces and underscores (SDMX codes), with digit groups split by spaces joined (`10 000`).
    private static func tokenize(_ text: Substring) -> [String] {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "_" }).map(String.init)
        var tokens: [String] = []
        for word in words {
            if let previous = tokens.last, word.count == 3, word.allSatisfy(\.isASCIIDigit),
                !previous.isEmpty, previous.allSatisfy({ $0.isASCIIDigit || $0 == "," })
            {
                tokens[tokens.count - 1] = previous + word
            } else {
                tokens.append(word)
            }
        }
        return tokens
    }

    private static func classify(_ token: String, isLast: Bool) -> Token? {
        if let kind = word(token) { return kind }
        if token.count > 1, token.hasSuffix("s"), let kind = word(String(token.dropLast())) { return kind }
        if token == "per" { return isLast ? .base(.persons, 0) : nil }
        if token.hasPrefix("clv"), token.dropFirst(3).allSatisfy(\.isASCIIDigit) { return .priceBasis }
        if let number = number(token) { return number }
        return chinese(token)
    }

    private static func word(_ token: String) -> Token? {
        if let e = scaleWords[token] { return .scale(e) }
        if let (q, e) = baseWords[token] { return .base(q, e) }
        if priceWords.contains(token) { return .priceBasis }
        if token == "us" { return .us }
        if token == "of" { return .scale(0) }  // `thousands of persons`, `millions of euros`
        return nil
    }

    /// `10,000`, `2015`, `100m`, `10k`: digits (thousands separated by commas), optionally with a scale suffix.
    private static func number(_ token: String) -> Token? {
        let digitsEnd = token.firstIndex(where: { !$0.isASCIIDigit && $0 != "," }) ?? token.endIndex
        let written = token[..<digitsEnd]
        guard let firstChar = written.first, firstChar.isASCIIDigit else { return nil }
        let groups = written.split(separator: ",", omittingEmptySubsequences: false)
        if groups.count > 1 {
            guard (1...3).contains(groups[0].count), groups.dropFirst().allSatisfy({ $0.count == 3 }) else { return nil }
        }
        let digits = groups.joined()
        let suffix = String(token[digitsEnd...])
        if suffix.isEmpty { return .number(digits) }
        guard let s = numberSuffixes[suffix], let e = powerOfTenExponent(digits) else { return nil }
        return .scale(e + s)
    }

    /// `1` → 0, `10000` → 4; nil for anything but a one followed by zeros.
    private static func powerOfTenExponent(_ digits: String) -> Int? {
        guard digits.first == "1", digits.dropFirst().allSatisfy({ $0 == "0" }) else { return nil }
        return digits.count - 1
    }

    /// `万人`, `亿元`, `十亿元`, `万美元`, or a lone scale such as `亿` (in `亿 元`).
    private static func chinese(_ token: String) -> Token? {
        var rest = Substring(token)
        var base: MeasureUnit.Quantity?
        for (suffix, quantity) in chineseBases where rest.hasSuffix(suffix) {
            rest = rest.dropLast(suffix.count)
            base = quantity
            break
        }
        var exponent = 0
        for char in rest {
            guard let e = chineseScales[char] else { return nil }
            exponent += e
        }
        if let base { return .base(base, exponent) }
        return rest.isEmpty ? nil : .scale(exponent)
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
