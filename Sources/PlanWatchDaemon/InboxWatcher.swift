import Foundation
import PlanWatchSetup
import PlanWatchIngest
import PlanWatchOutputs

#if canImport(Glibc)
    import Glibc
#endif

/// Watches the inbox with inotify on a thread of its own (a blocking `poll`, never on the cooperative pool) and
/// posts a `.file` event for every name closed after writing or renamed in (and for links, folders and devices
/// as they appear, so they are refused at once), and `.rescan` when the kernel's queue overflowed.
public final class InboxWatcher: @unchecked Sendable {
    private let directory: String
    private let queue: WorkQueue
    private var inotify: Int32 = -1
    private var wakeRead: Int32 = -1
    private var wakeWrite: Int32 = -1
    private var thread: Thread?

    public struct WatchError: Error, CustomStringConvertible {
        public var description: String
    }

    public init(directory: String, queue: WorkQueue) {
        self.directory = directory
        self.queue = queue
    }

    /// Starts watching; throws when inotify cannot watch the directory.
    public func start() throws {
        inotify = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard inotify >= 0 else {
            throw WatchError(description: "inotify_init1 failed: \(String(cString: strerror(errno)))")
        }
        // IN_CREATE only matters for entries that are not regular files (links, folders, devices) and hard links:
        // they never raise IN_CLOSE_WRITE, and are refused at once. A regular file is taken when closed after writing.
        let mask = UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_Q_OVERFLOW)
        guard inotify_add_watch(inotify, directory, mask) >= 0 else {
            throw WatchError(
                description:
                    "cannot watch the inbox \(directory): \(String(cString: strerror(errno))); check that it exists and is readable"
            )
        }
        var pipes: [Int32] = [0, 0]
        guard pipe(&pipes) == 0 else {
            throw WatchError(description: "pipe failed: \(String(cString: strerror(errno)))")
        }
        wakeRead = pipes[0]
        wakeWrite = pipes[1]
        for fd in pipes { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        let thread = Thread { [self] in loop() }
        thread.name = "planwatch-inotify"
        self.thread = thread
        thread.start()
    }

    /// Stops the thread and closes the descriptors.
    public func stop() {
        guard wakeWrite >= 0 else { return }
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
    }

    /// A regular file with one link: one being written, taken when closed. A hard link made into the inbox
    /// raises IN_CREATE and never IN_CLOSE_WRITE, so it is looked at (and refused) at once.
    private func isFileBeingWritten(_ name: String) -> Bool {
        var info = stat()
        return lstat(directory + "/" + name, &info) == 0 && info.st_mode & S_IFMT == S_IFREG && info.st_nlink == 1
    }

    private func loop() {
        defer {
            close(inotify)
            close(wakeRead)
            close(wakeWrite)
        }
        let size = 64 * 1024
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 8)
        defer { buffer.deallocate() }
        while true {
            var fds = [
                pollfd(fd: inotify, events: Int16(POLLIN), revents: 0),
                pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0),
            ]
            let ready = poll(&fds, 2, -1)
            if ready < 0 {
                if errno == EINTR { continue }
                queue.post(.rescan)
                return
            }
            if fds[1].revents != 0 { return }
            let count = read(inotify, buffer, size)
            guard count > 0 else { continue }
            var offset = 0
            while offset + MemoryLayout<inotify_event>.size <= count {
                let event = buffer.load(fromByteOffset: offset, as: inotify_event.self)
                let nameStart = buffer.advanced(by: offset + MemoryLayout<inotify_event>.size)
                if event.mask & UInt32(IN_Q_OVERFLOW) != 0 {
                    queue.post(.rescan)
                } else if event.len > 0 {
                    let bytes = UnsafeRawBufferPointer(start: nameStart, count: Int(event.len)).prefix { $0 != 0 }
                    if let name = String(validating: bytes, as: UTF8.self) {
                        if event.mask & UInt32(IN_CREATE) == 0 || !isFileBeingWritten(name) { queue.post(.file(name)) }
                    } else if event.mask & UInt32(IN_CREATE) == 0 {
                        // Not UTF-8 (a GBK name): the rescan reads names as bytes and moves it aside.
                        queue.post(.rescan)
                    }
                }
                offset += MemoryLayout<inotify_event>.size + Int(event.len)
            }
        }
    }
}
