import AEMCore
import AEMCycle
import AEMTestSupport
import Foundation
import Testing

/// The stage engine (`Staging.run`) called as a library, no aem-reseal binary: it seals
/// ahead for the next boot, which AEM's own tpm2-tools unseal commands
/// then open on a real TPM (swtpm); a tampered boot opens nothing.
@Suite(.serialized) struct StagingTests {
    @Test func theStagedSetOpensOnTheNextBootAndOnNoTamperedOne() throws {
        let machine = try StagedMachine()
        let ui = ScriptedUser(answering: true)
        let context = BootContext(system: machine.selection, tpm: machine.tpmChoice)
        let outcome = try machine.stage(context, ui: ui, confirm: true)

        #expect(outcome.state.phase == .staged)
        #expect(outcome.state.sealPCRs == [13, 17, 18])
        // AEM's media here is /boot (aem.uuid names the boot partition): the set is copied there too.
        #expect(outcome.media.copied, "\(outcome.media.detail)")
        #expect(
            try machine.tree.directory.read("boot/aem/tpms/\(BootTree.tpmID)/aem/key.pub")
                == machine.tree.directory.read("var/lib/tpms/\(BootTree.tpmID)/aem/key.pub"))
        #expect(ui.questions.count == 1)
        // The state file holds what the engine returned.
        #expect(try ResealState.load(from: context.layout.stateFile)?.setID == outcome.state.setID)
        // AEM's set of the running boot is kept as the previous one.
        #expect(try machine.tree.directory.read("var/lib/aem-reseal/aem/previous/key.pub") == machine.stockKey)
        #expect(try machine.unsealedText() == nil, "sealed to the next boot, not this one")

        try machine.reboot(into: "4.17.4")
        #expect(try machine.unsealedText() == BootTree.secretText)

        let evil = try machine.tree.tamperedCopy(of: machine.tree.boot + "/xen-4.17.4.gz")
        try machine.reboot(into: "4.17.4", replacing: evil)
        #expect(try machine.unsealedText() == nil)
    }

    /// One stage reads each fact of the boot once: the boot time, the TPM's
    /// version, the state file and AEM's configuration.
    @Test func aStageReadsEachFactOfTheBootOnce() throws {
        let machine = try StagedMachine()
        let facts = CountingFacts()
        let context = BootContext(
            system: machine.selection, tpm: TPMChoice(tcti: machine.tpm.tcti, alternatives: ""), facts: facts)
        let ui = ScriptedUser(answering: true)
        _ = try machine.stage(context, ui: ui)
        #expect(facts.reads == ["bootTime": 1, "tpmVersion": 1, "state": 1, "aemConfiguration": 1])
    }

    /// A no at the question changes nothing: AEM's set stays active and no state is written.
    @Test func aNoChangesNothing() throws {
        let machine = try StagedMachine()
        let ui = ScriptedUser(answering: false)
        let context = BootContext(system: machine.selection, tpm: machine.tpmChoice)
        #expect(throws: CycleError.declined("nothing was changed (not confirmed; use --yes to skip the question)")) {
            try machine.stage(context, ui: ui, confirm: true)
        }
        #expect(try machine.tree.directory.read("var/lib/tpms/\(BootTree.tpmID)/aem/key.pub") == machine.stockKey)
        #expect(!FileManager.default.fileExists(atPath: context.layout.stateFile))
    }

    /// No terminal to ask (and no `--yes`): nobody said no, so it is an
    /// answer that could not be asked for (exit 5), and nothing changes.
    @Test func noTerminalToAskIsNotANo() throws {
        let machine = try StagedMachine()
        let ui = ScriptedUser(answering: .noTerminal)
        let context = BootContext(system: machine.selection, tpm: machine.tpmChoice)
        let error = #expect(throws: CycleError.self) { try machine.stage(context, ui: ui, confirm: true) }
        guard case .needsUser(let words) = error else {
            Issue.record("expected needsUser, got \(String(describing: error))")
            return
        }
        #expect(words.contains("no terminal") && words.contains("--yes"), "\(words)")
        #expect(ui.questions.count == 1)
        #expect(try machine.tree.directory.read("var/lib/tpms/\(BootTree.tpmID)/aem/key.pub") == machine.stockKey)
        // The update needs a seal that was not made: pending, and why.
        let state = try #require(try ResealState.load(from: context.layout.stateFile))
        #expect(state.phase == .pending && state.message?.contains("no terminal") == true, "\(state)")
    }

    /// A state file that cannot be parsed may record an interrupted stage:
    /// planning stops on it as bad input instead of skipping crash recovery.
    @Test func aCorruptStateFileStopsThePlan() throws {
        let machine = try StagedMachine()
        let context = BootContext(system: machine.selection, tpm: machine.tpmChoice)
        try machine.tree.directory.write("var/lib/aem-reseal/state.json", "{\"phase\": \"installing\", ")
        let session = try PredictionSession.run(context, sealing: true)
        let error = #expect(throws: CycleError.self) {
            try StagePlan(session: session, force: false, ui: ScriptedUser(answering: true))
        }
        guard case let .badInput(message)? = error else {
            Issue.record("not bad input: \(String(describing: error))")
            return
        }
        #expect(message.contains("state.json is unreadable"))
        #expect(try machine.tree.directory.read("var/lib/tpms/\(BootTree.tpmID)/aem/key.pub") == machine.stockKey)
    }

    /// Issue 21's evil maid, against the engine: a kernel planted while the
    /// machine was off, which grub2-mkconfig picks after a genuine Xen
    /// update. The plan refuses it by name, whatever the transaction vouches
    /// for, and nothing is sealed.
    @Test func aPlantedKernelIsRefusedByName() throws {
        let planted = "6.6.99-1.qubes.fc37.x86_64"
        let machine = try StagedMachine { tree in try tree.installKernel(planted, seed: 99, packaged: false) }
        let context = BootContext(system: machine.selection, tpm: machine.tpmChoice)
        let update = Vouching(transactionFiles: ["/xen-4.17.4.gz", "/grub2/grub.cfg", "/grub2/grubenv"])
        let error = #expect(throws: CycleError.self) {
            try machine.stage(context, ui: ScriptedUser(answering: true), vouching: update)
        }
        guard case let .checkFailed(message)? = error else {
            Issue.record("not a failed check: \(String(describing: error))")
            return
        }
        #expect(message.contains("dom0 kernel /vmlinuz-\(planted)"), "\(message)")
        #expect(message.contains("--force does not cover this"), "\(message)")
        #expect(!message.contains("/xen-4.17.4.gz"), "the updated Xen is vouched for: \(message)")
        #expect(try machine.tree.directory.read("var/lib/tpms/\(BootTree.tpmID)/aem/key.pub") == machine.stockKey)
        let state = try #require(try ResealState.load(from: context.layout.stateFile))
        #expect(state.phase == .pending && state.message?.contains("dom0 kernel /vmlinuz-\(planted)") == true)
    }
}
