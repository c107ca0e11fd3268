import AEMCycle
import ArgumentParser
import Foundation

@main
struct AEMReseal: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aem-reseal",
        abstract: "Seal Qubes Anti Evil Maid secrets ahead of a reboot into an updated boot chain.",
        discussion: """
            After a Xen, kernel or initramfs update, stock AEM cannot show its secret on the \
            first boot. aem-reseal predicts the PCR values of that boot from the files on disk \
            and the current boot's DRTM event log, and seals the secrets to them in advance.

            Exit statuses (every command):
            """ + "\n\n" + ExitStatus.table.replacingOccurrences(of: "\n", with: "\n\n"),
        version: AEMResealVersion.current,
        subcommands: [
            PredictCommand.self, StageCommand.self, ChecklistCommand.self, VerifyCommand.self, StatusCommand.self,
            RollbackCommand.self, RecordCommand.self, EventLogCommand.self,
        ]
    )

    /// Runs the command; a `CycleError` from anywhere below is printed here,
    /// once, with the control characters of untrusted input escaped, and
    /// becomes its exit status (SwiftPM's commands do the same).
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as CycleError {
            Terminal.standardError.write("aem-reseal: error: \(error.description)\n")
            exit(withError: ExitCode(ExitStatus(for: error).rawValue))
        } catch {
            exit(withError: error)
        }
    }
}

enum AEMResealVersion {
    static let current = "0.1.0"
}
