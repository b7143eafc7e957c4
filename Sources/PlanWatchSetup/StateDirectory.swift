import Foundation
import PlanWatchStore

/// The state directory's layout (SPEC §3): the database, the inbox, and where files go after processing.
public struct StateDirectory: Sendable {
    public let path: String

    public init(_ path: String) {
        self.path = path
    }

    public var inbox: String { path + "/inbox" }
    public var processed: String { path + "/processed" }
    public var rejected: String { path + "/rejected" }

    /// Creates the directory if needed and opens the database the settings name.
    public static func openStore(_ configuration: Configuration) throws(StoreError) -> Store {
        let settings = configuration.settings
        let databasePath = settings.databasePath
        let folder = (databasePath as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw StoreError(
                .cannotOpen, path: databasePath,
                message:
                    "cannot create the state directory \(folder); create it with write access for this user, or pass --state-dir",
                underlying: error)
        }
        return try Store.open(path: databasePath)
    }

    /// Opens the database the settings name for reading only: no directory or file is created.
    public static func openStoreForReading(_ configuration: Configuration) throws(StoreError) -> Store {
        try Store.openReadOnly(path: configuration.settings.databasePath)
    }
}
