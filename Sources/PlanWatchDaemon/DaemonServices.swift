import Foundation
import Logging
import ServiceLifecycle
import UnixSignals
import PlanWatchSetup
import PlanWatchIngest
import PlanWatchOutputs

/// Runs the daemon's work loop on its own thread as a service; graceful shutdown (SIGTERM) tells systemd
/// `STOPPING=1` and asks the loop to stop, rolling back a file in progress.
public struct DaemonService: Service {
    public let daemon: Daemon

    public struct Failed: Error, CustomStringConvertible {
        public var status: Int32
        public var description: String { "the daemon stopped with status \(status)" }
    }

    public init(daemon: Daemon) {
        self.daemon = daemon
    }

    public func run() async throws {
        let daemon = self.daemon
        let status = await withGracefulShutdownHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Int32, Never>) in
                let thread = Thread { continuation.resume(returning: daemon.run()) }
                thread.name = "planwatch-work"
                thread.start()
            }
        } onGracefulShutdown: {
            daemon.notifier.notify("STOPPING=1")
            daemon.queue.post(.stop)
        }
        if status != 0 { throw Failed(status: status) }
    }
}

/// Turns `SIGHUP` into a reload and `SIGUSR1` into reopening the alert log (logrotate).
public struct SignalService: Service {
    public let queue: WorkQueue

    public init(queue: WorkQueue) {
        self.queue = queue
    }

    public func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup, .sigusr1)
        for await signal in signals.cancelOnGracefulShutdown() {
            switch signal {
            case .sighup: queue.post(.reload)
            case .sigusr1: queue.post(.reopenLog)
            default: break
            }
        }
    }
}

/// Runs the daemon under a service group that shuts down gracefully on SIGTERM and SIGINT; returns the exit
/// status (0 after a clean stop).
public func runDaemon(configuration: Configuration, options: RuntimeOptions, logger: Logger) async -> Int32 {
    let daemon: Daemon
    do {
        daemon = try Daemon(configuration: configuration, options: options, logger: logger)
    } catch {
        logger.critical("cannot start: \(error)")
        return Daemon.exitStatus(startingAfter: error)
    }
    let group = ServiceGroup(configuration: ServiceGroupConfiguration(
        services: [
                .init(
                    service: DaemonService(daemon: daemon), successTerminationBehavior: .gracefullyShutdownGroup,
                    failureTerminationBehavior: .gracefullyShutdownGroup),
                .init(
                    service: SignalService(queue: daemon.queue), successTerminationBehavior: .ignore,
                    failureTerminationBehavior: .ignore),
        ],
        gracefulShutdownSignals: [.sigterm, .sigint],
        logger: logger))
    do {
        try await group.run()
        return 0
    } catch let error as DaemonService.Failed {
        return error.status
    } catch {
        logger.error("\(error)")
        return 1
    }
}
