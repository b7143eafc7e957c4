import Foundation
import PackagePlugin

/// Generates `EmbeddedSeeds.swift` from the files under the package's `seeds/` folder, so the binary carries the
/// embedded default (SPEC §3) and the generated code can never drift from the files it comes from.
@main
struct EmbedSeedsPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let seeds = context.package.directoryURL.appending(path: "seeds")
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedSeedFiles.swift")
        var inputs: [URL] = []
        if let walker = FileManager.default.enumerator(at: seeds, includingPropertiesForKeys: [.isRegularFileKey]) {
            for case let url as URL in walker where (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true {
                inputs.append(url)
            }
        }
        inputs.sort { $0.path < $1.path }
        return [
            .buildCommand(
                displayName: "Embedding \(inputs.count) seed files",
                executable: try context.tool(named: "embed-seeds").url,
                arguments: [seeds.path, output.path],
                inputFiles: inputs,
                outputFiles: [output]
            )
        ]
    }
}
