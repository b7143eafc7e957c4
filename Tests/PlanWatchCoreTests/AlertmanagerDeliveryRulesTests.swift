import Testing

@testable import PlanWatchCore

@Suite("Alertmanager delivery rules")
struct AlertmanagerDeliveryRulesTests {
    @Test(arguments: [200, 202, 204])
    func aSuccessAcceptsTheBatch(status: Int) {
        #expect(AlertmanagerDelivery.verdict(status: status) == .accepted)
    }

    @Test(arguments: [400, 422])
    func onlyAnAnswerThatCallsThePayloadInvalidDropsIt(status: Int) {
        #expect(AlertmanagerDelivery.verdict(status: status) == .invalidPayload)
    }

    /// A proxy's 404 or 502 while Alertmanager restarts, a 401/403 until credentials are fixed, a 408, 413 or 429,
    /// any 5xx, a redirect, an unknown code: nothing says the payload is wrong, so nothing is dropped.
    @Test(arguments: [
        0, 100, 301, 302, 307, 401, 403, 404, 405, 408, 409, 410, 413, 415, 429, 499, 500, 502, 503, 504, 599,
    ])
    func everyOtherAnswerIsRetried(status: Int) {
        #expect(AlertmanagerDelivery.verdict(status: status) == .retry)
    }

    @Test func aFailedBatchWaitsTwoSecondsDoublingToFiveMinutes() {
        let delays = (0...10).map { AlertmanagerDelivery.retryDelay(attempts: $0) }
        #expect(delays == [2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300])
        #expect(AlertmanagerDelivery.retryDelay(attempts: 1_000_000) == 300)
    }

    @Test func aOneShotAlertEndsAnHourAfterItIsSentNotAfterItHappened() {
        // Sent three hours late, after an outage: still firing for an hour from then, so Alertmanager notifies.
        #expect(AlertmanagerDelivery.oneShotEnd(sentAt: 1_700_010_800) == 1_700_014_400)
    }
}
