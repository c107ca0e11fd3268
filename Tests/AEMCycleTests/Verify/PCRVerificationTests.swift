import AEMCore
import AEMCycle
import AEMTestSupport
import Foundation
import Testing

/// The verify engine after a real reboot on swtpm: the live PCRs (read from
/// the TPM) against the staged prediction, recorded in the state file.
@Suite(.serialized) struct PCRVerificationTests {
    /// Stages for Xen 4.17.4 through the engines and returns the machine.
    static func staged() throws -> StagedMachine {
        let machine = try StagedMachine()
        let ui = ScriptedUser(answering: true)
        let context = BootContext(system: machine.selection, tpm: machine.tpmChoice)
        _ = try machine.stage(context, ui: ui)
        return machine
    }

    @Test func theBootStagedForHoldsItsPrediction() throws {
        let machine = try Self.staged()
        try machine.reboot(into: "4.17.4")
        let context = BootContext(system: SystemSelection(root: machine.tree.root), tpm: machine.tpmChoice)
        let verification = try PCRVerification.run(context, label: nil)
        #expect(verification.held)
        // Every sealed PCR was compared with the TPM's own value (tpm2_pcrread).
        let sealed = verification.rows.filter { $0.bank == .sha256 }.map(\.pcr)
        #expect(Set(sealed).isSuperset(of: [13, 17, 18]))
        for row in verification.rows where row.bank == .sha256 {
            let read = try machine.tpm.tool("tpm2_pcrread", ["sha256:\(row.pcr)"])
            #expect(read.lowercased().contains(row.live.hex), "PCR \(row.pcr): \(read)")
        }
        #expect(try ResealState.load(from: context.layout.stateFile)?.phase == .verified)
    }

    /// Back on the old chain (the update rolled back by hand): the live PCR
    /// 17/18 differ from the prediction, and the state says mismatch.
    @Test func anotherBootIsAMismatch() throws {
        let machine = try Self.staged()
        try machine.reboot(into: "4.17.3")
        let context = BootContext(system: SystemSelection(root: machine.tree.root), tpm: machine.tpmChoice)
        let verification = try PCRVerification.run(context, label: nil)
        #expect(!verification.held)
        #expect(verification.rows.contains { !$0.held && $0.bank == .sha256 && $0.pcr == 17 })
        #expect(try ResealState.load(from: context.layout.stateFile)?.phase == .mismatch)
    }

    /// In the boot that staged, there is nothing to verify yet.
    @Test func notRebootedYetIsBadInput() throws {
        let machine = try Self.staged()
        let context = BootContext(system: SystemSelection(root: machine.tree.root), tpm: machine.tpmChoice)
        #expect(
            throws: CycleError.badInput(
                "you have not rebooted since staging: reboot dom0 first, then run `sudo aem-reseal verify`")
        ) { try PCRVerification.run(context, label: nil) }
    }

    /// A verification the state file cannot take is still reported, and
    /// says it was not recorded: the state stays as it was.
    @Test func anOutcomeThatCannotBeRecordedSaysSo() throws {
        let machine = try Self.staged()
        try machine.reboot(into: "4.17.4")
        try Self.blockStateWrites(in: machine.tree)
        let context = BootContext(system: SystemSelection(root: machine.tree.root), tpm: machine.tpmChoice)
        let verification = try PCRVerification.run(context, label: nil)
        #expect(verification.held)
        #expect(verification.notRecorded?.contains("could not be recorded in") == true)
        #expect(try ResealState.load(from: context.layout.stateFile)?.phase == .staged)
    }

    /// Puts a folder where this process writes the state file's temporary
    /// copy (`.state.json.tmp-<pid>`): the durable write cannot create it.
    static func blockStateWrites(in tree: BootTree) throws {
        try tree.directory.write("var/lib/aem-reseal/.state.json.tmp-\(getpid())/keep", "a folder, not a file")
    }
}
