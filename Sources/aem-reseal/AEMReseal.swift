import ArgumentParser

@main
struct AEMReseal: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aem-reseal",
        abstract: "Seal Qubes Anti Evil Maid secrets ahead of a reboot into an updated boot chain.",
        discussion: """
            After a Xen, kernel or initramfs update, stock AEM cannot show its secret on the \
            first boot. aem-reseal predicts the PCR values of that boot from the files on disk \
            and the current boot's DRTM event log, and seals the secrets to them in advance.
            """,
        version: AEMResealVersion.current,
        subcommands: [
            PredictCommand.self, StageCommand.self, ChecklistCommand.self, VerifyCommand.self, StatusCommand.self,
            RollbackCommand.self, RecordCommand.self, EventLogCommand.self,
        ]
    )
}

enum AEMResealVersion {
    static let current = "0.1.0"
}
