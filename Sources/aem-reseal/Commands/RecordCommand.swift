import AEMCore
import AEMCycle
import AEMTPM
import ArgumentParser
import Foundation

struct RecordCommand: LockingCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Save this boot's DRTM log, PCRs and module digests for later predictions.",
        discussion: """
            Run at every AEM boot (aem-reseal-record.service does it before anti-evil-maid-seal.service, \
            while AEM's cache says whether the SRK password is empty: the record keeps that answer, never the \
            password, so that a later stage can seal without asking). predict and stage fall back to the latest record when no live log can be read, and use its \
            module digests to tell which files changed since the boot. It also hashes every file on /boot, once \
            per boot; with --shutdown (the unit's stop step) the files written during the boot are kept, so that \
            a later stage can vouch for an initramfs or grub.cfg a running dom0 wrote. Records go to \
            /var/lib/aem-reseal/boots/<boot time>/; the newest five are kept.
            """
    )

    @OptionGroup var system: SystemOptions
    @OptionGroup var tpm: TPMOptions
    @OptionGroup var live: PCRsFileOption
    @OptionGroup var output: OutputOptions

    @Flag(
        help: ArgumentHelp(
            "As dom0 stops: keep the SHA-256 of the files on /boot written during this boot, so that later "
                + "boots can vouch for an initramfs or grub.cfg a running dom0 wrote."))
    var shutdown = false

    var isUnattended: Bool { shutdown }

    func executeLocked() throws(CycleError) -> ExitStatus {
        let recorder = BootRecorder(
            BootContext(system: system.selection, tpm: TPMChoice(tpm, pcrsFile: live.pcrsFile)))
        if shutdown {
            let note = try recorder.recordShutdown()
            if output.json {
                try JSONOutput.print(["shutdown": note])
            } else {
                Terminal.standardOutput.write("\(note)\n")
            }
            return .success
        }
        let recorded = try recorder.record()
        if output.json {
            try JSONOutput.print(
                RecordDocument(
                    record: recorded.folder, logSource: recorded.logSource, note: recorded.note,
                    changedSinceBoot: recorded.changedSinceBoot, notReproducing: recorded.notReproducing))
        } else {
            Terminal.standardOutput.write(
                "Recorded this boot in \(recorded.folder)\n  log: \(recorded.logSource)\n  \(recorded.note)\n")
        }
        for warning in Self.warnings(recorded) {
            Terminal.standardError.write(output.style.yellow("aem-reseal: warning: ") + "\(warning)\n")
        }
        return .success
    }

    /// What the user must know about the record, in words.
    static func warnings(_ recorded: BootRecorder.Recorded) -> [String] {
        var warnings = [String]()
        if !recorded.changedSinceBoot.isEmpty {
            warnings.append(
                "/boot already changed since this boot began (an update before this record): "
                    + "\(recorded.changedSinceBoot.joined(separator: ", ")) is not the file this boot measured, so "
                    + "the record keeps this boot's log but vouches for none of them. An update of them cannot be "
                    + "sealed ahead now: the next boot will not show the secret, and AEM reseals during it as it "
                    + "does after every update; the boot after is proven again.")
        }
        if !recorded.notReproducing.isEmpty {
            warnings.append(
                "\(recorded.notReproducing.joined(separator: ", ")) do(es) NOT reproduce this boot's log though "
                    + "older than the boot: the model does not fit them (or /boot was altered while the machine was "
                    + "off). predict and stage refuse until this is explained.")
        }
        return warnings
    }
}

/// `record --json`.
struct RecordDocument: Encodable {
    var record: String
    var logSource: String
    var note: String
    var changedSinceBoot: [String]
    var notReproducing: [String]
}
