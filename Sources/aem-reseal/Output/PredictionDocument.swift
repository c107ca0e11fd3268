import AEMCore
import AEMCycle

/// `predict --json`. The keys `flow`, `selfCheck` (`status`, `problems`),
/// `sealPcrs`, `modules` (`index`, `path`, `cmdline`, `loaded`, `digests`,
/// `changed`), `pcrs` (`current`, `predicted`) and `changed` are an
/// interface other tooling reads: never rename them; add fields freely.
struct PredictionDocument: Encodable {
    struct SelfCheckSection: Encodable {
        var status: String
        var problems: [SelfCheckProblemDocument]
        var verifiedModules: [Int]
    }

    struct Module: Encodable {
        var index: Int
        var role: String
        var path: String
        var cmdline: String
        var loaded: String
        var pcr: UInt32
        /// The measurement tboot will extend: H(H(cmdline) || H(image)).
        var digests: [String: String]
        /// The same module's measurement in the current boot's log.
        var currentDigests: [String: String]
        var imageDigests: [String: String]
        var fileSha256: String
        var changed: Bool
        var sameAsCurrentBoot: Bool
        var imageChange: ChangeFinding
        var commandLineChange: ChangeFinding
        var newVersion: String?
        var runningVersion: String?
        var provenance: ProvenanceDocument
    }

    /// tboot as SINIT measures it (event 0x404), when the log has it.
    struct Tboot: Encodable {
        var path: String
        var cmdline: String
        var fileSha256: String
        var digests: [String: String]
        var currentDigests: [String: String]
        var sameAsCurrentBoot: Bool
        var change: ChangeFinding
        var bootedFile: String?
        var provenance: ProvenanceDocument?
    }

    /// A GRUB configuration file the evaluation read.
    struct ConfigurationFile: Encodable {
        var path: String
        var fileSha256: String
        var provenance: ProvenanceDocument
    }

    /// Whether the chain may be sealed to.
    struct ProvenanceSection: Encodable {
        var vouched: Bool
        var configurationChoseAnew: Bool
        var unvouched: [String]
    }

    struct PCRPair: Encodable {
        var current: String?
        var predicted: String?
    }

    var flow: String
    var tpmVersion: String
    var sealBank: String
    var selfCheck: SelfCheckSection
    var sealPcrs: [UInt32]
    var changedSealedPcrs: [UInt32]
    var modules: [Module]
    var provenance: ProvenanceSection
    var grubConfiguration: [ConfigurationFile]
    var tboot: Tboot?
    /// Under TrenchBoot: Xen as SINIT measures it (event 0x404), in the same shape.
    var mle: Tboot?
    /// PCRs the flow extends with values no file predicts, with the reason.
    var unpredictablePcrs: [String: String]
    var droppedModules: [String]
    var pcrs: [String: [String: PCRPair]]
    var changed: [String: [UInt32]]
    var entry: [String: String]
    var eventLog: [String: String]
    var livePcrs: String
    var warnings: [String]

    init(session: PredictionSession, versions: ComponentVersions) {
        let prediction = session.prediction
        flow = prediction.flow.name
        tpmVersion = prediction.flow.tpmVersion.rawValue
        sealBank = prediction.flow.sealBank.rawValue
        selfCheck = SelfCheckSection(
            status: prediction.selfCheck.status.rawValue,
            problems: prediction.selfCheck.problems.map(SelfCheckProblemDocument.init),
            verifiedModules: prediction.selfCheck.verifiedModules)
        sealPcrs = prediction.sealPCRs
        changedSealedPcrs = prediction.changedSealedPCRs
        let chain = session.provenance
        modules = zip(prediction.modules, chain.modules).map { module, provenance in
            Module(
                index: module.index, role: module.role.rawValue, path: module.image.grubPath,
                cmdline: module.commandLine,
                loaded: module.image.compression.rawValue, pcr: module.pcr, digests: module.predicted.hexByBank,
                currentDigests: module.current.hexByBank, imageDigests: module.image.imageDigests.values.hexByBank,
                fileSha256: module.image.fileDigest.hex, changed: module.changed,
                sameAsCurrentBoot: module.sameAsCurrentBoot,
                imageChange: module.imageChange, commandLineChange: module.commandLineChange,
                newVersion: versions.new(module), runningVersion: versions.running(module),
                provenance: ProvenanceDocument(provenance.provenance))
        }
        provenance = ProvenanceSection(
            vouched: chain.isVouched, configurationChoseAnew: chain.configurationChoseAnew,
            unvouched: chain.unvouched.map(\.file.grubPath))
        grubConfiguration = chain.configuration.map {
            ConfigurationFile(
                path: $0.file.grubPath, fileSha256: $0.file.sha256.hex, provenance: ProvenanceDocument($0.provenance))
        }
        let launchMeasurement = prediction.mle.map { tboot in
            Tboot(
                path: tboot.path, cmdline: tboot.commandLine, fileSha256: tboot.fileSHA256.hex,
                digests: tboot.predicted.hexByBank,
                currentDigests: tboot.current.hexByBank, sameAsCurrentBoot: tboot.sameAsCurrentBoot,
                change: tboot.change,
                bootedFile: tboot.bootedFile,
                provenance: chain.measuredLaunchEnvironment.map { ProvenanceDocument($0.provenance) })
        }
        if prediction.flow.launcher == .tboot { tboot = launchMeasurement } else { mle = launchMeasurement }
        unpredictablePcrs = Dictionary(
            uniqueKeysWithValues: prediction.flow.unpredictablePCRs.map { (String($0.key), $0.value) })
        droppedModules = prediction.droppedModules.map(\.grubPath)
        var pcrs = [String: [String: PCRPair]]()
        let shown = Set(prediction.sealPCRs).union(EventLogReplay.dynamicPCRs)
        for bank in Set(prediction.predicted.banks).union(prediction.current.banks).sorted() {
            var values = [String: PCRPair]()
            for pcr in shown.sorted() {
                let pair = PCRPair(
                    current: prediction.current[bank, pcr]?.hex, predicted: prediction.predicted[bank, pcr]?.hex)
                if pair.current != nil || pair.predicted != nil { values[String(pcr)] = pair }
            }
            pcrs[bank.rawValue] = values
        }
        self.pcrs = pcrs
        changed = Dictionary(uniqueKeysWithValues: prediction.changedPCRs.map { ($0.key.rawValue, $0.value) })
        entry = ["title": session.bootEntry.titlePath, "id": session.bootEntry.id ?? "", "grubCfg": session.grubFile]
        eventLog = ["source": session.currentLog.source, "format": session.currentLog.log.format.rawValue]
        livePcrs = session.liveSource
        warnings = session.warnings
    }
}

/// A file's provenance in `--json`: `status` (`booted`, `carried-over`,
/// `vouched`, `unvouched`), the `voucher` that vouched, and the words.
struct ProvenanceDocument: Encodable {
    var status: String
    var voucher: String?
    var detail: String
    var reasons: [String]?

    init(_ provenance: Provenance) {
        status = ProvenanceText.status(provenance)
        detail = ProvenanceText.summary(provenance)
        switch provenance {
        case let .vouched(kind, _): voucher = kind.rawValue
        case let .unvouched(why): reasons = why
        case .booted, .carriedOver: break
        }
    }
}
