import AEMCore
import AEMCycle
import AEMTPM
import ArgumentParser
import Foundation

struct StageCommand: LockingCommand {
    static let configuration = CommandConfiguration(
        commandName: "stage",
        abstract: "Seal the AEM secrets to the predicted PCRs of the next boot, keeping the current seal for rollback.",
        discussion: """
            Runs the prediction, refuses to seal when its self-check found a mismatch (unless --force), \
            seals a new key to the predicted values in stock AEM's format, installs the new set atomically, \
            copies it to the AEM media when mounted, and tells you what to do next.

            When the sealed PCRs of the next boot are those the active seal already opens on, it seals nothing, \
            says so, and exits 0.

            Exits 7 when the new seal is sealed on dom0 but not on the AEM media: do not reboot then; run stage again \
            once the media is mounted read-write, and it copies the same seal. The exit statuses are listed under aem-reseal.
            """
    )

    @OptionGroup var system: SystemOptions
    @OptionGroup var tpm: TPMOptions
    @OptionGroup var output: OutputOptions

    @OptionGroup var aem: LabelOptions

    @Option(
        help: ArgumentHelp("Read the SRK password from FILE when AEM did not cache it.", valueName: "file"),
        completion: .file())
    var srkPasswordFile: String?

    @Flag(
        help: ArgumentHelp(
            "Seal even when the self-check found a mismatch or could not run. Dangerous; recorded. It never covers a "
                + "file nothing vouches for (see --vouch-for)."))
    var force = false

    @Option(
        name: .customLong("vouch-for"),
        help: ArgumentHelp(
            "Vouch yourself for a file of the next boot that nothing else vouches for (a kernel you built): its "
                + "GRUB path or /boot path. Repeat for each file. Recorded and shown.",
            valueName: "path"))
    var vouchFor: [String] = []

    @Option(
        help: ArgumentHelp(
            "The files the running rpm transaction installed, one path per line (- for standard input): the "
                + "package's rpm trigger passes them.",
            valueName: "file"), completion: .file())
    var transactionFiles: String?

    @Flag(name: .shortAndLong, help: "Do not ask for confirmation.")
    var yes = false

    @Flag(help: "Never prompt; fail when a password would be needed (package hooks).")
    var nonInteractive = false

    var isUnattended: Bool { nonInteractive }

    func executeLocked() throws(CycleError) -> ExitStatus {
        let style = output.style
        let layout = system.layout
        let request = StageRequest(
            vouching: Vouching(
                transactionFiles: try transactionFiles.map { (file) throws(CycleError) in
                    try Self.readTransactionFiles(file, layout: layout)
                } ?? [],
                userVouched: Set(vouchFor.map { Self.partitionPath($0, layout: layout) })),
            force: force, label: aem.label, srkPasswordFile: srkPasswordFile, interactive: !nonInteractive,
            confirm: !(yes || nonInteractive), userCanConsent: yes || !nonInteractive)
        let bar = ProgressBar.hashing()
        defer { bar.finish() }
        let result = try Staging.run(
            request, in: BootContext(system: system.selection, tpm: TPMChoice(tpm)),
            ui: TerminalUserInterface(style: style), progress: bar.reporter
        ) { session, versions in
            bar.finish()
            guard !output.json else { return }
            Terminal.standardOutput.write(
                PredictionReport(session: session, versions: versions, style: style, brief: true).render() + "\n")
        }
        switch result {
        case let .nothingToSeal(reason):
            if output.json {
                try JSONOutput.print(NothingToSeal(reason: reason))
            } else {
                Terminal.standardOutput.write("Nothing to seal: \(reason). No file was changed.\n")
            }
        case let .staged(outcome):
            try report(outcome)
        }
        return .success
    }

    /// Prints what was staged; a seal the media lacks ends with `notOnMedia`:
    /// AEM reads the media at boot, so the user must not reboot yet.
    private func report(_ outcome: StageOutcome) throws(CycleError) {
        if output.json {
            try JSONOutput.print(
                StageDocument(state: outcome.state, sealedSet: outcome.installation.sealedSetDirectory))
        } else {
            let guidance = StageGuidance(
                installation: outcome.installation, prediction: outcome.prediction, versions: outcome.versions,
                media: outcome.media, forced: force, style: output.style)
            Terminal.standardOutput.write(guidance.render())
        }
        guard outcome.media.copied else {
            throw .notOnMedia(
                "the new seal is not on the AEM media (\(outcome.media.detail)): do not reboot yet. AEM reads its "
                    + "seal from the media at boot; "
                    + "make the media writable and mounted, then run `sudo aem-reseal stage` again "
                    + "(it copies the same seal).")
        }
    }
}

extension StageCommand {
    /// A path as the partition names it: `/boot/x` (as rpm and users write
    /// it) becomes `/x`; a GRUB path stays as it is.
    static func partitionPath(_ path: String, layout: SystemLayout) -> String {
        guard let prefix = ProvenanceSources(layout: layout).bootPrefix, prefix != "/", path.hasPrefix(prefix + "/")
        else { return path }
        return String(path.dropFirst(prefix.count))
    }

    /// The list rpm's file trigger gives, one path per line; the lines
    /// outside the boot partition are left out.
    static func readTransactionFiles(_ source: String, layout: SystemLayout) throws(CycleError) -> Set<String> {
        let bytes: [UInt8]
        do {
            bytes =
                source == "-"
                ? try FileBytes.readStandardInput(limit: 4 << 20)
                : try FileBytes.read(source, limit: 4 << 20)
        } catch {
            throw .badInput("--transaction-files: \(error)")
        }
        let prefix = ProvenanceSources(layout: layout).bootPrefix ?? "/boot"
        return Set(
            String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init).filter {
                $0.hasPrefix(prefix + "/")
            }.map { partitionPath($0, layout: layout) })
    }
}

/// `stage --json` when there is nothing to seal.
private struct NothingToSeal: Encodable {
    var staged = false
    var reason: String
}
