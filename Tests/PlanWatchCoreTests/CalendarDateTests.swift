import Testing

@testable import PlanWatchCore

@Suite struct CalendarDateTests {
    @Test(arguments: [
        ("2024-02-29", CalendarDate(year: 2024, month: 2, day: 29)),
        ("2000-02-29", CalendarDate(year: 2000, month: 2, day: 29)),
        ("2021-04-23", CalendarDate(year: 2021, month: 4, day: 23)),
        ("2023-12-31", CalendarDate(year: 2023, month: 12, day: 31)),
        ("2023-01-01", CalendarDate(year: 2023, month: 1, day: 1)),
    ])
    func parsesRealDates(text: String, expected: CalendarDate) {
        #expect(CalendarDate(parsing: text) == expected)
        #expect(expected.description == text)
    }

    @Test(arguments: [
        "2023-02-29", "1900-02-29", "2024-04-31", "2024-13-01", "2024-00-10", "2024-01-00", "2024-01-32", "2024-1-01",
        "2024-01-1", "24-01-01", "2024/01/01", "2024-01-01T00:00", "", "2024-01", "+024-01-01", "2024-+1-01",
        "2024-01-+1", "２０２４-01-01",
    ])
    func rejectsTextThatIsNoRealDate(text: String) {
        #expect(CalendarDate(parsing: text) == nil)
    }

    @Test(arguments: [
        (CalendarDate(year: 1970, month: 1, day: 1), 0),
        (CalendarDate(year: 1969, month: 12, day: 31), -1),
        (CalendarDate(year: 2000, month: 3, day: 1), 11017),
        (CalendarDate(year: 2024, month: 2, day: 29), 19782),
        (CalendarDate(year: 2038, month: 1, day: 19), 24855),
        (CalendarDate(year: 1900, month: 1, day: 1), -25567),
        (CalendarDate(year: 1600, month: 2, day: 29), -135_081),
    ])
    func countsDaysSinceTheEpoch(date: CalendarDate, days: Int) {
        #expect(date.daysSinceEpoch == days)
        #expect(CalendarDate(daysSinceEpoch: days) == date)
    }

    @Test func roundTripsEveryDayOverFourCenturies() {
        var mismatches: [Int] = []
        var previous = CalendarDate(daysSinceEpoch: -135_082)
        for days in -135_081...(11_000 + 146_097) {
            let date = CalendarDate(daysSinceEpoch: days)
            if date.daysSinceEpoch != days || !(previous < date) || CalendarDate(parsing: date.description) != date {
                mismatches.append(days)
            }
            previous = date
        }
        #expect(mismatches == [])
    }

    @Test(arguments: [
        (CalendarDate(year: 2024, month: 8, day: 31), "P6M", CalendarDate(year: 2025, month: 2, day: 28)),
        (CalendarDate(year: 2024, month: 1, day: 31), "P1M", CalendarDate(year: 2024, month: 2, day: 29)),
        (CalendarDate(year: 2024, month: 2, day: 29), "P1Y", CalendarDate(year: 2025, month: 2, day: 28)),
        (CalendarDate(year: 2024, month: 12, day: 15), "P30D", CalendarDate(year: 2025, month: 1, day: 14)),
        (CalendarDate(year: 2024, month: 11, day: 30), "P3M", CalendarDate(year: 2025, month: 2, day: 28)),
        (CalendarDate(year: 2025, month: 1, day: 31), "P1M1D", CalendarDate(year: 2025, month: 3, day: 1)),
        (CalendarDate(year: 2024, month: 3, day: 1), "P2W", CalendarDate(year: 2024, month: 3, day: 15)),
        (CalendarDate(year: 2024, month: 3, day: 1), "PT5M", CalendarDate(year: 2024, month: 3, day: 1)),
    ])
    func addsMonthsClampingTheDayThenDays(date: CalendarDate, duration: String, expected: CalendarDate) throws {
        let duration = try #require(CalendarDuration(parsing: duration))
        #expect(date.adding(duration) == expected)
    }

    @Test func ordersByYearMonthThenDay() {
        #expect(CalendarDate(year: 2024, month: 1, day: 31) < CalendarDate(year: 2024, month: 2, day: 1))
        #expect(CalendarDate(year: 2023, month: 12, day: 31) < CalendarDate(year: 2024, month: 1, day: 1))
        #expect(!(CalendarDate(year: 2024, month: 5, day: 5) < CalendarDate(year: 2024, month: 5, day: 5)))
    }
}

@Suite struct CalendarDurationTests {
    @Test(arguments: [
        ("P6M", CalendarDuration(months: 6)),
        ("P1Y", CalendarDuration(months: 12)),
        ("P30D", CalendarDuration(days: 30)),
        ("P2W", CalendarDuration(days: 14)),
        ("PT5M", CalendarDuration(seconds: 300)),
        ("PT1H", CalendarDuration(seconds: 3600)),
        ("PT45S", CalendarDuration(seconds: 45)),
        ("P1Y2M10DT2H30M", CalendarDuration(months: 14, days: 10, seconds: 9000)),
        (" P3M ", CalendarDuration(months: 3)),
        ("P0D", CalendarDuration()),
        ("30s", CalendarDuration(seconds: 30)),
        ("5m", CalendarDuration(seconds: 300)),
        ("1h", CalendarDuration(seconds: 3600)),
        ("30d", CalendarDuration(days: 30)),
        ("0s", CalendarDuration()),
    ])
    func parsesISOAndShortForms(text: String, expected: CalendarDuration) {
        #expect(CalendarDuration(parsing: text) == expected)
    }

    @Test(arguments: [
        "", "P", "PT", "P1", "PT1", "P1H", "PT1D", "PT1Y", "P1.5Y", "P-1M", "1y", "5M", "1H", "5", "m", "-5m", "5 m",
        "p6m", "PTT1H", "P1Y1", "5mins", "six months",
    ])
    func rejectsMalformedDurations(text: String) {
        #expect(CalendarDuration(parsing: text) == nil)
    }

    @Test(arguments: [
        (CalendarDuration(months: 6), "P6M"), (CalendarDuration(months: 24), "P2Y"), (CalendarDuration(days: 30), "P30D"),
        (CalendarDuration(seconds: 300), "PT300S"), (CalendarDuration(months: 14, days: 10, seconds: 9000), "P14M10DT9000S"),
        (CalendarDuration(), "PT0S"),
    ])
    func formatsAsISO(duration: CalendarDuration, text: String) {
        #expect(duration.description == text)
        #expect(CalendarDuration(parsing: text) == duration)
    }

    @Test func approximatesSecondsWithThirtyDayMonths() {
        #expect(CalendarDuration(months: 1, days: 2, seconds: 3).approximateSeconds == 30 * 86_400 + 2 * 86_400 + 3)
        #expect(CalendarDuration(seconds: 300).approximateSeconds == 300)
    }
}
