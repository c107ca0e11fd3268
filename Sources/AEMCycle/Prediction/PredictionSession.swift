import AEMCore
import AEMTPM
import Foundation

/// Everything a prediction needs, gathered from the system, and the
/// prediction itself. Shared by `predict`, `stage` and `checklist`.
public struct PredictionSession {
    /// The facts of this boot the session read, for the engines after it.
    public var context: BootContext
    public var configuration: AEMConfiguration
    public var configurationNote: String?
    public var grub: GrubConfiguration
    public var bootEntry: GrubBootEntry
    public var currentLog: CurrentBootLog
    public var livePCRs: PCRValues?
    public var liveSource: String
    public var prediction: Prediction
    /// Where each file of the next boot comes from, and whether the chain
    /// may be sealed to.
    public var provenance: ChainProvenance
    /// The TCTI in use (for sealing after the prediction).
    public var tcti: String

    public var layout: SystemLayout { context.layout }

    /// GRUB's configuration file the entry comes from.
    public var grubFile: String { grub.settings.configurationFile }

    /// Everything the user should know about: the AEM configuration, the
    /// prediction's, and what in GRUB's configuration could change the
    /// entry and was not modelled.
    public var warnings: [String] {
        [configurationNote].compactMap { $0 }
            + prediction.warnings.map { $0.text(aemConfiguration: layout.aemConfiguration) }
            + bootEntry.unknownInfluences.map(\.description)
    }

    /// Runs every step; a failure says what kind it is (input, TPM, a log
    /// of the other TPM generation).
    /// - Parameter sealing: the TPM will seal to the prediction: the log
    ///   must then be a boot of this TPM's generation (also checked when
    ///   `--tpm-version` names one).
    /// - Parameter vouching: what may vouch for files beside the system's
    ///   own records (the running transaction's files, the user's word).
    /// - Parameter progress: called as big files are hashed (path, bytes done, total).
    public static func run(
        _ context: BootContext, sealing: Bool = false, vouching: Vouching = Vouching(),
        progress: (@Sendable (String, Int, Int) -> Void)? = nil
    ) throws(CycleError) -> PredictionSession {
        let layout = context.layout
        let loaded = try context.aemConfiguration()
        let configuration = loaded ?? .stockDefault
        let configurationNote =
            loaded != nil
            ? nil
            : "\(layout.aemConfiguration) not found: assuming stock AEM's "
                + "SEAL=\"\(AEMConfiguration.stockDefault.sealText)\""

        let settings = try context.grubSettings()
        let grub: GrubConfiguration
        let bootEntry: GrubBootEntry
        do {
            (grub, bootEntry) = try loadBootEntry(context.system, settings: settings)
        } catch {
            throw .badInput(error.description)
        }
        let currentLog: CurrentBootLog
        let locator = try context.currentBootLogLocator()
        do {
            currentLog = try locator.locate()
        } catch {
            throw .badInput(error.description)
        }

        let sources = ProvenanceSources(
            layout: layout, transactionFiles: vouching.transactionFiles, userVouched: vouching.userVouched)
        // Asked while the modules are hashed; used when it covers the files that need a voucher.
        let rpmRecords = sources.prefetchRPMRecords(for: bootEntry)

        // The flow is detected once: the TPM check and the predictor share it.
        let flow = BootFlows.detect(in: currentLog.log)
        if sealing || context.tpm.tpmVersion != nil { try requireLogFits(flow?.0, context: context) }
        let (livePCRs, liveSource) = try readLivePCRs(context, seal: configuration.sealPCRs)

        let evidence = BootEvidence(
            recordedModules: currentLog.record?.modules, recordedMLE: currentLog.record?.mle,
            recordedDroppedModules: currentLog.record?.droppedModules,
            tbootCommandLines: currentLog.tboot?.modules.map(\.commandLine),
            booted: try context.bootedCommandLines())
        var predictor = Predictor(
            log: currentLog.log, entry: bootEntry, partition: grub.partition, livePCRs: livePCRs,
            sealPCRs: configuration.sealPCRs, evidence: evidence)
        predictor.progress = progress
        predictor.detectedFlow = flow
        let prediction: Prediction
        do {
            prediction = try predictor.predict()
        } catch {
            throw .badInput("\(error)")
        }
        let bootSnapshot = try thisBootsSnapshot(layout, bootTime: context.bootTime())
        return PredictionSession(
            context: context, configuration: configuration, configurationNote: configurationNote, grub: grub,
            bootEntry: bootEntry, currentLog: currentLog, livePCRs: livePCRs, liveSource: liveSource,
            prediction: prediction,
            provenance: sources.provenance(of: prediction, bootSnapshot: bootSnapshot, prefetched: rpmRecords),
            tcti: context.tpm.tcti ?? TPMConnection.defaultTCTI)
    }

    /// The log must be a boot of this TPM's generation: checked before the
    /// TPM is touched (a TPM 2.0 log on a TPM 1.2 would otherwise first
    /// fail on tcsd, or be predicted in banks the TPM does not have).
    private static func requireLogFits(_ flow: (any BootFlow)?, context: BootContext) throws(CycleError) {
        guard let flow else { return }
        let version = try context.tpmVersion()
        guard flow.tpmVersion == version else {
            throw .logDoesNotFitTPM(
                "the current boot's DRTM log is a TPM \(flow.tpmVersion.rawValue) boot (\(flow.name)) but the "
                    + "TPM is a \(version.rawValue) "
                    + "(\(context.tpm.tpmVersion == nil ? "as detected" : "--tpm-version")): the log does not fit "
                    + "this TPM, and nothing was done. Give the matching --tpm-version or event log.")
        }
    }

    /// This boot's snapshot of /boot, from its record. A record whose
    /// snapshot cannot be read is reported, not taken for a boot `record`
    /// never saw.
    private static func thisBootsSnapshot(_ layout: SystemLayout, bootTime: Int64?) throws(CycleError)
        -> BootFileSnapshot?
    {
        guard let stamp = bootTime else { return nil }
        let folder = layout.bootRecords + "/\(stamp)"
        do {
            return try BootFileSnapshot.load(in: folder)
        } catch {
            // Never advise recording again: a snapshot taken now would show
            // /boot as it is, not as the boot began, and vouch for what changed.
            throw .unreadable(.bootSnapshot, path: folder + "/" + BootFileSnapshot.fileName, detail: "\(error)")
        }
    }

    /// Evaluates GRUB's configuration and picks the entry that will boot.
    public static func loadBootEntry(_ system: SystemSelection, settings: GrubEvaluationSettings)
        throws(BootEntrySelectionError) -> (grub: GrubConfiguration, entry: GrubBootEntry)
    {
        let grub: GrubConfiguration
        do {
            grub = try GrubConfiguration.load(settings)
        } catch {
            throw .grub(error)
        }
        return (grub, try selectEntry(grub, named: system.entry))
    }

    /// The entry named with `--entry`, else GRUB's default; it must boot
    /// through tboot or TrenchBoot (`slaunch`).
    public static func selectEntry(_ grub: GrubConfiguration, named name: String?) throws(BootEntrySelectionError)
        -> GrubBootEntry
    {
        let aemEntries = grub.bootableEntries().filter(\.1.isAEMEntry).map(\.0.titlePath)
        let selection: GrubConfiguration.Selection
        if let name {
            guard let chosen = grub.entry(named: name) else { throw .noSuchEntry(name: name, aemEntries: aemEntries) }
            selection = chosen
        } else {
            guard let chosen = grub.defaultEntry() else { throw .noEntries }
            selection = chosen
        }
        let entry: GrubBootEntry
        do {
            entry = try grub.boot(selection)
        } catch let error {
            guard case .notAnAEMEntry = error else { throw .grub(error) }
            throw .notAnAEMEntry(
                error, title: selection.titlePath, kernel: nil, isDefault: name == nil, aemEntries: aemEntries)
        }
        guard entry.isAEMEntry else {
            throw .notAnAEMEntry(
                nil, title: selection.titlePath, kernel: entry.kernelPath, isDefault: name == nil,
                aemEntries: aemEntries)
        }
        return entry
    }

    /// Live PCRs from `--pcrs-file`, the TPM, or none with `--no-tpm`.
    public static func readLivePCRs(_ context: BootContext, seal: [UInt32]) throws(CycleError) -> (PCRValues?, String) {
        let options = context.tpm
        if options.noTpm { return (nil, "none (--no-tpm)") }
        if let file = options.pcrsFile {
            do {
                return (try PCRValuesFile.parse(try FileBytes.read(file, limit: 1 << 20)), file)
            } catch let error as FileAccessError {
                throw .badInput(error.description)
            } catch {
                throw .badInput("\(file): \(error)")
            }
        }
        let pcrs = Set(seal).union(EventLogReplay.dynamicPCRs).union([13]).sorted()
        let tcti = options.tcti ?? TPMConnection.defaultTCTI
        let version = try context.tpmVersion()
        do {
            return try TPMDeadline.guarding {
                switch version {
                case .tpm12:
                    return (try TPM12Connection().readPCRs(pcrs), "TPM 1.2 (tcsd)")
                case .tpm20:
                    let connection = try TPMConnection(tcti: tcti)
                    let banks = try connection.allocatedBanks().filter(\.isAvailable)
                    return (try connection.readPCRs(banks: banks, pcrs: pcrs), "TPM (\(tcti))")
                }
            }
        } catch let error as TPMError where error.code?.isUnusableTCTIConfiguration == true {
            throw .badInput(
                "--tcti \"\(tcti)\" is not a TCTI tpm2-tss can use (\(error.detail)); for example "
                    + "device:/dev/tpmrm0 or swtpm:host=127.0.0.1,port=2321"
            )
        } catch {
            throw .tpm("cannot read the live PCRs: \(error). \(options.alternatives)")
        }
    }
}
