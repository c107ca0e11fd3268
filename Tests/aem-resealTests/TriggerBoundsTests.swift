import AEMCore
import AEMTestSupport
import Foundation
import Testing

/// The rpm trigger, with the real binary, never holds up dnf: a run that
/// holds the lock (an interactive `stage` waiting at its prompt) and a TPM
/// that never answers each end it within a bounded time, with exit 0 for
/// the transaction, a message saying what to run by hand, and no file
/// changed. The bound is asserted loosely: a hang would never return.
@Suite(.serialized) struct TriggerBoundsTests {
    static func fire(_ setup: StageBehaviourTests.Setup, tcti: String, environment: [String: String] = [:]) throws -> (
        CLI.Result, TimeInterval
    ) {
        let started = Date()
        let result = try Command.run(
            Fixtures.project("packaging/rpm-trigger"), [], stdin: "/boot/xen-4.17.4.gz\n",
            environment: environment.merging([
                "AEM_RESEAL": CLI.executable.path, "AEM_RESEAL_ROOT": setup.tree.root,
                "AEM_RESEAL_ARGS": "--tcti \(tcti) --event-log \(setup.log)",
            ]) { $1 })
        return (result, Date().timeIntervalSince(started))
    }

    @Test func heldLockEndsTheTriggerAfterTheNonInteractiveWait() throws {
        let setup = try StageBehaviourTests.setup()
        let before = TPMFaultTests.snapshot(setup)
        let held = try RunLockHolder(directory: setup.tree.root + "/var/lib/aem-reseal")
        let (result, elapsed) = try Self.fire(setup, tcti: setup.tpm.tcti)
        withExtendedLifetime(held) {}
        #expect(result.status == 0)
        #expect(result.stdout.contains("another aem-reseal run (test holder"), "\(result.stdout)")
        #expect(result.stdout.contains("could not seal ahead"))
        #expect(result.stdout.contains("sudo aem-reseal stage"))
        #expect(elapsed < 60, "the --non-interactive lock wait is 10 s")
        #expect(TPMFaultTests.snapshot(setup) == before)
    }

    @Test func muteTPMEndsTheTriggerAfterTheTPMDeadline() throws {
        let setup = try StageBehaviourTests.setup()
        let before = TPMFaultTests.snapshot(setup)
        let mute = try MuteTPM()
        let (result, elapsed) = try Self.fire(setup, tcti: mute.tcti, environment: ["AEM_RESEAL_TPM_TIMEOUT": "2"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("the TPM did not answer in time"), "\(result.stdout)")
        #expect(result.stdout.contains("could not seal ahead"))
        #expect(elapsed < 60)
        #expect(TPMFaultTests.snapshot(setup) == before)

        // stage itself: exit 3.
        let stage = try CLI.run(
            ["stage", "--root", setup.tree.root, "--tcti", mute.tcti, "--event-log", setup.log, "--non-interactive"],
            environment: ["AEM_RESEAL_TPM_TIMEOUT": "2"])
        #expect(stage.status == 3)
        withExtendedLifetime(mute) {}
    }
}
