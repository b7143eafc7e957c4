import Foundation
import Testing

@testable import PlanWatchCore

/// Issue 10's output rules on values: alert lines in the documented order, instants compared as instants,
/// sentences with one full stop, counts that agree with their nouns.
@Suite("output formats")
struct OutputFormatTests {
    @Test func anAlertLineHasTheDocumentedOrderAndTwelveDigitNumbers() throws {
        var alert = Alert(
            id: "a1", time: "2026-12-01T18:15:59.000Z", severity: .info, kind: .valueRevised, indicator: "gdp",
            region: "CN-AH", file: "gdp.csv", period: "2024", oldValue: 50625.0000000001, newValue: 50625.3,
            message: "gdp for CN-AH in 2024 revised.")
        #expect(alert.json == #"{"time":"2026-12-01T18:15:59.000Z","id":"a1","severity":"info","kind":"value_revised","plan":null,"target":null,"indicator":"gdp","region":"CN-AH","state":null,"previous_state":null,"as_of":null,"latest_period":null,"latest_value":null,"target_value":null,"pace_ratio":null,"projected_value":null,"file":"gdp.csv","period":"2024","old_value":50625,"new_value":50625.3,"message":"gdp for CN-AH in 2024 revised."}"#)
        alert.kind = .worse
        alert.file = nil
        alert.period = nil
        alert.oldValue = nil
        alert.newValue = nil
        alert.plan = "p"
        alert.target = "t"
        alert.state = .atRisk
        alert.previousState = .onTrack
        alert.paceRatio = 1.0600000000000005
        #expect(alert.json == #"{"time":"2026-12-01T18:15:59.000Z","id":"a1","severity":"info","kind":"worse","plan":"p","target":"t","indicator":"gdp","region":"CN-AH","state":"at_risk","previous_state":"on_track","as_of":null,"latest_period":null,"latest_value":null,"target_value":null,"pace_ratio":1.06,"projected_value":null,"message":"gdp for CN-AH in 2024 revised."}"#)
        let decoded = try JSONDecoder().decode(Alert.self, from: Data(alert.json.utf8))
        #expect(decoded.paceRatio == 1.06)
        #expect(decoded.previousState == .onTrack)
    }

    @Test func rfc3339TimesAreInstants() {
        let base = Instant.parseRFC3339("2026-12-01T18:15:59Z")
        #expect(base == 1_796_148_959)
        #expect(Instant.parseRFC3339("2026-12-01T18:15:59.000Z") == base)
        #expect(Instant.parseRFC3339("2026-12-01T19:15:59+01:00") == base)
        #expect(Instant.parseRFC3339("2026-12-01t13:15:59-05:00") == base)
        #expect(Instant.parseRFC3339("2026-12-01 18:15:59z") == base)
        #expect(Instant.parseRFC3339("2026-12-01T18:15:59.25Z") == 1_796_148_959.25)
        for bad in ["2026-12-01", "2026-12-01T18:15:59", "2026-12-01T18:15:59+0100", "2026-12-01T24:00:00Z", "2026-02-30T00:00:00Z", "2026-12-01T18:15:59.Z", "2026-12-01T18:15:59Zx"] {
            #expect(Instant.parseRFC3339(bad) == nil, "\(bad)")
        }
    }

    @Test func sinceTakesDatesAndSpansBackFromNow() {
        let now = 1_796_148_959.0
        #expect(Instant.parseSince("2026-12-01", now: now) == 1_796_083_200)
        #expect(Instant.parseSince("2h", now: now) == now - 7_200)
        #expect(Instant.parseSince("90m", now: now) == now - 5_400)
        #expect(Instant.parseSince("30s", now: now) == now - 30)
        #expect(Instant.parseSince("7d", now: now) == now - 604_800)
        #expect(Instant.parseSince("2w", now: now) == now - 1_209_600)
        for bad in ["2026-12-01xyz", "h", "2", "-2h", "+2h", "2y", "2 h", "", "２h"] {
            #expect(Instant.parseSince(bad, now: now) == nil, "\(bad)")
        }
    }

    @Test func sentencesEndInOneFullStopAndCountsAgree() {
        #expect(sentence("gdp.csv was rejected") == "gdp.csv was rejected.")
        #expect(sentence("Stale: due by 2026-04-30..") == "Stale: due by 2026-04-30.")
        #expect(sentence("did you mean 'plans'?") == "did you mean 'plans'?")
        #expect(counted(1, "problem") == "1 problem")
        #expect(counted(0, "problem") == "0 problems")
        #expect(counted(2, "missing value") == "2 missing values")
        #expect(counted(1, "entry", "entries") == "1 entry")
        #expect(counted(3, "entry", "entries") == "3 entries")
    }
}

@Suite("numbers for people")
struct PeopleNumberTests {
    @Test func smallNumbersKeepTwoSignificantDigits() {
        #expect(formatForPeople(0.0009999999) == "0.001")
        #expect(formatForPeople(0.000012) == "0.000012")
        #expect(formatForPeople(-0.05) == "-0.05")
        #expect(formatForPeople(0.099) == "0.099")
        #expect(formatForPeople(0) == "0")
        #expect(formatForPeople(1.234) == "1.23")
        #expect(formatForPeople(12345.6) == "12,346")
        #expect(formatForPeople(-0.001) == "-0.001")
    }
}
