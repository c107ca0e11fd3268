import Foundation
import SystemPackage

/// Predicts the DRTM PCR values of the next boot: the current boot's log
/// replayed with tboot's module measurements recomputed from the files GRUB
/// will load now. SINIT's events and tboot's policy event are carried over
/// unchanged; PCRs the launch does not touch (PCR 13: the LUKS header) keep
/// their live values.
public struct Predictor: Sendable {
    public var log: EventLog
    public var entry: GrubBootEntry
    /// Where the entry's files are read, as GRUB reads them.
    public var partition: BootPartition
    public var livePCRs: PCRValues?
    public var sealPCRs: [UInt32]
    public var evidence: BootEvidence
    public var maximumModuleSize: Int
    /// Called while modules are read: path, bytes read, file size.
    public var progress: (@Sendable (String, Int, Int) -> Void)?
    /// Whether the other files beside a module (`ModuleAlternatives`) are
    /// searched for the booted one when nothing else says what changed.
    public var searchesBootedFiles: Bool
    /// The flow `BootFlows.detect` found in `log`, when the caller already
    /// looked (so that it is detected once per run); nil: detected here.
    public var detectedFlow: (flow: any BootFlow, layout: LaunchMeasurementLayout)?
    /// What reading and decompressing the entry's files (and searching
    /// /boot for the booted ones) may cost this prediction at most.
    public var budget: WorkBudget

    public init(
        log: EventLog, entry: GrubBootEntry, partition: BootPartition, livePCRs: PCRValues?, sealPCRs: [UInt32],
        evidence: BootEvidence, maximumModuleSize: Int = 2 << 30, searchesBootedFiles: Bool = true,
        budget: WorkBudget = .prediction()
    ) {
        self.budget = budget
        self.log = log
        self.entry = entry
        self.partition = partition
        self.livePCRs = livePCRs
        self.sealPCRs = sealPCRs
        self.evidence = evidence
        self.maximumModuleSize = maximumModuleSize
        self.searchesBootedFiles = searchesBootedFiles
    }

    /// Opens a file of the entry on the boot partition.
    private func open(_ grubPath: String, limit: Int) throws(PredictionError) -> OpenedFile {
        guard BootPartition.relativePath(grubPath) != nil else { throw .badModulePath(grubPath) }
        do {
            return try partition.open(grubPath, limit: limit)
        } catch {
            throw .moduleLoad(ModuleLoadError(path: grubPath, reason: .access(error)))
        }
    }

    /// The other files that could stand in place of the file at `partitionPath`.
    private func alternatives(_ partitionPath: FilePath?) -> [FilePath] {
        guard searchesBootedFiles, let partitionPath else { return [] }
        return ModuleAlternatives.beside(partitionPath, in: partition)
    }

    /// The prediction in steps, each returning data: the flow the log and
    /// the entry agree on, the modules loaded, each measured into its event,
    /// the MLE measured, the log replayed with those substitutions, then the
    /// self-check. What differs between flows is the flow's to say.
    public func predict() throws(PredictionError) -> Prediction {
        let (flow, layout) = try detectFlow()
        let loaded = try loadModules(flow: flow, layout: layout)
        let moduleEvents = Self.moduleEvents(count: loaded.measured.count, logged: layout.moduleEvents, flow: flow)
        let (modules, moduleSubstitutions) = measureModules(
            loaded, events: moduleEvents, loggedCount: layout.moduleEvents.count, flow: flow)

        let mleEvents = flow.mleEvents(in: log)
        let mleEntryEvents = flow.mleEntryEvents(in: log)
        let tboot = try predictMLE(flow: flow, events: mleEvents, entryEvents: mleEntryEvents)
        let substitutions = moduleSubstitutions.merging(
            tboot.map { Self.mleSubstitutions($0, events: mleEvents, entryEvents: mleEntryEvents) } ?? [:]
        ) { $1 }

        let replayed = EventLogReplay.replay(log)
        let (current, next) = replayNext(
            substitutions: substitutions, moduleEvents: moduleEvents, logged: layout.moduleEvents,
            measuredCount: loaded.measured.count, replayed: replayed)
        // What no file predicts is left out: nothing may be sealed to it.
        let predicted = next.restricted(
            to: Set(next.banks.flatMap { next.pcrs(in: $0) }).subtracting(flow.unpredictablePCRs.keys))
        let selfCheck = check(
            replayed: replayed, modules: modules, moduleEvents: moduleEvents,
            loggedModuleCount: layout.moduleEvents.count, tboot: tboot, mleEvents: mleEvents.map(\.sequence),
            mleEntry: mleEntryEvents, dropped: loaded.dropped)
        let neverExtended = flow.neverExtendedPCRs(in: sealPCRs)
        let warnings: [PredictionWarning] =
            neverExtended.isEmpty ? [] : [.sealNamesNeverExtendedPCRs(neverExtended, flow: flow.name)]
        return Prediction(
            flow: flow, entry: entry, modules: modules, tboot: tboot, droppedModules: loaded.dropped,
            sealPCRs: sealPCRs, current: current, replayed: replayed, predicted: predicted, selfCheck: selfCheck,
            warnings: warnings, booted: evidence.booted)
    }

    // MARK: Steps

    /// The flow the log follows, which the entry's launcher must match.
    private func detectFlow() throws(PredictionError) -> (any BootFlow, LaunchMeasurementLayout) {
        guard let (flow, layout) = detectedFlow ?? BootFlows.detect(in: log) else {
            throw .unknownFlow(tbootEventPCRs: BootFlows.tbootEvents(in: log).map(\.pcr))
        }
        // The log and the entry must describe the same kind of launch.
        guard let launcher = entry.launcher, launcher == flow.launcher else {
            throw .launcherMismatch(
                flow: flow.name, logLauncher: flow.launcher, entry: entry.titlePath, entryLauncher: entry.launcher)
        }
        return (flow, layout)
    }

    /// The entry's files as GRUB loads them: the modules the launcher
    /// measures, and those it does not (dropped by tboot, or TrenchBoot's
    /// `slaunch_module`, measured by the launch itself).
    struct LoadedModules {
        var loader: ModuleImageLoader
        var measured: [(GrubBootEntry.Module, LoadedModuleImage)] = []
        var dropped: [LoadedModuleImage] = []
    }

    /// Loads every module, hashing only the banks the module events carry.
    private func loadModules(flow: any BootFlow, layout: LaunchMeasurementLayout) throws(PredictionError)
        -> LoadedModules
    {
        let moduleBanks = Set(layout.moduleEvents.flatMap(\.banks))
        var loaded = LoadedModules(
            loader: ModuleImageLoader(
                banks: log.computableBanks.filter(moduleBanks.contains), maximumLoadedSize: maximumModuleSize,
                budget: budget))
        for module in entry.modules {
            let image = try load(module, position: loaded.measured.count, loader: loaded.loader)
            if flow.dropsBeforeMeasuring(image) {
                loaded.dropped.append(image)
            } else {
                loaded.measured.append((module, image))
            }
        }
        for module in entry.launchModules {
            let file = try open(module.path, limit: maximumModuleSize)
            do {
                loaded.dropped.append(try loaded.loader.load(file, grubPath: module.path, noUnzip: true))
            } catch {
                throw .moduleLoad(error)
            }
        }
        return loaded
    }

    /// One module. Incremental: a module the boot record proved (same path
    /// and command line, reproduced the log at boot) is confirmed by its
    /// stored file's SHA-256 alone and its logged measurement reused; only
    /// other modules are decompressed. The record lists measured modules in
    /// order: this one, if measured, takes `position`.
    private func load(_ module: GrubBootEntry.Module, position: Int, loader: ModuleImageLoader)
        throws(PredictionError) -> LoadedModuleImage
    {
        let file = try open(module.path, limit: maximumModuleSize)
        do {
            let report = progress.map { callback in
                { @Sendable (done: Int, total: Int) in callback(module.path, done, total) }
            }
            let proven = evidence.recordedModules.flatMap { position < $0.count ? $0[position] : nil }
                .flatMap {
                    $0.path == module.path && $0.commandLine == module.commandLine && $0.reproducedLog == true
                        ? $0 : nil
                }
            let quick = try proven.map { _ throws(ModuleLoadError) in
                try loader.fingerprint(file, grubPath: module.path, noUnzip: module.noUnzip, progress: report)
            }
            if let quick, quick.fileDigest.hex == proven?.fileSHA256 { return quick }
            return try loader.load(file, grubPath: module.path, noUnzip: module.noUnzip, progress: report)
        } catch {
            throw .moduleLoad(error)
        }
    }

    /// The launcher extends one event per measured module, in order: a
    /// module added to the entry gets a new event after the last one (on the
    /// PCR the flow gives its position), a removed one loses its event. Such
    /// a new shape is predicted but cannot be proven (self-check).
    static func moduleEvents(count: Int, logged: [MeasurementEvent], flow: any BootFlow) -> [MeasurementEvent] {
        (0..<count).map { index -> MeasurementEvent in
            guard index >= logged.count else { return logged[index] }
            var added = logged[logged.count - 1]
            added.sequence = -1 - index
            added.pcr = flow.modulePCR(index: index)
            return added
        }
    }

    /// Each module's measurement recomputed in the banks its event uses,
    /// with the evidence of whether it changed; and the events to replace.
    private func measureModules(
        _ loaded: LoadedModules, events moduleEvents: [MeasurementEvent], loggedCount: Int, flow: any BootFlow
    ) -> ([PredictedModule], [Int: MeasurementEvent]) {
        var modules = [PredictedModule]()
        var substitutions = [Int: MeasurementEvent]()
        let search = BootedFileSearch(
            partition: partition, loader: loaded.loader,
            measure: { [flow] in flow.moduleMeasurement(commandLine: $0, imageDigest: $1) })
        for (index, (module, image)) in loaded.measured.enumerated() {
            let event = moduleEvents[index]
            let commandLine = module.commandLine
            let predicted = event.digests.map { old -> Digest in
                guard let imageDigest = image.imageDigests[old.algorithm] else { return old }
                return flow.moduleMeasurement(commandLine: commandLine, imageDigest: imageDigest)
            }
            var replacement = event
            replacement.digests = predicted
            substitutions[event.sequence] = replacement

            let recorded = evidence.recordedModules.flatMap { index < $0.count ? $0[index] : nil }
            let reproduces = predicted == event.digests
            var bootedFile: LoadedModuleImage?
            if recorded == nil, !reproduces {
                bootedFile = search.find(
                    among: alternatives(image.partitionPath), noUnzip: module.noUnzip, commandLine: commandLine,
                    logged: event.digests)
            }
            let role = ModuleRole(index: index, launcher: flow.launcher)
            let verdict = ModuleChangeVerdict(
                role: role, recorded: recorded,
                bootedCommandLine: role == .xen
                    ? evidence.booted.xen : role == .dom0Kernel ? evidence.booted.dom0 : nil,
                measuresCommandLine: flow.measuresModuleCommandLines,
                tbootCommandLine: evidence.tbootCommandLines.flatMap { index < $0.count ? $0[index] : nil },
                reproducesLog: reproduces, bootedFile: bootedFile)
            modules.append(
                PredictedModule(
                    index: index, role: role, image: image,
                    commandLine: commandLine, pcr: event.pcr,
                    predicted: predicted, current: index < loggedCount ? event.digests : [],
                    imageChange: verdict.image(image), commandLineChange: verdict.commandLine(commandLine),
                    bootedFile: bootedFile?.grubPath, samePathAsBooted: verdict.samePath(image),
                    bootRecordReproduced: recorded?.reproducedLog == true))
        }
        return (modules, substitutions)
    }

    /// The MLE (tboot, or Xen under TrenchBoot) as the launch will measure it.
    private func predictMLE(flow: any BootFlow, events: [MeasurementEvent], entryEvents: [MeasurementEvent])
        throws(PredictionError) -> PredictedTboot?
    {
        var tboot = try predictTboot(
            launcher: flow.launcher, mleEvents: events, needsEntryPoint: !entryEvents.isEmpty,
            commandLine: flow.mleMeasuresCommandLine ? GrubLoaderCommandLine.join(entry.kernelArguments) : "")
        tboot?.pcrs = Set(events.map(\.pcr))
        return tboot
    }

    /// The MLE's events with the predicted measurement (and, on AMD, the
    /// entry point the SKL measures).
    static func mleSubstitutions(
        _ tboot: PredictedTboot, events: [MeasurementEvent], entryEvents: [MeasurementEvent]
    ) -> [Int: MeasurementEvent] {
        var substitutions = [Int: MeasurementEvent]()
        if let entryPoint = tboot.entryPoint {
            for event in entryEvents {
                var replacement = event
                replacement.digests = entryDigests(entryPoint, like: event.digests)
                substitutions[event.sequence] = replacement
            }
        }
        for event in events {
            var replacement = event
            replacement.digests = event.digests.map { old in
                tboot.predicted.first { $0.algorithm == old.algorithm } ?? old
            }
            substitutions[event.sequence] = replacement
        }
        return substitutions
    }

    /// The next boot's log (this one's, substituted, with modules added or
    /// removed) replayed; the PCRs outside the launch (13 and below) keep
    /// their live values, in the banks the log records. Returns this boot's
    /// values (live where read) and the next boot's.
    private func replayNext(
        substitutions: [Int: MeasurementEvent], moduleEvents: [MeasurementEvent], logged: [MeasurementEvent],
        measuredCount: Int, replayed: PCRValues
    ) -> (current: PCRValues, predicted: PCRValues) {
        let removed = Set(logged.dropFirst(measuredCount).map(\.sequence))
        let lastKept = logged.prefix(measuredCount).last?.sequence
        var nextEvents = [MeasurementEvent]()
        for event in log.events where !removed.contains(event.sequence) {
            nextEvents.append(substitutions[event.sequence] ?? event)
            if event.sequence == lastKept {
                nextEvents += moduleEvents.dropFirst(logged.count).map { substitutions[$0.sequence] ?? $0 }
            }
        }
        var predicted = EventLogReplay.replay(nextEvents, of: log)
        var current = replayed
        if let livePCRs {
            for bank in livePCRs.banks where replayed.banks.contains(bank) {
                for pcr in livePCRs.pcrs(in: bank) {
                    current[bank, pcr] = livePCRs[bank, pcr]
                    if !EventLogReplay.dynamicPCRs.contains(pcr) { predicted[bank, pcr] = livePCRs[bank, pcr] }
                }
            }
        }
        return (current, predicted)
    }

    // MARK: tboot

    /// SINIT's MLE measurement (event 0x404) of the entry's tboot, with
    /// the evidence that proves the model on this machine: the entry's tboot
    /// reproduces the logged value, or another tboot on /boot does (the
    /// booted one), or the boot record shows the model reproduced it at
    /// boot. Nil when the log has no MLE event. A file and command line the
    /// boot record saw reproduce this boot's measurement are not measured
    /// again (one SHA-256 of the stored file), unless `needsEntryPoint`
    /// (AMD's SKL measures the MLE header's entry point too).
    private func predictTboot(
        launcher: DynamicLaunchLoader, mleEvents: [MeasurementEvent], needsEntryPoint: Bool, commandLine: String
    ) throws(PredictionError) -> PredictedTboot? {
        guard let logged = mleEvents.first?.digests else { return nil }
        let path = entry.kernelPath
        let banks = logged.map(\.algorithm)
        guard BootPartition.relativePath(path) != nil else { throw .badModulePath(path) }
        let stored: [UInt8]
        let partitionPath: FilePath?
        let measured: TbootMLEMeasurement.Measured
        do {
            let file = try partition.open(path, limit: TbootMLEMeasurement.maximumFileSize)
            partitionPath = file.pathInRoot
            stored = try file.readAll()
        } catch {
            throw .tbootMeasurement(path: path, .unreadable(error))
        }
        do {
            try budget.spend(TbootMLEMeasurement.maximumCost(ofFile: stored.count), on: path)
        } catch {
            throw .budgetSpent(error)
        }
        let fileSHA256 = HashAlgorithm.sha256.hash(stored)
        if !needsEntryPoint, let recorded = evidence.recordedTboot, recorded.reproducedLog == true,
            recorded.fileSHA256 == fileSHA256.hex, recorded.commandLine == commandLine
        {
            return PredictedTboot(
                launcher: launcher, path: path, partitionPath: partitionPath, commandLine: commandLine,
                fileSHA256: fileSHA256, predicted: logged, current: logged,
                change: ChangeFinding(
                    state: .unchanged, rung: .bootRecord,
                    evidence: "same file and command line as recorded at boot, where they reproduced this boot's "
                        + "MLE measurement"),
                bootedFile: nil, entryPoint: nil, bootedEntryPoint: nil, chosenAsBooted: recorded.path == path)
        }
        do {
            measured = try TbootMLEMeasurement.measure(ofFile: stored, commandLine: commandLine, banks: banks)
        } catch {
            throw .tbootMeasurement(path: path, error)
        }
        let predicted = logged.map { measured.digests[$0.algorithm] ?? $0 }
        let verdict = mleVerdict(
            launcher: launcher, path: path, partitionPath: partitionPath, commandLine: commandLine,
            fileSHA256: fileSHA256, predicted: predicted, logged: logged)
        return PredictedTboot(
            launcher: launcher, path: path, partitionPath: partitionPath, commandLine: commandLine,
            fileSHA256: fileSHA256, predicted: predicted, current: logged, change: verdict.change,
            bootedFile: verdict.bootedFile, entryPoint: measured.entryPoint,
            bootedEntryPoint: verdict.bootedEntryPoint, chosenAsBooted: verdict.chosenAsBooted)
    }

    /// What the evidence ladder says of the MLE: changed or not, on what
    /// evidence, and the booted file when one on /boot proves the model.
    private struct MLEVerdict {
        var change: ChangeFinding
        /// Whether GRUB chose it as at this boot: the same path and command line.
        var chosenAsBooted: Bool?
        var bootedFile: String?
        var bootedEntryPoint: UInt32?
    }

    /// The ladder, in order: the logged measurement, the booted file still
    /// on /boot, the boot record; else unknown.
    private func mleVerdict(
        launcher: DynamicLaunchLoader, path: String, partitionPath: FilePath?, commandLine: String,
        fileSHA256: Digest, predicted: [Digest], logged: [Digest]
    ) -> MLEVerdict {
        if predicted == logged {
            return MLEVerdict(
                change: ChangeFinding(
                    state: .unchanged, rung: .loggedMeasurement,
                    evidence: "it recomputes to the MLE measurement \(launcher.mleMeasurer) logged at this boot"),
                chosenAsBooted: true)
        }
        let searchBudget = WorkBudget(bytes: BootedFileSearch.maximumBytes, within: budget)
        if let (booted, bootedMeasured) = alternatives(partitionPath).lazy
            .compactMap({ candidate in
                measurement(reproducing: logged, file: candidate, commandLine: commandLine, budget: searchBudget)
                    .map { (candidate.shown, $0) }
            })
            .first
        {
            return MLEVerdict(
                change: ChangeFinding(
                    state: .changed, rung: .bootedFileOnBoot,
                    evidence:
                        "\(launcher.mleMeasurer) measured \(booted) at this boot, still on /boot; \(path) is another "
                        + launcher.mleName),
                chosenAsBooted: false, bootedFile: booted, bootedEntryPoint: bootedMeasured.entryPoint)
        }
        if let recorded = evidence.recordedTboot, recorded.reproducedLog == true {
            let same = recorded.fileSHA256 == fileSHA256.hex && recorded.commandLine == commandLine
            return MLEVerdict(
                change: same
                    ? ChangeFinding(
                        state: .unchanged, rung: .bootRecord, evidence: "same file and command line as recorded at boot"
                    )
                    : ChangeFinding(
                        state: .changed, rung: .bootRecord,
                        evidence: "another file or command line than the \(launcher.mleName) recorded at boot, whose "
                            + "MLE measurement the model reproduced"),
                chosenAsBooted: recorded.path == path && recorded.commandLine == commandLine)
        }
        return MLEVerdict(
            change: ChangeFinding(
                state: .unknown, rung: .none,
                evidence:
                    "it does not recompute to this boot's MLE measurement, no other \(launcher.mleName) on /boot does, "
                    + "and no boot record shows the model reproduced it"),
            chosenAsBooted: nil)
    }

    /// The measurement of an MLE file (a path inside the partition), with
    /// `commandLine`, when it recomputes to `logged` in every bank: a file
    /// that cannot be measured does not, nor any once `budget` is spent
    /// (each try costs at most `TbootMLEMeasurement.maximumCost`).
    private func measurement(
        reproducing logged: [Digest], file: FilePath, commandLine: String, budget: WorkBudget
    ) -> TbootMLEMeasurement.Measured? {
        // A candidate that cannot be opened, read or measured is not the booted MLE.
        guard let opened = try? partition.directory.openFile(file, limit: TbootMLEMeasurement.maximumFileSize),
            // budget spent: no more tries
            (try? budget.spend(TbootMLEMeasurement.maximumCost(ofFile: opened.size), on: file.shown)) != nil,
            let stored = try? opened.readAll(),  // (not the booted MLE)
            let measured = try? TbootMLEMeasurement.measure(  // (not the booted MLE)
                ofFile: stored, commandLine: commandLine, banks: logged.map(\.algorithm)),
            !logged.isEmpty, logged.allSatisfy({ measured.digests[$0.algorithm] == $0 })
        else { return nil }
        return measured
    }

    /// The "DLME entry offset" measurement of `entryPoint` in the banks of `logged`.
    static func entryDigests(_ entryPoint: UInt32, like logged: [Digest]) -> [Digest] {
        let bytes = (0..<4).map { UInt8((entryPoint >> (8 * $0)) & 0xFF) }
        return logged.map { $0.algorithm.isAvailable ? $0.algorithm.hash(bytes) : $0 }
    }

    // MARK: Self-check

    private func check(
        replayed: PCRValues, modules: [PredictedModule], moduleEvents: [MeasurementEvent], loggedModuleCount: Int,
        tboot: PredictedTboot?, mleEvents: [Int], mleEntry: [MeasurementEvent], dropped: [LoadedModuleImage]
    ) -> SelfCheck {
        var problems = [SelfCheckProblem]()
        // (a) The log replays to the live PCRs.
        if let livePCRs { problems += LiveReplayCheck.problems(log: log, replayed: replayed, live: livePCRs) }
        // (b) Each module, and the MLE, as the evidence calls them.
        problems += moduleProblems(modules, events: moduleEvents)
        if let tboot { problems += mleProblems(tboot, events: mleEvents, entryEvents: mleEntry) }
        // (c) What cannot be predicted at all is refused, saying what changed.
        problems += shapeProblems(
            modules, events: moduleEvents, loggedModuleCount: loggedModuleCount, dropped: dropped)

        // A module whose recomputed measurement reproduces the log, or whose
        // booted file was found on /boot, proves the model.
        let verified = modules.filter(\.provesModel).map(\.index)
        let status: SelfCheck.Status
        if !problems.isEmpty {
            status = .mismatch
        } else if livePCRs == nil {
            status = .unavailable
        } else if verified.isEmpty {
            status = .unconfirmed
        } else {
            status = .ok
        }
        return SelfCheck(status: status, problems: problems, verifiedModules: verified)
    }

    /// Unchanged modules recompute to their logged measurement; tboot
    /// printed the exact string it hashed, so a command line the boot
    /// record calls unchanged, or one that reproduces the logged
    /// measurement, must equal it.
    private func moduleProblems(_ modules: [PredictedModule], events moduleEvents: [MeasurementEvent])
        -> [SelfCheckProblem]
    {
        var problems = [SelfCheckProblem]()
        for module in modules where !module.changed && !module.sameAsCurrentBoot {
            for (old, new) in zip(module.current, module.predicted) where old != new {
                problems.append(
                    .unchangedModuleDiffers(
                        SelfCheckProblem.UnchangedModuleMismatch(
                            module: module.reference, logged: old, recomputed: new, imageChange: module.imageChange,
                            commandLineChange: module.commandLineChange, compression: module.image.compression,
                            event: moduleEvents[module.index].sequence)))
            }
        }
        if let seen = evidence.tbootCommandLines {
            for module in modules where module.commandLineChange.state == .unchanged || module.sameAsCurrentBoot {
                if module.index < seen.count, seen[module.index] != module.commandLine {
                    problems.append(
                        .commandLineDisagreesWithTboot(
                            module.reference, printed: seen[module.index], computed: module.commandLine,
                            reproducesLog: module.sameAsCurrentBoot))
                }
            }
        }
        return problems
    }

    /// The MLE's measurement must be proven, never assumed; on AMD the
    /// entry point the SKL measures follows the same rule on the file this
    /// boot measured (the entry's, or the booted one).
    private func mleProblems(_ tboot: PredictedTboot, events mleEvents: [Int], entryEvents mleEntry: [MeasurementEvent])
        -> [SelfCheckProblem]
    {
        var problems = [SelfCheckProblem]()
        if tboot.change.state == .unchanged, !tboot.sameAsCurrentBoot {
            problems.append(
                .unchangedMLEDiffers(
                    launcher: tboot.launcher, path: tboot.path, logged: tboot.current.first,
                    recomputed: tboot.predicted.first, events: mleEvents))
        } else if !tboot.modelProven {
            problems.append(
                .mleUnproven(
                    launcher: tboot.launcher, path: tboot.path, change: tboot.change, logged: tboot.current.first,
                    recomputed: tboot.predicted.first, events: mleEvents))
        }
        if let logged = mleEntry.first {
            let proving = tboot.sameAsCurrentBoot ? tboot.entryPoint : tboot.bootedEntryPoint
            let reproduces = proving.map { Self.entryDigests($0, like: logged.digests) == logged.digests } ?? false
            if (tboot.sameAsCurrentBoot || tboot.bootedFile != nil) && !reproduces {
                problems.append(
                    .dlmeEntryPointDiffers(
                        path: entry.kernelPath, pcr: logged.pcr, entryPoint: proving, events: mleEntry.map(\.sequence)))
            }
        }
        return problems
    }

    /// Changes no file predicts: another number of measured modules, other
    /// SINIT or LCP files than at boot, another set of LUKS devices (PCR 13
    /// is carried over from this boot).
    private func shapeProblems(
        _ modules: [PredictedModule], events moduleEvents: [MeasurementEvent], loggedModuleCount: Int,
        dropped: [LoadedModuleImage]
    ) -> [SelfCheckProblem] {
        var problems = [SelfCheckProblem]()
        if modules.count != loggedModuleCount {
            problems.append(
                .moduleCountChanged(
                    logged: loggedModuleCount, now: modules.map(\.image.grubPath),
                    events: moduleEvents.prefix(loggedModuleCount).map(\.sequence)))
        }
        let sinitEvents = log.events.filter { $0.affectsPCR && $0.type.rawValue & 0xFF00 == 0x0400 }.map(\.sequence)
        if let recorded = evidence.recordedDroppedModules {
            let now = dropped.map {
                RecordedModule(path: $0.grubPath, fileSHA256: $0.fileDigest.hex, commandLine: "", reproducedLog: nil)
            }
            let identity = { (module: RecordedModule) in "\(module.path) \(module.fileSHA256)" }
            if Set(now.map(identity)) != Set(recorded.map(identity)) {
                problems.append(.sinitModulesChanged(recorded: recorded, now: now, events: sinitEvents))
            }
        }
        if sealPCRs.contains(13), let running = evidence.booted.dom0,
            let kernel = modules.first(where: { $0.role == .dom0Kernel })
        {
            let before = LUKSDevices.uuids(in: running)
            let after = LUKSDevices.uuids(in: kernel.commandLine)
            if before != after {
                problems.append(.luksDevicesChanged(before: before.sorted(), after: after.sorted()))
            }
        }
        return problems
    }
}
