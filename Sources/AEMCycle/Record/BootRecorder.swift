import AEMCore
import Foundation

/// `record`'s work, at every AEM boot: this boot's DRTM log (proven to be
/// this boot's by the live PCRs), the PCRs, and the SHA-256 and command
/// line of every module of GRUB's entry with whether it reproduces the log,
/// saved under /var/lib/aem-reseal/boots/<boot time>/. Later predictions
/// use it as evidence of what this boot measured.
public struct BootRecorder {
    public var context: BootContext

    public init(_ context: BootContext) {
        self.context = context
    }

    var system: SystemSelection { context.system }

    /// The newest records kept.
    public static let kept = 5

    /// Where the record went, the log's source, and what it says of the modules.
    public struct Recorded {
        public var folder: String
        public var logSource: String
        public var note: String
        /// Files of GRUB's entry that changed on /boot after this boot
        /// began (an update before `record` ran): recorded as not this
        /// boot's, so they vouch for nothing and prove no model.
        public var changedSinceBoot: [String]
        /// Files of GRUB's entry that were on /boot as the boot began yet
        /// do not reproduce its log: the model does not fit them.
        public var notReproducing: [String]
    }

    /// Records this boot: its log (refused when the live PCRs show it is
    /// not this boot's), PCRs, modules and the snapshot of /boot.
    public func record() throws(CycleError) -> Recorded {
        let layout = system.layout
        guard let stamp = try context.bootTime() else {
            throw .badInput("\(layout.procStat) names no boot time")
        }
        let (currentLog, pcrs) = try thisBootsLog()
        let settings = try context.grubSettings()
        var found = recordedModules(of: currentLog.log, settings: settings, bootTime: stamp)

        let folder = layout.bootRecords + "/\(stamp)"
        // Read while AEM's cache is there (the record unit runs before AEM's
        // seal service, which removes it); a later record keeps the answer.
        var srkPasswordEmpty = try SRKPassword.cachedPasswordIsEmpty(layout)
        if srkPasswordEmpty == nil { srkPasswordEmpty = try context.bootRecord()?.srkPasswordEmpty }
        let record = BootRecord(
            bootTime: stamp, recordedAt: Date(), logSource: currentLog.source, logFile: "drtm.log",
            entryTitle: found.entryTitle, modules: found.modules, mle: found.mle, droppedModules: found.dropped,
            pcrs: pcrs, xenVersion: layout.runningXenVersion(), kernelRelease: layout.runningKernelRelease(),
            srkPasswordEmpty: srkPasswordEmpty, bootedCommandLines: try context.bootedCommandLines())
        do {
            try DurableFiles.folder(folder).write("drtm.log", currentLog.bytes, mode: 0o600)
            try record.save(in: folder)
            found.note += "\n  " + (try snapshotBootFiles(in: folder, bootTime: stamp))
        } catch let error as CycleError {
            throw error
        } catch {
            throw .writeFailed("writing the boot record: \(error)")
        }
        try pruneRecords()
        return Recorded(
            folder: folder, logSource: currentLog.source, note: found.note, changedSinceBoot: found.changedSinceBoot,
            notReproducing: found.notReproducing)
    }

    /// This boot's DRTM log from a live source (a record is evidence of
    /// this boot, not a copy of an older one), proven this boot's by the
    /// live PCRs when they can be read; and those PCRs.
    private func thisBootsLog() throws(CycleError) -> (CurrentBootLog, PCRValues?) {
        let currentLog: CurrentBootLog
        let locator = try context.currentBootLogLocator()
        do {
            currentLog = try locator.locate()
        } catch {
            throw .badInput(error.description)
        }
        guard !currentLog.source.hasPrefix("boot record") else {
            throw .badInput("no live DRTM log for this boot (only an older record); nothing to record")
        }
        let pcrs = try PredictionSession.readLivePCRs(context, seal: Array(0...23)).0
        if let pcrs {
            let problems = LiveReplayCheck.problems(
                log: currentLog.log, replayed: EventLogReplay.replay(currentLog.log), live: pcrs)
            guard problems.isEmpty else {
                throw .checkFailed(
                    "\(currentLog.source) is not this boot's DRTM log; nothing was recorded:\n  "
                        + problems.map(\.text).joined(separator: "\n  "))
            }
        }
        return (currentLog, pcrs)
    }

    /// What the record says of GRUB's entry's files.
    private struct RecordedFiles {
        var modules: [RecordedModule] = []
        var mle: RecordedModule?
        var dropped: [RecordedModule]?
        var entryTitle: String?
        var note: String
        var changedSinceBoot: [String] = []
        var notReproducing: [String] = []
    }

    /// The modules of GRUB's entry as they are on /boot during this boot,
    /// with whether they reproduce the log. One that does not and changed
    /// on /boot after the boot began (an update before `record` ran) is not
    /// this boot's file: recorded with no verdict (`reproducedLog` nil), so
    /// it is no evidence of what booted; one that does not and is older
    /// than the boot means the model does not fit. Without an entry or a
    /// prediction the log is still recorded, and the note says why the
    /// modules are not.
    private func recordedModules(of log: EventLog, settings: GrubEvaluationSettings, bootTime: Int64)
        -> RecordedFiles
    {
        let grub: GrubConfiguration
        let entry: GrubBootEntry
        do {
            (grub, entry) = try PredictionSession.loadBootEntry(system, settings: settings)
        } catch {
            return RecordedFiles(note: "modules: not recorded (\(error.description))")
        }
        var found = RecordedFiles(entryTitle: entry.titlePath, note: "")
        let predictor = Predictor(
            log: log, entry: entry, partition: grub.partition, livePCRs: nil, sealPCRs: [], evidence: BootEvidence(),
            searchesBootedFiles: false)
        let prediction: Prediction
        do {
            prediction = try predictor.predict()
        } catch {
            found.note = "modules: not recorded (\(error.description))"
            return found
        }
        let failingModules = prediction.modules.filter { !$0.sameAsCurrentBoot }.map(\.image.grubPath)
        found.changedSinceBoot = failingModules.filter {
            Self.changedSince(bootTime, $0, in: grub.partition)
        }
        found.modules = prediction.modules.map {
            RecordedModule(
                path: $0.image.grubPath, fileSHA256: $0.image.fileDigest.hex, commandLine: $0.commandLine,
                reproducedLog: found.changedSinceBoot.contains($0.image.grubPath) ? nil : $0.sameAsCurrentBoot)
        }
        found.dropped = prediction.droppedModules.map {
            RecordedModule(path: $0.grubPath, fileSHA256: $0.fileDigest.hex, commandLine: "", reproducedLog: nil)
        }
        found.mle = prediction.mle.map {
            RecordedModule(
                path: $0.path, fileSHA256: $0.fileSHA256.hex, commandLine: $0.commandLine,
                reproducedLog: $0.sameAsCurrentBoot)
        }
        found.notReproducing =
            failingModules.filter { !found.changedSinceBoot.contains($0) }
            + (prediction.mle.map { $0.sameAsCurrentBoot ? [] : [$0.path + " (the MLE measurement)"] } ?? [])
        found.note = "modules: \(found.modules.count) recorded"
        if found.changedSinceBoot.isEmpty && found.notReproducing.isEmpty {
            found.note += " (they reproduce the log)"
        }
        return found
    }

    /// Whether the file at `grubPath` changed (its inode's change time,
    /// which no program sets) at or after `bootTime`: then it is not the
    /// file this boot measured.
    private static func changedSince(_ bootTime: Int64, _ grubPath: String, in partition: BootPartition) -> Bool {
        do {
            return Int64(try partition.open(grubPath, limit: .max).status.st_ctim.tv_sec) >= bootTime
        } catch {
            return false  // the prediction just read it: if it cannot be opened now, the log's verdict stands
        }
    }

    /// The snapshot of /boot as this proven boot began, taken once per
    /// boot (a later `record` in the same boot keeps the first: files
    /// written since are what it tells apart), and the ledger of earlier
    /// boots' writes pruned of files that changed while the machine was off.
    private func snapshotBootFiles(in folder: String, bootTime: Int64) throws -> String {
        let layout = system.layout
        if let kept = try BootFileSnapshot.load(in: folder) {
            return "/boot: \(kept.files.count) files as at this boot's first record (kept)"
        }
        let partition = try bootPartition()
        let snapshot = BootFileSnapshot.take(of: partition, bootTime: bootTime)
        try snapshot.save(in: folder)
        if let ledger = try WrittenFilesLedger.loadForUpdate(from: layout.writtenFilesLedger) {
            var next = ledger.pruned(atStartOf: snapshot)
            let held = next
            let sources = ProvenanceSources(layout: layout)
            next.files.merge(
                ledger.grubWrites(atStartOf: snapshot, on: partition, settings: try context.grubSettings()) { file in
                    guard let path = file.partitionPath else { return false }
                    return held.files[path]?.sha256 == file.sha256.hex || sources.packaged(file)
                }
            ) { $1 }
            try next.save(to: layout.writtenFilesLedger)
        }
        let unknown = snapshot.unknownCount
        return "/boot: \(snapshot.files.count) files as this boot begins"
            + (unknown == 0
                ? "" : "; \(unknown) file(s) or folder(s) unknown (over a bound or unreadable): never vouched for")
    }

    /// Keeps the newest `kept` records.
    private func pruneRecords() throws(CycleError) {
        let layout = system.layout
        let folders: [String]
        do {
            folders = try BootRecord.folders(in: layout)
        } catch {
            throw .unreadable(.bootRecords, path: layout.bootRecords, detail: "\(error)")
        }
        do {
            for old in folders.dropFirst(Self.kept) { try DurableFiles.removeTree(old) }
        } catch {
            throw .writeFailed("removing old boot records: \(error)")
        }
    }

    /// /boot, opened for its snapshot.
    private func bootPartition() throws(CycleError) -> BootPartition {
        do {
            return try BootPartition(path: system.layout.bootDirectory)
        } catch {
            throw .badInput("reading /boot for its snapshot: \(error)")
        }
    }

    /// `record --shutdown`, as dom0 stops: the files on /boot that changed
    /// since this boot's snapshot were written while this proven dom0 ran,
    /// and enter the ledger that later boots vouch with.
    public func recordShutdown() throws(CycleError) -> String {
        let layout = system.layout
        guard let stamp = try context.bootTime() else {
            throw .badInput("\(layout.procStat) names no boot time")
        }
        let folder = layout.bootRecords + "/\(stamp)"
        let start: BootFileSnapshot?
        let record = try context.bootRecord()
        do {
            start = record == nil ? nil : try BootFileSnapshot.load(in: folder)
        } catch {
            throw .unreadable(.bootSnapshot, path: folder + "/" + BootFileSnapshot.fileName, detail: "\(error)")
        }
        guard let start else {
            return "no proven record of this boot's start: what dom0 wrote to /boot during it is not vouched for"
        }
        let partition = try bootPartition()
        let end = BootFileSnapshot.take(of: partition, bootTime: stamp, reusing: start)
        do {
            let ledger = try WrittenFilesLedger.loadForUpdate(from: layout.writtenFilesLedger) ?? WrittenFilesLedger()
            let next = ledger.recording(boot: start, end: end).keepingEnvironmentBlocks(writtenIn: stamp, on: partition)
            try next.save(to: layout.writtenFilesLedger)
            let written = next.files.filter { $0.value.writtenInBoot == stamp }.map(\.key.shown).sorted()
            return "written during this boot and kept for later vouching: "
                + (written.isEmpty ? "nothing" : written.joined(separator: ", "))
        } catch {
            throw .writeFailed("updating \(layout.writtenFilesLedger): \(error)")
        }
    }
}
