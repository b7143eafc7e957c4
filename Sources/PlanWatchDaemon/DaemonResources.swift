import Foundation
import PlanWatchCore
import PlanWatchIngest
import PlanWatchOutputs
import PlanWatchSetup
import PlanWatchStore

/// What the daemon works with, opened by one throwing factory before it starts and swapped whole on a reload: the
/// locks (one daemon per state directory and per database), the database and the file it is, the ingester, the
/// inbox and the alert log. Nothing is half-open: a daemon either has all of them or does not start.
struct DaemonResources {
    let stateLock: StateLock
    let databaseLock: StateLock
    let store: Store
    /// The database file's device and inode when opened: if the path stops naming them, the daemon would go on
    /// writing into a file nobody can read.
    let databaseIdentity: (device: UInt64, inode: UInt64)?
    let ingester: Ingester
    let inbox: Inbox
    let alertLog: AlertLog

    /// Takes the locks, opens (and migrates) the database, prepares the inbox and names the alert log.
    static func open(_ configuration: Configuration, now: @escaping @Sendable () -> Date) throws -> DaemonResources {
        let settings = configuration.settings
        let stateLock = try StateLock.acquire(stateDirectory: settings.stateDirectory)
        let databaseLock = try StateLock.acquire(database: settings.databasePath)
        let store = try StateDirectory.openStore(configuration)
        let inbox = Inbox(directories: StateDirectory(settings.stateDirectory), maxFileSize: settings.maxFileSize)
        try inbox.prepare()
        var info = stat()
        let identity = stat(settings.databasePath, &info) == 0 ? (UInt64(info.st_dev), UInt64(info.st_ino)) : nil
        return DaemonResources(
            stateLock: stateLock, databaseLock: databaseLock, store: store, databaseIdentity: identity,
            ingester: try Ingester(configuration: configuration, store: store, now: now), inbox: inbox,
            alertLog: AlertLog(path: settings.alertLogPath))
    }

    /// The resources for a reloaded configuration: the same locks, database and inbox folders; a new ingester
    /// (new catalogue and mappings), the inbox's new size limit, the alert log reopened or moved. Throws, leaving
    /// the running ones untouched, when the new configuration cannot be used.
    func reloaded(_ fresh: Configuration, now: @escaping @Sendable () -> Date) throws -> DaemonResources {
        let ingester = try Ingester(configuration: fresh, store: store, now: now)
        let path = fresh.settings.alertLogPath
        let log = path == alertLog.path ? alertLog : AlertLog(path: path)
        if path == alertLog.path { log.reopen() }
        return DaemonResources(
            stateLock: stateLock, databaseLock: databaseLock, store: store, databaseIdentity: databaseIdentity,
            ingester: ingester, inbox: Inbox(directories: inbox.directories, maxFileSize: fresh.settings.maxFileSize),
            alertLog: log)
    }
}
