import AEMCore
import AEMCycle
import ArgumentParser
import Foundation

struct PredictCommand: SystemCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Predict the PCR values of the next boot (a dry run: nothing is sealed or written).",
        discussion: """
            Evaluates the GRUB entry that will boot, loads its modules as GRUB will, and replays the \
            current boot's DRTM log with tboot's module measurements recomputed. Before that it proves \
            its model: the current log must replay to the live PCRs, and every module unchanged since \
            this boot must recompute to its logged measurement.

            Exits 0 when the self-check is ok, unconfirmed or unavailable, and 1 on a mismatch.
            """
    )

    @OptionGroup var system: SystemOptions
    @OptionGroup var tpm: TPMOptions
    @OptionGroup var live: LivePCROptions
    @OptionGroup var output: OutputOptions

    func execute() throws(CycleError) -> ExitStatus {
        let bar = ProgressBar.hashing()
        defer { bar.finish() }
        let session = try PredictionSession.run(
            BootContext(system: system.selection, tpm: TPMChoice(tpm, live)), progress: bar.reporter)
        bar.finish()
        let versions = ComponentVersions(layout: system.layout, record: session.currentLog.record)
        if output.json {
            try JSONOutput.print(PredictionDocument(session: session, versions: versions))
        } else {
            Terminal.standardOutput.write(
                PredictionReport(session: session, versions: versions, style: output.style).render())
        }
        return session.prediction.selfCheck.status == .mismatch ? .mismatch : .success
    }
}
