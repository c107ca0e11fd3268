/// The self-check: the model must reproduce this boot before anything is
/// sealed to its prediction (`docs/design.md`, "Self-check").
extension Predictor {
    func check(
        replayed: PCRValues, modules: [PredictedModule], moduleEvents: [MeasurementEvent], loggedModuleCount: Int,
        mle: PredictedMLE?, mleEvents: [Int], mleEntry: [MeasurementEvent], dropped: [LoadedModuleImage]
    ) -> SelfCheck {
        var problems = [SelfCheckProblem]()
        // (a) The log replays to the live PCRs.
        if let livePCRs { problems += LiveReplayCheck.problems(log: log, replayed: replayed, live: livePCRs) }
        // (b) Each module, and the MLE, as the evidence calls them.
        problems += moduleProblems(modules, events: moduleEvents)
        if let mle { problems += mleProblems(mle, events: mleEvents, entryEvents: mleEntry) }
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
    func moduleProblems(_ modules: [PredictedModule], events moduleEvents: [MeasurementEvent])
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
    func mleProblems(_ mle: PredictedMLE, events mleEvents: [Int], entryEvents mleEntry: [MeasurementEvent])
        -> [SelfCheckProblem]
    {
        var problems = [SelfCheckProblem]()
        if mle.change.state == .unchanged, !mle.sameAsCurrentBoot {
            problems.append(
                .unchangedMLEDiffers(
                    launcher: mle.launcher, path: mle.path, logged: mle.current.first,
                    recomputed: mle.predicted.first, events: mleEvents))
        } else if !mle.modelProven {
            problems.append(
                .mleUnproven(
                    launcher: mle.launcher, path: mle.path, change: mle.change, logged: mle.current.first,
                    recomputed: mle.predicted.first, events: mleEvents))
        }
        if let logged = mleEntry.first {
            let proving = mle.sameAsCurrentBoot ? mle.entryPoint : mle.bootedEntryPoint
            let reproduces = proving.map { Self.entryDigests($0, like: logged.digests) == logged.digests } ?? false
            if (mle.sameAsCurrentBoot || mle.bootedFile != nil) && !reproduces {
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
    func shapeProblems(
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
