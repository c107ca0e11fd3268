import AEMCore
import AEMCycle
import ArgumentParser
import Foundation

struct VerifyCommand: LockingCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "After the reboot: check that the live PCRs are the predicted ones.",
        discussion:
            "On success the cycle is marked done and older backups are pruned (the last two are kept). Exits 0 when "
            + "the prediction held, 1 when it did not, 2 when there is nothing to verify."
    )

    @OptionGroup var system: SystemOptions
    @OptionGroup var tpm: TPMOptions
    @OptionGroup var live: PCRsFileOption
    @OptionGroup var output: OutputOptions

    @OptionGroup var aem: LabelOptions

    func executeLocked() throws(CycleError) -> ExitStatus {
        let verification = try PCRVerification.run(
            BootContext(system: system.selection, tpm: TPMChoice(tpm, pcrsFile: live.pcrsFile)), label: aem.label)
        if output.json {
            try JSONOutput.print(
                VerifyDocument(
                    held: verification.held, resealedToFullList: verification.resealed?.done,
                    commandLinesAsPredicted: verification.commandLines?.held,
                    verification: verification.verification, liveSource: verification.liveSource))
        } else {
            Terminal.standardOutput.write(VerificationReport(verification: verification, style: output.style).render())
        }
        if let notRecorded = verification.notRecorded { throw .writeFailed(notRecorded) }
        return !verification.held || verification.resealed?.done == false ? .mismatch : .success
    }
}
