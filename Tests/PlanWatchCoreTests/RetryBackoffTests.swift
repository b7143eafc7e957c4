import Testing

@testable import PlanWatchCore

@Suite("RetryBackoff")
struct RetryBackoffTests {
    @Test func theAlertLogRetryWaitsOneSecondDoublingToAMinuteAndStartsOverAfterASuccess() {
        var backoff = RetryBackoff(first: 1, longest: 60)
        #expect((1...9).map { _ in backoff.failed() } == [1, 2, 4, 8, 16, 32, 60, 60, 60])
        #expect(backoff.failures == 9)
        backoff.succeeded()
        #expect(backoff.failed() == 1)
        var long = RetryBackoff(first: 1, longest: 60)
        for _ in 0..<100 { _ = long.failed() }
        #expect(long.failed() == 60, "no overflow after many failures")
    }
}
