import AEMCore
import AEMCycle
import ArgumentParser
import Foundation

struct StatusCommand: SystemCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract:
            "Where the update cycle stands: nothing pending, pending, staged, rebooted, verified, "
            + "mismatch or rolled back."
    )

    @OptionGroup var system: SystemOptions
    @OptionGroup var output: OutputOptions

    func execute() throws(CycleError) -> ExitStatus {
        // Status reads no TPM: the state file and this boot's record.
        let context = BootContext(system: system.selection, tpm: TPMChoice(alternatives: ""))
        var summary = StatusSummary(state: try context.state(), thisBoot: try context.bootTime())
        let record = try BootRecordAdvice(context)
        summary.bootRecorded = record.record != nil
        if output.json {
            try JSONOutput.print(summary)
        } else {
            Terminal.standardOutput.write("\(summary.text)\n\(record.statusLine)\n")
        }
        return .success
    }
}

/// `status --json`: `status` is one of `nothing-pending`, `pending`,
/// `staged`, `rebooted`, `verified`, `mismatch`, `rolled-back`.
struct StatusSummary: Encodable {
    var status: String
    var text: String
    var phase: String?
    var stagedAt: Date?
    var forced: Bool?
    var userVouched: [String]?
    var selfCheck: String?
    var sealPcrs: [UInt32]?
    var transitionLeftOutPcrs: [UInt32]?
    var media: ResealState.Media?
    /// The files the seal was predicted from, with their SHA-256: what to
    /// compare /boot with from trusted media if the secret does not appear.
    var modules: [ResealState.Module]?
    var message: String?
    /// Whether `aem-reseal record` recorded the running boot.
    var bootRecorded: Bool?

    init(state: ResealState?, thisBoot: Int64?) {
        guard let state else {
            status = "nothing-pending"
            text = "Nothing pending: no seal has been staged."
            return
        }
        phase = state.phase.rawValue
        stagedAt = state.stagedAt
        forced = state.forced
        userVouched = state.userVouched
        selfCheck = state.selfCheck
        sealPcrs = state.sealPCRs
        transitionLeftOutPcrs = state.transitionLeftOutPCRs
        media = state.media
        modules = state.modules.isEmpty ? nil : state.modules
        message = state.message
        switch state.phase {
        case .pending:
            status = "pending"
            text =
                "Pending: the last `aem-reseal stage` sealed nothing, so the next boot may not show the secret. "
                + "Run `sudo aem-reseal stage` in a dom0 terminal before rebooting. It said: "
                + (state.message ?? "(nothing recorded)")
        case .installing:
            status = "staged"
            text = "Staging was interrupted. Run `sudo aem-reseal stage` again (or `sudo aem-reseal rollback`)."
        case .staged where state.stagedInBoot != nil && state.stagedInBoot != thisBoot:
            status = "rebooted"
            text = "Rebooted since staging: run `sudo aem-reseal verify` to confirm this boot matched the prediction."
        case .staged:
            status = "staged"
            let pcrs = state.sealPCRs.map(String.init).joined(separator: ", ")
            var caveats = state.forced ? " (the seal was FORCED past a failed self-check)" : ""
            if let vouched = state.userVouched, !vouched.isEmpty {
                caveats += "; sealed to \(vouched.joined(separator: ", ")) on your word alone (--vouch-for)"
            }
            if let leftOut = state.transitionLeftOutPCRs, !leftOut.isEmpty {
                caveats +=
                    "; a transition seal without PCR \(leftOut.map(String.init).joined(separator: ", ")), which AEM "
                    + "reseals to at that boot"
            }
            text =
                state.media?.copied == true
                ? "Staged: the secrets are sealed to the predicted PCRs (\(pcrs)) and copied to the AEM media. Reboot "
                    + "dom0 to finish the update\(caveats)."
                : "Sealed on dom0 to the predicted PCRs (\(pcrs)), but NOT on the AEM media "
                    + "(\(state.media?.detail ?? "unknown")): do not reboot yet. Mount the media read-write and run "
                    + "`sudo aem-reseal stage`\(caveats)."
        case .verified:
            status = "verified"
            text = "Verified: the last reboot produced exactly the predicted PCRs. Nothing pending."
        case .mismatch:
            status = "mismatch"
            text = "Mismatch: after the reboot the PCRs differed from the prediction. See `sudo aem-reseal verify`."
        case .rolledBack:
            status = "rolled-back"
            text = "Rolled back: the previous seal is active again."
        }
    }
}
