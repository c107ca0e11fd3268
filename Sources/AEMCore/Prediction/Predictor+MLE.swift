import SystemPackage

/// The MLE (tboot, or Xen under TrenchBoot) as the launch will measure it,
/// and the evidence ladder that proves the model on it.
extension Predictor {
    /// The launch's measurement of the entry's MLE (SINIT's 0x404 on Intel), with
    /// the evidence that proves the model on this machine: the entry's MLE
    /// reproduces the logged value, or another tboot on /boot does (the
    /// booted one), or the boot record shows the model reproduced it at
    /// boot. Nil when the log has no MLE event. A file and command line the
    /// boot record saw reproduce this boot's measurement are not measured
    /// again (one SHA-256 of the stored file), unless `needsEntryPoint`
    /// (AMD's SKL measures the MLE header's entry point too).
    func measureMLE(
        launcher: DynamicLaunchLoader, mleEvents: [MeasurementEvent], needsEntryPoint: Bool, commandLine: String
    ) throws(PredictionError) -> PredictedMLE? {
        guard let logged = mleEvents.first?.digests else { return nil }
        let path = entry.kernelPath
        let banks = logged.map(\.algorithm)
        guard BootPartition.relativePath(path) != nil else { throw .badModulePath(path) }
        let stored: [UInt8]
        let partitionPath: FilePath?
        let measured: MLEMeasurement.Measured
        do {
            let file = try partition.open(path, limit: MLEMeasurement.maximumFileSize)
            partitionPath = file.pathInRoot
            stored = try file.readAll()
        } catch {
            throw .mleMeasurement(path: path, .unreadable(error))
        }
        do {
            try budget.spend(MLEMeasurement.maximumCost(ofFile: stored.count), on: path)
        } catch {
            throw .budgetSpent(error)
        }
        let fileSHA256 = HashAlgorithm.sha256.hash(stored)
        if !needsEntryPoint, let recorded = evidence.recordedMLE, recorded.reproducedLog == true,
            recorded.fileSHA256 == fileSHA256.hex, recorded.commandLine == commandLine
        {
            return PredictedMLE(
                launcher: launcher, path: path, partitionPath: partitionPath, commandLine: commandLine,
                fileSHA256: fileSHA256, predicted: logged, current: logged,
                change: ChangeFinding(
                    state: .unchanged, rung: .bootRecord,
                    evidence: "same file and command line as recorded at boot, where they reproduced this boot's "
                        + "MLE measurement"),
                bootedFile: nil, entryPoint: nil, bootedEntryPoint: nil, chosenAsBooted: recorded.path == path)
        }
        do {
            measured = try MLEMeasurement.measure(ofFile: stored, commandLine: commandLine, banks: banks)
        } catch {
            throw .mleMeasurement(path: path, error)
        }
        let predicted = logged.map { measured.digests[$0.algorithm] ?? $0 }
        let verdict = mleVerdict(
            launcher: launcher, path: path, partitionPath: partitionPath, commandLine: commandLine,
            fileSHA256: fileSHA256, predicted: predicted, logged: logged)
        return PredictedMLE(
            launcher: launcher, path: path, partitionPath: partitionPath, commandLine: commandLine,
            fileSHA256: fileSHA256, predicted: predicted, current: logged, change: verdict.change,
            bootedFile: verdict.bootedFile, entryPoint: measured.entryPoint,
            bootedEntryPoint: verdict.bootedEntryPoint, chosenAsBooted: verdict.chosenAsBooted)
    }

    /// What the evidence ladder says of the MLE: changed or not, on what
    /// evidence, and the booted file when one on /boot proves the model.
    struct MLEVerdict {
        var change: ChangeFinding
        /// Whether GRUB chose it as at this boot: the same path and command line.
        var chosenAsBooted: Bool?
        var bootedFile: String?
        var bootedEntryPoint: UInt32?
    }

    /// The ladder, in order: the logged measurement, the booted file still
    /// on /boot, the boot record; else unknown.
    func mleVerdict(
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
        if let recorded = evidence.recordedMLE, recorded.reproducedLog == true {
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
    /// (each try costs at most `MLEMeasurement.maximumCost`).
    func measurement(
        reproducing logged: [Digest], file: FilePath, commandLine: String, budget: WorkBudget
    ) -> MLEMeasurement.Measured? {
        // A candidate that cannot be opened, read or measured is not the booted MLE.
        guard let opened = try? partition.directory.openFile(file, limit: MLEMeasurement.maximumFileSize),
            // budget spent: no more tries
            (try? budget.spend(MLEMeasurement.maximumCost(ofFile: opened.size), on: file.shown)) != nil,
            let stored = try? opened.readAll(),  // (not the booted MLE)
            let measured = try? MLEMeasurement.measure(  // (not the booted MLE)
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
}
