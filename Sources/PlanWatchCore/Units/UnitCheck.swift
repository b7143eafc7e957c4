/// Brings values into their indicator's unit (SPEC §7a): a unit the file states is compared with the indicator's;
/// a known scale of the same quantity is converted (persons → 10k persons × 0.0001), anything else is refused with
/// a message naming the unit found, the unit expected and the mapping line that would fix it. Remembers each
/// (indicator, unit text) answer, since a file states the same unit on every row.
public struct UnitChecker: Sendable {
    public enum Outcome: Sendable, Equatable {
        case same
        /// Multiply by this factor.
        case scale(Double)
        case refused(String)
    }

    private var memo: [String: [String: Outcome]] = [:]

    public init() {}

    /// The unit a text states: a label's (`GDP (current US$)`, `Population, total`, `地区生产总值(亿元)`) or the
    /// text itself (`万人`, `% of GDP`, an SDMX code such as `CP_MEUR`).
    public static func unit(of text: String) -> MeasureUnit? {
        let stated = MeasureUnit.stated(inLabel: text)
        if let stated, case .other = stated.quantity,
            let open = text.firstIndex(where: { $0 == "(" || $0 == "（" }),
            let head = MeasureUnit.parse(String(text[..<open]))
        {
            // `% (annual average)`: the unit comes first; the parenthesis says what kind of figure it is.
            if case .other = head.quantity {} else { return head }
        }
        return stated ?? MeasureUnit.parse(text)
    }

    /// `code`: the source's code for the series, named in the mapping line a refusal suggests.
    public mutating func check(_ text: String, for indicator: Indicator, code: String? = nil) -> Outcome {
        let key = text + "\u{1}" + (code ?? "")
        if let known = memo[indicator.id]?[key] { return known }
        let outcome = UnitChecker.decide(text, for: indicator, code: code)
        if memo[indicator.id, default: [:]].count < 1000 { memo[indicator.id, default: [:]][key] = outcome }
        return outcome
    }

    static func decide(_ text: String, for indicator: Indicator, code: String? = nil) -> Outcome {
        let series = code ?? "CODE"
        guard let found = unit(of: text) else { return .same }
        guard let expected = MeasureUnit.parse(indicator.unit) else { return .same }
        switch unitConversion(from: found, to: expected) {
        case .same: return .same
        case .scale(let factor): return .scale(factor)
        case .incompatible:
            let fix: String
            if case .other = found.quantity {
                fix = "if it is a scale of '\(indicator.unit)', declare it in the mapping (mapping: {indicators: {\(series): {indicator: \(indicator.id), unit: '\(indicator.unit)', scale: FACTOR}}}); otherwise map the series to an indicator in that unit"
            } else {
                fix = "planwatch converts only scales of one unit (人 → 万人, 元 → 亿元), never one currency or quantity into another: add an indicator in '\(text)' to the catalogue and map the series to it (mapping: {indicators: {\(series): NEW_INDICATOR}})"
            }
            return .refused("the value is in '\(text)' but indicator '\(indicator.id)' is in '\(indicator.unit)'; \(fix)")
        }
    }
}
