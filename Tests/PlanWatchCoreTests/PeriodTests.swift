import Testing

@testable import PlanWatchCore

@Suite struct PeriodTests {
    static let year2024 = Period(year: 2024)
    static let q3 = Period(year: 2024, frequency: .quarterly, index: 3)
    static let july = Period(year: 2024, frequency: .monthly, index: 7)

    @Test(arguments: [
        ("2024", year2024),
        (" 2024\t", year2024),
        ("2024年", year2024),
        ("2024-Q3", q3),
        ("2024Q3", q3),
        ("2024-q3", q3),
        ("2024-07", july),
        ("2024-7", july),
        ("2024M07", july),
        ("2024-M07", july),
        ("2024m7", july),
        ("2024-12", Period(year: 2024, frequency: .monthly, index: 12)),
        ("1999-Q1", Period(year: 1999, frequency: .quarterly, index: 1)),
    ])
    func parsesWrittenPeriods(text: String, expected: Period) {
        #expect(Period(parsing: text) == expected)
    }

    @Test(arguments: [
        "", "24", "abcd", "2024-13", "2024-00", "2024-Q5", "2024-Q0", "2024Q", "2024-Q33", "2024-", "2024-007",
        "0999", "2024年7月", "２０２４", "2024 Q3", "2024/07", "20245", "202407", "Q3-2024", "2024-Q3x", "2024M",
    ])
    func rejectsMalformedPeriods(text: String) {
        #expect(Period(parsing: text) == nil)
    }

    @Test(arguments: [
        (year2024, "2024"), (q3, "2024-Q3"), (july, "2024-07"), (Period(year: 2024, frequency: .monthly, index: 11), "2024-11"),
    ])
    func formatsAsTheCanonicalText(period: Period, text: String) {
        #expect(period.description == text)
        #expect(Period(parsing: text) == period)
    }

    @Test func placesPeriodsInTimeAsYearPlusFraction() {
        #expect(Self.year2024.time == 2024.0)
        #expect(Self.q3.time == 2024.5)
        #expect(Self.july.time == 2024.5)
        #expect(Period(year: 2024, frequency: .quarterly, index: 4).time == 2024.75)
        #expect(Period(year: 2024, frequency: .monthly, index: 4).time == 2024.25)
    }

    @Test func encodesAKeyThatRoundTrips() {
        #expect(Self.year2024.key == 2_024_000)
        #expect(Self.q3.key == 2_024_103)
        #expect(Self.july.key == 2_024_207)
        #expect(Period(key: 2_024_000) == Self.year2024)
        #expect(Period(key: 2_024_103) == Self.q3)
        #expect(Period(key: 2_024_207) == Self.july)
        #expect(Period(key: 2_024_212) == Period(year: 2024, frequency: .monthly, index: 12))
    }

    @Test(arguments: [2_024_001, 2_024_100, 2_024_105, 2_024_200, 2_024_213, 2_024_300])
    func rejectsKeysThatAreNoPeriod(key: Int) {
        #expect(Period(key: key) == nil)
    }

    @Test func stepsToThePreviousAndNextPeriodAcrossYearEnds() {
        #expect(Self.year2024.previous == Period(year: 2023))
        #expect(Self.year2024.next == Period(year: 2025))
        #expect(Period(year: 2024, frequency: .quarterly, index: 1).previous == Period(year: 2023, frequency: .quarterly, index: 4))
        #expect(Period(year: 2024, frequency: .quarterly, index: 4).next == Period(year: 2025, frequency: .quarterly, index: 1))
        #expect(Self.q3.next == Period(year: 2024, frequency: .quarterly, index: 4))
        #expect(Period(year: 2024, frequency: .monthly, index: 1).previous == Period(year: 2023, frequency: .monthly, index: 12))
        #expect(Period(year: 2024, frequency: .monthly, index: 12).next == Period(year: 2025, frequency: .monthly, index: 1))
        #expect(Self.july.previous == Period(year: 2024, frequency: .monthly, index: 6))
    }

    @Test(arguments: [
        (year2024, CalendarDate(year: 2025, month: 1, day: 1)),
        (q3, CalendarDate(year: 2024, month: 10, day: 1)),
        (Period(year: 2024, frequency: .quarterly, index: 1), CalendarDate(year: 2024, month: 4, day: 1)),
        (Period(year: 2024, frequency: .quarterly, index: 4), CalendarDate(year: 2025, month: 1, day: 1)),
        (july, CalendarDate(year: 2024, month: 8, day: 1)),
        (Period(year: 2024, frequency: .monthly, index: 2), CalendarDate(year: 2024, month: 3, day: 1)),
        (Period(year: 2024, frequency: .monthly, index: 12), CalendarDate(year: 2025, month: 1, day: 1)),
    ])
    func endsOnTheFirstDayOfTheNextPeriod(period: Period, end: CalendarDate) {
        #expect(period.endExclusive == end)
    }

    @Test func ordersByTimeThenByCoarserFrequency() {
        let q1 = Period(year: 2024, frequency: .quarterly, index: 1)
        let january = Period(year: 2024, frequency: .monthly, index: 1)
        #expect(Self.year2024 < q1)
        #expect(q1 < january)
        #expect(Period(year: 2023, frequency: .monthly, index: 12) < Self.year2024)
        #expect(Self.q3 < Self.july)
        #expect(!(Self.july < Self.q3))
        #expect([Self.july, Period(year: 2025), Self.year2024, Self.q3].sorted() == [Self.year2024, Self.q3, Self.july, Period(year: 2025)])
    }
}
