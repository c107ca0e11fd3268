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

    /// No terminal at all (a new session, as from a service) and no
    /// `--yes`: nobody was asked, so it is exit 5, not the user's no, and
    /// nothing changes. A `--root` that is no folder is bad input (2) for
    /// every command, never an empty system.
    @Test func noTerminalIsNotANo() throws {
        let setup = try StageBehaviourTests.setup()
        let before = setup.activeSet
        let stage = try Command.run(
            "setsid",
            ["-w", CLI.executable.path] + HostileInputTests.arguments("stage", setup), environment: ["NO_COLOR": "1"])
        #expect(stage.status == 5, "\(stage.stdout)\(stage.stderr)")
        #expect(stage.stderr.contains("there is no terminal to ask whether to seal"), "\(stage.stderr)")
        #expect(setup.activeSet == before)
        let file = try setup.tree.directory.write("a-file", "")
        for root in [setup.tree.root + "/missing", file] {
            for command in ["predict", "stage", "checklist", "verify", "status", "rollback", "record"] {
                let run = try CLI.run([command, "--root", root])
                #expect(run.status == 2, "\(command) --root \(root): \(run.stdout)\(run.stderr)")
                #expect(run.stderr.contains("--root \(root) is not an existing folder"), "\(run.stderr)")
            }
        }
    }
}
