import AEMCore
import AEMCycle
import AEMTestSupport
import Foundation
import Testing

/// The rollback engine: AEM's set of the running boot put back in place of
/// the staged one, so that the old chain opens the secret again.
@Suite(.serialized) struct PreviousSetRestorerTests {
    @Test func theRunningBootsSetComesBackAndOpensAgain() throws {
        let machine = try PCRVerificationTests.staged()
        #expect(try machine.unsealedText() == nil)
        let context = BootContext(system: machine.selection, tpm: machine.tpmChoice)
        let restored = try PreviousSetRestorer(context, label: nil)
            .restore(confirmed: true, canAsk: false, ui: ScriptedUser(answering: false))
        #expect(restored.sealedSet == machine.tree.sealedSet)
        #expect(restored.media.copied, "\(restored.media.detail)")
        #expect(try machine.tree.directory.read("boot/aem/tpms/\(BootTree.tpmID)/aem/key.pub") == machine.stockKey)
        #expect(try machine.tree.directory.read("var/lib/tpms/\(BootTree.tpmID)/aem/key.pub") == machine.stockKey)
        #expect(try machine.unsealedText() == BootTree.secretText)
        #expect(try ResealState.load(from: context.layout.stateFile)?.phase == .rolledBack)
    }

    /// Unattended without --yes: nothing is asked and nothing changes.
    @Test func unattendedWithoutConsentNeedsTheUser() throws {
        let machine = try PCRVerificationTests.staged()
        let staged = try machine.tree.directory.read("var/lib/tpms/\(BootTree.tpmID)/aem/key.pub")
        let context = BootContext(system: machine.selection, tpm: machine.tpmChoice)
        let user = ScriptedUser(answering: true)
        #expect(
            throws: CycleError.needsUser(
                "rollback replaces the active seal: it needs --yes with --non-interactive; nothing was changed")
        ) { try PreviousSetRestorer(context, label: nil).restore(confirmed: false, canAsk: false, ui: user) }
        #expect(user.questions.isEmpty)
        #expect(try machine.tree.directory.read("var/lib/tpms/\(BootTree.tpmID)/aem/key.pub") == staged)
    }

    /// Asked, but with no terminal to answer: nobody said no (exit 5, not
    /// 6), and nothing changes.
    @Test func noTerminalToAskNeedsTheUser() throws {
        let machine = try PCRVerificationTests.staged()
        let staged = try machine.tree.directory.read("var/lib/tpms/\(BootTree.tpmID)/aem/key.pub")
        let context = BootContext(system: machine.selection, tpm: machine.tpmChoice)
        let user = ScriptedUser(answering: .noTerminal)
        let error = #expect(throws: CycleError.self) {
            try PreviousSetRestorer(context, label: nil).restore(confirmed: false, canAsk: true, ui: user)
        }
        guard case .needsUser(let words) = error else {
            Issue.record("expected needsUser, got \(String(describing: error))")
            return
        }
        #expect(words.contains("no terminal") && words.contains("--yes"), "\(words)")
        #expect(user.questions.count == 1)
        #expect(try machine.tree.directory.read("var/lib/tpms/\(BootTree.tpmID)/aem/key.pub") == staged)
    }

    /// With no previous set there is nothing to put back: bad input, named.
    @Test func noPreviousSetIsBadInput() throws {
        let machine = try StagedMachine()
        let context = BootContext(system: machine.selection, tpm: machine.tpmChoice)
        let error = #expect(throws: CycleError.self) {
            try PreviousSetRestorer(context, label: nil).restore(
                confirmed: true, canAsk: false, ui: ScriptedUser(answering: true))
        }
        #expect(error?.description.contains("there is no previous set in") == true, "\(String(describing: error))")
    }

    /// A rollback the state file cannot take still happened, and says so.
    @Test func aRollbackThatCannotBeRecordedSaysSo() throws {
        let machine = try PCRVerificationTests.staged()
        try PCRVerificationTests.blockStateWrites(in: machine.tree)
        let context = BootContext(system: machine.selection, tpm: machine.tpmChoice)
        let restored = try PreviousSetRestorer(context, label: nil)
            .restore(confirmed: true, canAsk: false, ui: ScriptedUser(answering: false))
        #expect(restored.notRecorded?.contains("rolled back, but recording it in") == true)
        #expect(try machine.tree.directory.read("var/lib/tpms/\(BootTree.tpmID)/aem/key.pub") == machine.stockKey)
        #expect(try ResealState.load(from: context.layout.stateFile)?.phase == .staged)
    }
}
