import AEMCore
import AEMTPM
import ArgumentParser
import Foundation

struct RecordCommand: LockingCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Save this boot's DRTM log, PCRs and module digests for later predictions.",
        discussion: """
            Run at every AEM boot (aem-reseal-record.service does it after anti-evil-maid-seal.service). \
            predict and stage fall back to the latest record when no live log can be read, and use its \
            module digests to tell which files changed since the boot. Records go to \
            /var/lib/aem-reseal/boots/<boot time>/; the newest five are kept.
            """
    )

    @OptionGroup var system: SystemOptions
    @OptionGroup var tpm: TPMOptions
    @OptionGroup var live: PCRsFileOption
    @OptionGroup var output: OutputOptions

    func runLocked() throws {
        let recorded = try BootRecorder(system: system, tpm: TPMChoice(tpm, pcrsFile: live.pcrsFile)).record()
        if output.json {
            try JSONOutput.print(["record": recorded.folder, "logSource": recorded.logSource, "note": recorded.note])
        } else {
            Terminal.standardOutput.write(
                "Recorded this boot in \(recorded.folder)\n  log: \(recorded.logSource)\n  \(recorded.note)\n")
        }
    }
}
