import Foundation
import PlanWatchCore
import PlanWatchStore

/// `planwatch demo`: the embedded seed plans and data, ingested into a fresh temporary state directory.
public struct DemoRun: Sendable {
    public var directory: String
    public var reports: [IngestReport]
    public var configuration: Configuration

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
        return DemoRun(directory: directory, reports: reports, configuration: configuration)
    }

    /// What the demo shows.
    public var text: String {
        var lines = ["planwatch demo — embedded seed plans and data, state in \(directory)", ""]
        lines += reports.map(\.text)
        let planSet = configuration.planSet
        lines.append("")
        lines.append("\(planSet.plans.count) plans, \(planSet.targets.count) targets:")
        for plan in planSet.plans {
            lines.append("  \(plan.id): \(plan.title)")
            for target in plan.targets {
                lines.append("    \(target.id) [\(target.kind.name)] \(target.indicator) \(target.region) by \(target.kind.deadline)")
            }
        }
        return lines.joined(separator: "\n")
    }
}
