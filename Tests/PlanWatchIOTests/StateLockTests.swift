import Foundation
import Testing

@testable import PlanWatchSetup
@testable import PlanWatchHTTP
@testable import PlanWatchIngest
@testable import PlanWatchFetch
@testable import PlanWatchOutputs
@testable import PlanWatchDaemon

@Suite("State lock")
struct StateLockTests {
    @Test func aSecondAcquireFailsNamingTheHolderUntilTheFirstIsReleased() throws {
        let folder = FileManager.default.temporaryDirectory.appending(path: "planwatch-lock-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var first: StateLock? = try StateLock.acquire(stateDirectory: folder)
        let lockFile = folder + "/planwatch.lock"
        #expect(first?.path == lockFile)
        #expect(try String(contentsOfFile: lockFile, encoding: .utf8) == "\(getpid())\n")
        let mode = try FileManager.default.attributesOfItem(atPath: lockFile)[.posixPermissions] as? NSNumber
        #expect(mode.map { $0.intValue & 0o600 } == 0o600)

        // flock locks belong to open file descriptions, so a second open in this same process conflicts.
        #expect {
            _ = try StateLock.acquire(stateDirectory: folder)
        } throws: { error in
            let error = error as? StateLockError
            return error?.code == .held && error?.holder == getpid() && error?.subject == folder
                && error?.description == "another planwatch run (pid \(getpid())) is already using the state directory \(folder); stop it first (systemctl stop planwatch) or give this one another --state-dir"
        }

        first = nil
        let second = try StateLock.acquire(stateDirectory: folder)
        #expect(second.path == lockFile)
        #expect(try String(contentsOfFile: lockFile, encoding: .utf8) == "\(getpid())\n")
    }

    @Test func aStalePidInTheFileDoesNotBlock() throws {
        let folder = FileManager.default.temporaryDirectory.appending(path: "planwatch-lock-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Data("999999\nleft over by a crash\n".utf8).write(to: URL(fileURLWithPath: folder + "/planwatch.lock"))
        let lock = try StateLock.acquire(stateDirectory: folder)
        #expect(try String(contentsOfFile: lock.path, encoding: .utf8) == "\(getpid())\n")
    }

    @Test func theDatabaseLockIsBesideTheDatabaseAndRefusesAnotherHolderUnderAnySpelling() throws {
        let folder = FileManager.default.temporaryDirectory.appending(path: "planwatch-lock-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let database = folder + "/shared/planwatch.sqlite"
        let lockFile = database + ".lock"
        var first: StateLock? = try StateLock.acquire(database: database)
        #expect(first?.path == lockFile)
        #expect(try String(contentsOfFile: lockFile, encoding: .utf8) == "\(getpid())\n")

        // The same database through a link to its folder: the same lock, and the refusal names both paths.
        try FileManager.default.createSymbolicLink(atPath: folder + "/link", withDestinationPath: folder + "/shared")
        let linked = folder + "/link/planwatch.sqlite"
        #expect {
            _ = try StateLock.acquire(database: linked)
        } throws: { error in
            let error = error as? StateLockError
            return error?.code == .held && error?.holder == getpid() && error?.subject == linked
                && error?.description == """
                    another planwatch run (pid \(getpid())) is already using the database \(linked) \
                    (it holds \(lockFile)); stop it first (systemctl stop planwatch) or give this one a database \
                    of its own (database: in its settings)
                    """
        }
        // A state directory in the same folder is locked apart.
        _ = try StateLock.acquire(stateDirectory: folder + "/shared")

        first = nil
        #expect(try StateLock.acquire(database: linked).path == lockFile)
    }
}
