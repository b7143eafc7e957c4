import Foundation
import PlanWatchCore
import PlanWatchStore
import Prometheus
import PlanWatchSetup
import PlanWatchHTTP

/// The metrics file for node_exporter's textfile collector (`metrics.textfile`): every target's state and numbers,
/// the ingest totals, when the daemon last ingested and evaluated, and the alerts not yet delivered. Built with
/// swift-prometheus (its registry and text exposition), written aside and renamed, so node_exporter never reads
/// half a file.
public enum MetricsFile {
    /// The exposition text of `evaluations` and `totals`, with `pending` alerts waiting for delivery.
    public static func render(
        evaluations: [Evaluation], totals: IngestTotals, evaluatedAt: Date?, pending: Int64
    ) -> [UInt8] {
        let registry = PrometheusCollectorRegistry()
        for evaluation in evaluations {
            let labels = [
                ("plan", evaluation.plan), ("target", evaluation.target), ("region", evaluation.region),
                ("indicator", evaluation.indicator),
            ]
            for state in TargetState.judged {
                registry.makeGauge(
                    descriptor: described(
                        "planwatch_target_state", "1 for the target's current state, 0 for the others"),
                    labels: labels + [("state", state.rawValue)]
                )
                    .set(evaluation.state == state ? 1.0 : 0.0)
            }
            registry.makeGauge(
                descriptor: described(
                    "planwatch_target_stale", "1 when the target's next figure is overdue (beside its state), else 0"),
                labels: labels
            ).set(evaluation.stale ? 1.0 : 0.0)
            let numbers: [(String, String, Double?)] = [
                (
                    "planwatch_target_pace_ratio", "Actual pace over required pace (1 = exactly on the path)",
                    evaluation.paceRatio
                ),
                (
                    "planwatch_target_latest_value", "The latest value of the target's series, in the indicator's unit",
                    evaluation.latestValue
                ),
                (
                    "planwatch_target_latest_period_year",
                    "The time of the latest value's period (2024, 2024.5 for mid-2024)",
                    evaluation.latestPeriod.flatMap(Period.init(parsing:))?.time
                ),
                (
                    "planwatch_target_value", "The target value (for a target relative to another series: absent)",
                    evaluation.targetValue
                ),
                (
                    "planwatch_target_projected_value",
                    "The least-squares projection of the target's own series at the deadline", evaluation.projectedValue
                ),
                (
                    "planwatch_target_projected_reference",
                    "For a target relative to another series: that series projected at the deadline",
                    evaluation.projectedReference
                ),
                (
                    "planwatch_target_time_elapsed_ratio",
                    "The share of the time from the baseline to the deadline that has passed", evaluation.timeElapsed
                ),
                (
                    "planwatch_target_distance_covered_ratio",
                    "The share of the distance from the baseline to the target covered", evaluation.distanceCovered
                ),
                (
                    "planwatch_target_deadline_year", "The time of the deadline period",
                    Period(parsing: evaluation.deadline)?.time
                ),
            ]
            for (name, help, value) in numbers {
                guard let value, value.isFinite else { continue }
                registry.makeGauge(descriptor: described(name, help), labels: labels).set(value)
            }
        }
        for (outcome, count) in totals.files.sorted(by: { $0.key < $1.key }) {
            registry.makeCounter(
                descriptor: described("planwatch_files_total", "Files processed, by outcome"),
                labels: [("outcome", outcome)]
            ).increment(by: count)
        }
        for (outcome, count) in totals.rows.sorted(by: { $0.key < $1.key }) {
            registry.makeCounter(
                descriptor: described("planwatch_rows_total", "Rows of processed files, by outcome"),
                labels: [("outcome", outcome)]
            ).increment(by: count)
        }
        if let last = totals.lastIngest.flatMap(Instant.parseRFC3339) {
            registry.makeGauge(
                descriptor: described(
                    "planwatch_last_ingest_timestamp_seconds", "When the newest file was received (Unix time)")
            ).set(last)
        }
        if let evaluatedAt {
            registry.makeGauge(
                descriptor: described(
                    "planwatch_last_evaluation_timestamp_seconds", "When the targets were last evaluated (Unix time)")
            )
                .set(evaluatedAt.timeIntervalSince1970)
        }
        registry.makeGauge(
            descriptor: described(
                "planwatch_alerts_pending", "Alerts recorded but not yet delivered (alert log and Alertmanager)")
        ).set(Double(pending))
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return buffer
    }

    /// A metric's full name and help text.
    private static func described(_ name: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
    }

    /// Writes `bytes` to `path` through a temporary file beside it and a rename; readable by all (0644), as
    /// node_exporter runs as its own user.
    public static func write(_ bytes: [UInt8], to path: String) throws {
        do {
            try AtomicFile.write(bytes, to: path, mode: 0o644)
        } catch {
            throw Failure(path: path, reason: error.reason)
        }
    }

    public struct Failure: Error, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String {
            "cannot write the metrics file \(path): \(reason); give the planwatch user write access to its folder (node_exporter's textfile directory)"
        }
    }
}
