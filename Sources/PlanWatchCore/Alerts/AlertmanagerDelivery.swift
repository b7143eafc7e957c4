/// The rules of delivery to Alertmanager, pure so they are tested without a server: what an answer means for the
/// batch it answers, when a failed batch is tried again, and until when a one-shot alert is announced.
public enum AlertmanagerDelivery {
    /// What the sender does with a batch after Alertmanager (or whatever answers at its address) replied.
    public enum Verdict: Sendable, Equatable {
        /// 2xx: Alertmanager stored the alerts.
        case accepted
        /// 400 or 422: Alertmanager says the payload itself is invalid, and would say so of every re-send. The
        /// sender logs the whole payload, then drops it, so no alert leaves without a trace.
        case invalidPayload
        /// Any other answer: a proxy's 404 or 502 while Alertmanager restarts, a 401 until a password is fixed, a
        /// 429, a 5xx, a redirect. Nothing says the payload is wrong, so the batch waits in the outbox and is sent
        /// again; dropping it would lose one-shot alerts for good.
        case retry
    }

    /// The verdict on an HTTP status.
    public static func verdict(status: Int) -> Verdict {
        switch status {
        case 200..<300: .accepted
        case 400, 422: .invalidPayload
        default: .retry
        }
    }

    /// Seconds before a batch that failed `attempts` times before this failure is sent again: 2 s, doubling, at
    /// most 5 minutes.
    public static func retryDelay(attempts: Int) -> Double {
        min(300, Double(1 << min(attempts + 1, 9)))
    }

    /// How long a one-shot (data) alert is announced as firing.
    public static let oneShotLifetime: Double = 3600

    /// When a one-shot alert sent at `sentAt` (seconds since 1970) ends: an hour after it is delivered, not after
    /// it happened. An alert that reaches Alertmanager already ended (after an outage of more than an hour) is
    /// stored as resolved and notifies nobody, which would drop it silently.
    public static func oneShotEnd(sentAt: Double) -> Double {
        sentAt + oneShotLifetime
    }
}
