import Foundation
import PlanWatchCore

/// The seed plans, catalogues and data compiled into the binary (SPEC §3's embedded default).
public enum EmbeddedSeeds {
    /// How embedded files are named in messages.
    public static let displayRoot = "<embedded seeds>"

    /// Every seed file by its path relative to `seeds/`.
    public static let files: [String: [UInt8]] = {
        var files: [String: [UInt8]] = [:]
        for entry in embeddedSeedFiles {
            files[entry.path] = Data(base64Encoded: entry.base64).map { [UInt8]($0) } ?? []
        }
        return files
    }()

    /// The files under `folder` (e.g. `plans.d`) whose names end with one of `extensions`, sorted by path.
    public static func files(in folder: String, extensions: [String]) -> [ConfigFile] {
        files.keys.sorted().compactMap { path in
            guard path.hasPrefix(folder + "/"), !path.dropFirst(folder.count + 1).contains("/"),
                extensions.contains(where: { path.hasSuffix($0) })
            else { return nil }
            return ConfigFile(path: displayRoot + "/" + path, bytes: files[path]!)
        }
    }
}
