import Foundation
import PlanWatchCore
import PlanWatchStore

/// `planwatch demo`: the embedded seed plans and data, ingested into a fresh temporary state directory.
public struct DemoRun: Sendable {
    public var directory: String
    public var reports: [IngestReport]
    public var configuration: Configuration
    public var evaluations: [Evaluation]

    /// Creates the directory, writes the seed CSV files into it and ingests them as a user would.
    public static func run() throws -> DemoRun {
        var template = Array((NSTemporaryDirectory() + "/planwatch-demo-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            throw StoreError(.cannotOpen, path: NSTemporaryDirectory(), message: "cannot create a temporary directory")
        }
        let directory = String(cString: made)
        var configuration = try Configuration.loadEmbedded()
        configuration.settings.stateDirectory = directory
        configuration.settings.logDirectory = directory
        let store = try StateDirectory.openStore(configuration)
        let ingester = try Ingester(configuration: configuration, store: store)
        let data = directory + "/seed-data"
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        var reports: [IngestReport] = []
        for path in EmbeddedSeeds.files.keys.sorted() where path.hasPrefix("data/") && path.hasSuffix(".csv") {
            let file = data + "/" + (path as NSString).lastPathComponent
            try Data(EmbeddedSeeds.files[path]!).write(to: URL(fileURLWithPath: file))
            reports.append(try ingester.ingest(path: file, name: "seeds/" + path))
        }
        let evaluations = try EvaluationRunner(configuration: configuration, store: store).evaluate(asOf: EvaluationRunner.today())
        return DemoRun(directory: directory, reports: reports, configuration: configuration, evaluations: evaluations)
    }

    /// What the demo shows: the ingest reports, then the status table.
    public func text(color: Bool) -> String {
        var lines = ["planwatch demo — embedded seed plans and data, state in \(directory)", ""]
        lines += reports.map(\.text)
        lines.append("")
        lines.append(StatusTable(evaluations: evaluations, plans: configuration.planSet.plans, color: color).text)
        return lines.joined(separator: "\n")
    }
}
