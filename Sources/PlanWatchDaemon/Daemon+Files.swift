import Foundation
import Logging
import PlanWatchCore
import PlanWatchIngest
import PlanWatchOutputs
import PlanWatchSetup
import PlanWatchStore

/// The daemon's inbox work: each entry ingested, refused or unpacked, moved where it belongs, and what a crash
/// left between those steps finished at the restart.
extension Daemon {
    /// Finishes what a crash left between a file's transaction and its move: rows whose file has left the inbox
    /// are marked done; those still there are finished when the file is processed (its content is recognized).
    func recoverMoves() {
        do {
            for pending in try store.pendingFiles() where !exists(pending.name) {
                try store.finishMove(pending.id, movedTo: nil)
            }
            for pending in try store.pendingRefusals() where !exists(pending.name) {
                try store.finishRefusal(pending.id, movedTo: nil)
            }
        } catch {
            logger.error("cannot finish the moves a crash left: \(error)")
        }
    }

    func exists(_ name: String) -> Bool {
        var info = stat()
        return lstat(inbox.directories.inbox + "/" + name, &info) == 0
    }

    /// Logs alerts a previous run stored but did not log (a crash between the two).
    func recoverAlerts() {
        publish()
    }

    func rescan() {
        for bytes in inbox.invalidNames() {
            if queue.isStopping { return }
            refuseInvalidName(bytes)
        }
        for name in inbox.waiting() {
            if queue.isStopping { return }
            process(name)
        }
    }

    /// Ingests one inbox entry, moves it where it belongs, logs its data alerts, and when it changed data has the
    /// targets judged once the inbox settles (`settling`). Each
    /// step after the file's transaction is driven by what that transaction stored (SPEC §7): the rows, the file
    /// row marked `pending_move`, its alerts and reports commit together; the move comes next, then the mark. A
    /// crash in between is finished at the restart, never ingested, recorded or alerted twice.
    func process(_ name: String) {
        let path = inbox.directories.inbox + "/" + name
        do {
            switch inbox.examine(name) {
            case .gone:
                return
            case .refused(let reason, let device, let inode):
                try refuse(name, reason: reason, device: device, inode: inode)
            case .file(let file):
                defer { file.close() }
                if name.lowercased().hasSuffix(".zip") {
                    try unpack(name, file)
                    return
                }
                let queue = self.queue
                let heartbeat = self.heartbeat
                let report = try ingester.ingest(file: file, name: name, fromInbox: true, interrupted: {
                    heartbeat.beat()
                    return queue.isStopping
                })
                let safe = terminalSafe(name)
                CrashPoint.reach("ingested")
                switch report.outcome {
                case .valid, .invalid:
                    return  // dry-run verdicts: the daemon never dry-runs
                case .interrupted:
                    logger.notice("interrupted while ingesting \(safe); rolled back, it stays in the inbox")
                    return
                case .ingested, .duplicate:
                    let moved = try inbox.moveToProcessed(name, day: EvaluationRunner.today(now()), file: file)
                    CrashPoint.reach("moved")
                    if let id = report.recordID { try store.finishMove(id, movedTo: moved) }
                    if report.resumed {
                        logger.debug("\(safe): finished after a restart; moved to \(terminalSafe(moved))")
                    } else if report.outcome == .duplicate {
                        logger.warning(
                            "\(safe) stored nothing: its content is that of \(terminalSafe(report.duplicateOf ?? "an earlier file")); moved to \(terminalSafe(moved))"
                        )
                    } else if report.counts.inserted + report.counts.revised + report.counts.deleted > 0 {
                        let counts = report.counts
                        let source = report.source.map { " (fetched for source \(terminalSafe($0)))" } ?? ""
                        logger.notice(
                            "ingested \(safe)\(source): \(counted(counts.inserted + counts.revised, "value")), \(counts.revised) revised; moved to \(terminalSafe(moved))"
                        )
                    } else {
                        let counts = report.counts
                        let why = counts.rows == 0 ? "it has no data rows"
                            : counts.older > 0 && counts.unchanged == 0
                                ? "every value is of an older vintage than the one stored (kept in the history)"
                                : counts.skipped == counts.rows
                                    ? "none of its series is in the catalogue (not tracked: \(report.unmapped.prefix(3).joined(separator: ", "))\(report.unmapped.count > 3 ? ", …" : ""); map such codes under mapping: in the plans)"
                            : "every value equals the one stored (\(counted(counts.unchanged, "value")) unchanged)"
                        logger.warning("\(safe) stored nothing: \(why); moved to \(terminalSafe(moved))")
                    }
                case .rejected:
                    let stored =
                        report.storedReport ?? (String(decoding: report.jsonData(), as: UTF8.self), report.text)
                    let moved = try inbox.moveToRejected(
                        name, json: Data(stored.json.utf8), text: stored.text, file: file)
                    CrashPoint.reach("moved")
                    if let id = report.recordID { try store.finishMove(id, movedTo: moved) }
                    logger.warning(
                        "rejected \(safe): \(report.resumed ? "finished after a restart" : counted(report.problemCount, "problem")); moved to \(terminalSafe(moved))"
                    )
                }
                // Data alerts (a rejection, a revision) describe the file and go out at once; the targets are
                // judged when the inbox has settled (`settling`), so their alerts describe the whole batch.
                publish()
                let counts = report.counts
                let stored = counts.inserted + counts.revised + counts.deleted > 0
                let changed = report.outcome == .ingested && !report.resumed && stored
                settling.finishedFile(at: now().timeIntervalSince1970, changedData: changed)
                writeMetrics()
            }
        } catch {
            logger.error(
                "cannot process \(terminalSafe(path)): \(terminalSafe("\(error)")); it stays in the inbox and is tried again at the next rescan"
            )
        }
        notifier.notify("STATUS=\(summary)")
    }

    /// Moves an entry whose name is not valid UTF-8 to `rejected/` under a safe name (invalid bytes as `%XX`),
    /// with reports that give the original bytes and, when they read as GB18030, the name they mean.
    func refuseInvalidName(_ bytes: [UInt8]) {
        let safe = Inbox.safeName(bytes)
        var info = stat()
        let path = (Array((inbox.directories.inbox + "/").utf8) + bytes + [0]).map { CChar(bitPattern: $0) }
        guard lstat(path, &info) == 0 else { return }
        let hex = bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }
            .joined(separator: " ")
        let meant = GB18030Decoder.text(bytes).map { "; read as GBK/GB18030 it is '\(terminalSafe($0))'" } ?? ""
        let reason =
            "the file name is not valid UTF-8 (bytes \(hex)\(meant)); it was moved here as '\(terminalSafe(safe))'. Give it a UTF-8 name (convmv -f gbk -t utf-8 --notest NAME, or rename it before copying it from Windows) and drop it again"
        do {
            let id = try recordRefusal(safe, reason: reason, device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
            let moved = try inbox.moveInvalidName(
                bytes, json: Daemon.refusalReport(safe, reason).jsonData(),
                text: "\(terminalSafe(safe)): refused: \(reason)")
            try store.finishRefusal(id, movedTo: moved)
            logger.warning("refused \(terminalSafe(safe)): \(reason); moved to \(terminalSafe(moved))")
        } catch {
            logger.error("cannot move the entry named with bytes \(hex) out of the inbox: \(terminalSafe("\(error)"))")
        }
        publish()
    }

    /// The refusal of this entry as recorded before a crash, or a new one with its alert; returns its id.
    func recordRefusal(_ name: String, reason: String, device: UInt64, inode: UInt64) throws(StoreError) -> Int64 {
        if let pending = try store.pendingRefusal(name: name, device: device, inode: inode) { return pending.id }
        return try store.recordRefusal(
            name: name, device: device, inode: inode, reason: reason, at: now(),
            alerts: ingester.dataAlerts(Daemon.refusalReport(name, reason), revisions: []))
    }

    static func refusalReport(_ name: String, _ reason: String) -> IngestReport {
        var report = IngestReport.empty(name, dryRun: false)
        report.problems = [IngestProblem(row: 0, line: 0, message: reason)]
        report.problemCount = 1
        return report
    }

    /// Records a refused entry with its alert (once, even across a crash), moves it to `rejected/` with its
    /// reports, and logs the alert at once.
    func refuse(_ name: String, reason: String, device: UInt64, inode: UInt64) throws {
        let id = try recordRefusal(name, reason: reason, device: device, inode: inode)
        let report = Daemon.refusalReport(name, reason)
        CrashPoint.reach("refusal-recorded")
        let moved = try inbox.moveToRejected(
            name, json: report.jsonData(), text: "\(terminalSafe(name)): refused: \(reason)")
        CrashPoint.reach("moved")
        try store.finishRefusal(id, movedTo: moved)
        logger.warning("refused \(terminalSafe(name)): \(reason); moved to \(terminalSafe(moved))")
        publish()
    }

    /// A zip in the inbox, one unit (`InboxArchive`): checked whole and every CSV member inflated aside before any
    /// goes into the inbox as a file of its own (`ARCHIVE--MEMBER.csv`, then ingested like any drop); the archive
    /// goes to processed/. One that is damaged, forged or too large is refused to rejected/, alone.
    func unpack(_ name: String, _ file: OpenedFile) throws {
        let safe = terminalSafe(name)
        let archive = try InboxArchive(inbox: inbox.directories.inbox, name: name, file: file)
        let limits = ZipMembers.Limits(
            bytes: configuration.settings.maxFileSize, members: configuration.settings.maxArchiveMembers)
        do {
            let outcome = try archive.unpack(file, limits: limits)
            let moved = try inbox.moveToProcessed(name, day: EvaluationRunner.today(now()), file: file)
            CrashPoint.reach("archive-moved")
            archive.finish()
            let skipped =
                outcome.skipped.isEmpty ? "" : "; skipped \(outcome.skipped.map(terminalSafe).joined(separator: "; "))"
            let what = outcome.resumed ? "finished unpacking \(safe) after a restart" : "unpacked \(safe)"
            logger.notice(
                "\(what): \(counted(outcome.members.count, "CSV member")) into the inbox\(skipped); moved to \(terminalSafe(moved))"
            )
            for member in outcome.members { queue.post(.file(member)) }
        } catch let failure as ZipMembers.Failure {
            try refuse(name, reason: failure.description, device: archive.device, inode: archive.inode)
        }
    }
}
