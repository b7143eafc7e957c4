import ArgumentParser
import Foundation
import PlanWatchSetup
import PlanWatchHTTP
import PlanWatchIngest
import PlanWatchFetch
import PlanWatchOutputs
import PlanWatchDaemon

/// Values the shell completes (`planwatch --generate-completion-script bash|zsh|fish`): plan and target ids from
/// the configuration the command line names (`--config`, else `$PLANWATCH_CONFIG` and the defaults), and the
/// severities.
enum Completions {
    static let severities = CompletionKind.list(["info", "warning", "critical"])
    static let plans = CompletionKind.custom { words, _, prefix in ids(words, prefix) { $0.planSet.plans.map(\.id) } }
    static let targets = CompletionKind.custom { words, _, prefix in ids(words, prefix) { $0.planSet.targets.map(\.target.id) } }

    private static func ids(_ words: [String], _ prefix: String, _ pick: (Configuration) -> [String]) -> [String] {
        var config: String?
        for (index, word) in words.enumerated() {
            if word == "--config", index + 1 < words.count { config = words[index + 1] }
            if word.hasPrefix("--config=") { config = String(word.dropFirst("--config=".count)) }
        }
        let options = RuntimeOptions(config: config, stateDirectory: nil, logDirectory: nil, environment: ProcessInfo.processInfo.environment)
        guard let configuration = try? Configuration.load(options) else { return [] }
        return pick(configuration).filter { $0.hasPrefix(prefix) }.sorted()
    }
}
