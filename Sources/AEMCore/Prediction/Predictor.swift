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
    func alternatives(_ partitionPath: FilePath?) -> [FilePath] {
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
        let mle = try predictMLE(flow: flow, events: mleEvents, entryEvents: mleEntryEvents)
        let substitutions = moduleSubstitutions.merging(
            mle.map { Self.mleSubstitutions($0, events: mleEvents, entryEvents: mleEntryEvents) } ?? [:]
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
            loggedModuleCount: layout.moduleEvents.count, mle: mle, mleEvents: mleEvents.map(\.sequence),
            mleEntry: mleEntryEvents, dropped: loaded.dropped)
        let neverExtended = flow.neverExtendedPCRs(in: sealPCRs)
        let warnings: [PredictionWarning] =
            neverExtended.isEmpty ? [] : [.sealNamesNeverExtendedPCRs(neverExtended, flow: flow.name)]
        return Prediction(
            flow: flow, entry: entry, modules: modules, mle: mle, droppedModules: loaded.dropped,
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

            // A module recorded with no verdict changed on /boot before `record` ran: no evidence of this boot.
            let recorded = evidence.recordedModules.flatMap { index < $0.count ? $0[index] : nil }
                .flatMap { (module: RecordedModule) -> RecordedModule? in module.reproducedLog == nil ? nil : module }
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
        throws(PredictionError) -> PredictedMLE?
    {
        var mle = try measureMLE(
            launcher: flow.launcher, mleEvents: events, needsEntryPoint: !entryEvents.isEmpty,
            commandLine: flow.mleMeasuresCommandLine ? GrubLoaderCommandLine.join(entry.kernelArguments) : "")
        mle?.pcrs = Set(events.map(\.pcr))
        return mle
    }

    /// The MLE's events with the predicted measurement (and, on AMD, the
    /// entry point the SKL measures).
    static func mleSubstitutions(
        _ mle: PredictedMLE, events: [MeasurementEvent], entryEvents: [MeasurementEvent]
    ) -> [Int: MeasurementEvent] {
        var substitutions = [Int: MeasurementEvent]()
        if let entryPoint = mle.entryPoint {
            for event in entryEvents {
                var replacement = event
                replacement.digests = entryDigests(entryPoint, like: event.digests)
                substitutions[event.sequence] = replacement
            }
        }
        for event in events {
            var replacement = event
            replacement.digests = event.digests.map { old in
                mle.predicted.first { $0.algorithm == old.algorithm } ?? old
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
}
