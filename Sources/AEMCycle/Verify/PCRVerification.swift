import AEMCore
import Foundation

/// `verify`'s work after the reboot: the live PCRs against the values the
/// staged seal was predicted for, the outcome recorded in the state file,
/// and the older backups pruned when the prediction held.
public struct PCRVerification {
    /// One PCR of the prediction that the live values also have.
    public struct Row {
        public var bank: HashAlgorithm
        public var pcr: UInt32
        public var predicted: Digest
        public var live: Digest
        public var held: Bool { live == predicted }
    }

    /// Every PCR compared, bank by bank.
    public var rows: [Row]
    /// The bank the staged seal is sealed in.
    public var sealBank: HashAlgorithm
    /// The PCRs the staged seal is sealed to.
    public var sealPCRs: [UInt32]
    /// After a transition seal: whether stock AEM resealed to the full SEAL list.
    public var resealed: ResealCheck?
    /// After a transition seal: whether this boot ran with the predicted
    /// command lines, which the seal did not cover.
    public var commandLines: CommandLineCheck?
    /// Where the live values came from (the TPM or `--pcrs-file`).
    public var liveSource: String
    /// Why the outcome is not in the state file, when saving it failed
    /// (`status` then still shows the cycle as staged).
    public var notRecorded: String?

    /// Whether every PCR compared holds its predicted value and, after a
    /// transition seal, the command lines are the predicted ones.
    public var held: Bool { rows.allSatisfy(\.held) && commandLines?.held != false }

    /// "held" or "differs" per bank and PCR, as the state file and
    /// `verify --json` record them.
    public var verification: [String: [String: String]] {
        var result = [String: [String: String]]()
        for row in rows { result[row.bank.rawValue, default: [:]][String(row.pcr)] = row.held ? "held" : "differs" }
        return result
    }

    /// Compares, records and prunes; throws when there is nothing to verify
    /// in this boot or no live value to compare with.
    public static func run(_ context: BootContext, label: String?) throws(CycleError) -> PCRVerification {
        let layout = context.layout
        guard var state = try context.state(), let predicted = state.predicted,
            [.staged, .verified, .mismatch].contains(state.phase)
        else {
            throw .badInput(
                "nothing to verify: no staged seal is recorded in \(layout.stateFile) (run `sudo aem-reseal status`)")
        }
        let thisBoot = try context.bootTime()
        if let staged = state.stagedInBoot, staged == thisBoot {
            throw .badInput("you have not rebooted since staging: reboot dom0 first, then run `sudo aem-reseal verify`")
        }
        let reading = try PredictionSession.readLivePCRs(
            context, seal: Array(Set(predicted.banks.flatMap { predicted.pcrs(in: $0) })).sorted())
        guard let live = reading.0 else { throw .badInput("no live PCR values") }
        let source = reading.1

        var rows = [Row]()
        for bank in predicted.banks {
            for pcr in predicted.pcrs(in: bank) {
                if let expected = predicted[bank, pcr], let value = live[bank, pcr] {
                    rows.append(Row(bank: bank, pcr: pcr, predicted: expected, live: value))
                }
            }
        }
        guard let sealBank = state.sealBank else {
            throw .badInput(
                "\(layout.stateFile) records no seal bank for the staged seal: run `sudo aem-reseal stage` again")
        }
        guard rows.contains(where: { $0.bank == sealBank }) else {
            throw .tpm("the live PCRs (\(source)) have no \(sealBank) values to compare with")
        }
        // Found once: the reseal check and the pruning both work on it.
        let installation = Result { () throws(AEMInstallationError) in
            try AEMInstallation(layout: layout, label: label ?? state.label)
        }
        var outcome = PCRVerification(
            rows: rows, sealBank: sealBank, sealPCRs: state.sealPCRs,
            resealed: try resealCheck(state, installation: installation),
            commandLines: try commandLineCheck(state, context: context), liveSource: source)

        state.verification = outcome.verification
        state.verifiedInBoot = thisBoot
        state.phase = outcome.held ? .verified : .mismatch
        if outcome.held {
            state.message = "the prediction held at the boot of \(thisBoot.map(String.init) ?? "?")"
            // Housekeeping: if it fails, older backups stay, which is safe.
            try? installation.get().installer().pruneHistory(keeping: 2)
        } else {
            state.message = "the live PCRs differ from the prediction"
        }
        do {
            try state.save(to: layout.stateFile)
        } catch {
            outcome.notRecorded = "the outcome could not be recorded in \(layout.stateFile): \(error)"
        }
        return outcome
    }

    /// After a transition seal: the command lines this boot ran with
    /// against the predicted ones; nil after a full seal, or a stage that
    /// predates their keeping.
    private static func commandLineCheck(_ state: ResealState, context: BootContext) throws(CycleError)
        -> CommandLineCheck?
    {
        guard let leftOut = state.transitionLeftOutPCRs, !leftOut.isEmpty, let predicted = state.predictedCommandLines
        else { return nil }
        return CommandLineCheck(predicted: predicted, booted: try context.bootedCommandLines())
    }

    /// After a transition seal stock AEM must have resealed to the full
    /// SEAL list during this boot: the active set's key.pcrs says so. An
    /// installation or set that cannot be read is an error, never "fine".
    private static func resealCheck(
        _ state: ResealState, installation: Result<AEMInstallation, AEMInstallationError>
    ) throws(CycleError) -> ResealCheck? {
        guard let leftOut = state.transitionLeftOutPCRs, !leftOut.isEmpty else { return nil }
        do {
            let installation = try installation.get()
            return ResealCheck(
                active: try installation.installer().readActive(), location: installation.sealedSetDirectory,
                leftOut: leftOut)
        } catch {
            throw .badInput("cannot check that AEM resealed after the transition seal: \(error)")
        }
    }
}
