import AEMCore
import AEMTestSupport
import Foundation
import Testing

/// `stage`'s confirmation on the user's terminal (`/dev/tty`), answered on
/// a pseudo-terminal as a user types it (the SRK password prompt has its
/// own tests in SRKPasswordTests).
@Suite(.serialized) struct PromptTests {
    static func confirm(_ setup: StageBehaviourTests.Setup, typing answer: String) throws -> TerminalSession.Outcome {
        try TerminalSession.run(
            [
                CLI.executable.path, "stage", "--root", setup.tree.root, "--tcti", setup.tpm.tcti, "--event-log",
                setup.log,
            ],
            prompt: "[y/N]", keys: Array(answer.utf8))
    }

    @Test(arguments: ["n\r", "\r", "nope\r", "\u{04}"])
    func anythingButYesChangesNothing(answer: String) throws {
        let setup = try StageBehaviourTests.setup()
        let before = setup.activeSet
        let outcome = try Self.confirm(setup, typing: answer)
        #expect(outcome.status == 6, "\(outcome.output)")
        #expect(outcome.output.contains("nothing was changed (not confirmed"), "\(outcome.output)")
        #expect(setup.activeSet == before)
    }

    @Test(arguments: ["y\r", "YES\r"])
    func yesSeals(answer: String) throws {
        let setup = try StageBehaviourTests.setup()
        let before = setup.activeSet
        let outcome = try Self.confirm(setup, typing: answer)
        #expect(outcome.status == 0, "\(outcome.output)")
        #expect(outcome.echoAfterExit)
        #expect(setup.activeSet != before)
    }
}
