import AEMCore
import AEMTestSupport
import Foundation
import Testing

/// The AEM media as the kernel really refuses it: full of bytes, out of
/// inodes, read-only, not mounted. A seal the media lacks is not done: exit
/// 7, "do not reboot yet", the media keeps exactly one whole set (the old
/// one) and no partial copy; once fixed, `stage` copies the same seal and
/// `rollback` restores the old one on the media too.
@Suite(.serialized) struct MediaFailureTests {
    struct World {
        var setup: StageBehaviourTests.Setup
        var mount: SmallMount
        var media: String { mount.path }
        var mediaSet: String { media + "/aem/tpms/\(BootTree.tpmID)/aem" }
        var staging: String { media + "/aem/tpms/\(BootTree.tpmID)/.aem.aem-reseal-staging" }
        var original: String

        func stage() throws -> CLI.Result { try setup.stage(["--yes", "--media", media]) }
        func rollback() throws -> CLI.Result {
            try CLI.run(["rollback", "--root", setup.tree.root, "--yes", "--media", media])
        }

        /// Exactly one whole set on the media, the old one, and no leftover.
        func mediaHoldsTheOldSetOnly() -> Bool {
            SealedSet.isComplete(at: mediaSet) && SealedSet.fingerprint(at: mediaSet) == original
                && !FileManager.default.fileExists(atPath: staging)
        }
    }

    /// A booted chain with AEM's set on a tmpfs media, then a Xen update.
    static func world() throws -> World {
        let setup = try StageBehaviourTests.setup()
        let mount = try SmallMount(at: setup.tree.root + "/media/aem", kilobytes: 256, inodes: 64)
        try setup.tree.copySealedSetToMedia(mount.path)
        return World(
            setup: setup, mount: mount, original: try #require(SealedSet.fingerprint(at: setup.tree.sealedSet)))
    }

    static func expectNotDone(_ result: CLI.Result, _ because: String) {
        #expect(result.status == 7, "\(result.stdout) \(result.stderr)")
        #expect(result.stderr.contains("do not reboot yet"))
        #expect(result.stdout.contains("Do not reboot yet"))
        #expect(result.stdout.contains(because), "\(result.stdout)")
        #expect(!result.stdout.contains("Staged."))
    }

    /// After the failure: freed, staged again (the same seal copied), then
    /// rolled back on disk and media.
    static func expectRecovery(_ world: World, staged: String?) throws {
        let copied = try world.stage()
        #expect(copied.status == 0, "\(copied.stderr)")
        #expect(world.setup.activeSet == staged, "the same seal is copied, not a new one")
        #expect(SealedSet.fingerprint(at: world.mediaSet) == staged)
        let rollback = try world.rollback()
        #expect(rollback.status == 0, "\(rollback.stderr)")
        #expect(world.setup.activeSet == world.original)
        #expect(SealedSet.fingerprint(at: world.mediaSet) == world.original)
    }

    @Test func fullMediaKeepsTheOldSetAndSaysDoNotReboot() throws {
        let world = try Self.world()
        defer { world.mount.unmount() }
        try world.mount.fill()
        let result = try world.stage()
        Self.expectNotDone(result, "No space left on device")
        #expect(world.mediaHoldsTheOldSetOnly())
        let staged = world.setup.activeSet
        #expect(staged != world.original)
        // The trigger's rerun while still full: still not done, nothing sealed again.
        Self.expectNotDone(try world.stage(), "No space left on device")
        #expect(world.setup.activeSet == staged)
        try world.mount.empty()
        try Self.expectRecovery(world, staged: staged)
    }

    @Test func mediaOutOfInodesKeepsTheOldSet() throws {
        let world = try Self.world()
        defer { world.mount.unmount() }
        // Room for the staging folder and one file, not for the whole set.
        try world.mount.fill(leavingInodes: 2)
        let result = try world.stage()
        Self.expectNotDone(result, "No space left on device")
        #expect(world.mediaHoldsTheOldSetOnly())
        let staged = world.setup.activeSet
        try world.mount.empty()
        try Self.expectRecovery(world, staged: staged)
    }

    @Test func readOnlyMediaKeepsTheOldSet() throws {
        let world = try Self.world()
        defer { world.mount.unmount() }
        try world.mount.remount(readOnly: true)
        let result = try world.stage()
        Self.expectNotDone(result, "Read-only file system")
        #expect(world.mediaHoldsTheOldSetOnly())
        let staged = world.setup.activeSet
        // Rollback with the media still read-only: dom0's set is back, the
        // media's is untouched (still the old one), and it says so.
        try world.mount.remount(readOnly: false)
        try Self.expectRecovery(world, staged: staged)
    }

    /// The AEM device mounted read-only as /proc/mounts says: named before
    /// anything is written to it.
    @Test func readOnlyMountIsNamed() throws {
        let setup = try StageBehaviourTests.setup()
        try setup.tree.mountBootAsMedia(options: "ro,relatime")
        let result = try setup.stage(["--yes"])
        Self.expectNotDone(result, "is mounted read-only at /boot: `sudo mount -o remount,rw /boot`")
    }

    /// Rollback while the media is away: dom0's set is back, exit 7 says
    /// the media is not; rolling back again once it is mounted finishes it.
    @Test func rollbackWithoutTheMediaIsNotDone() throws {
        let setup = try StageBehaviourTests.setup()
        let original = setup.activeSet
        #expect(try setup.stage(["--yes"]).status == 0)
        let staged = setup.activeSet
        #expect(SealedSet.fingerprint(at: setup.tree.mediaSealedSet) == staged)
        try setup.tree.unmountMedia()
        let away = try CLI.run(["rollback", "--root", setup.tree.root, "--yes"])
        #expect(away.status == 7, "\(away.stderr)")
        #expect(away.stderr.contains("the AEM media does not hold the previous seal"))
        #expect(setup.activeSet == original)
        try setup.tree.mountBootAsMedia()
        let again = try CLI.run(["rollback", "--root", setup.tree.root, "--non-interactive"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(setup.activeSet == original)
        #expect(SealedSet.fingerprint(at: setup.tree.mediaSealedSet) == original)
    }

    /// `--non-interactive` is not `--yes`: rollback stops and changes nothing.
    @Test func nonInteractiveRollbackNeedsYes() throws {
        let setup = try StageBehaviourTests.setup()
        #expect(try setup.stage(["--yes"]).status == 0)
        let staged = setup.activeSet
        let result = try CLI.run(["rollback", "--root", setup.tree.root, "--non-interactive"])
        #expect(result.status == 5)
        #expect(result.stderr.contains("needs --yes with --non-interactive"))
        #expect(setup.activeSet == staged)
    }

    /// `checklist`'s media item on a machine whose AEM media is a USB stick
    /// kept apart: not mounted with nothing staged, or with the staged set
    /// copied when it was staged, is a warning (the checklist stays ready);
    /// a staged set that never reached it fails.
    @Test func anUnpluggedStickFailsTheChecklistOnlyWhenItLacksTheStagedSet() throws {
        func mediaItem(_ setup: StageBehaviourTests.Setup) throws -> [String: Any] {
            let checklist = try CLI.run([
                "checklist", "--json", "--root", setup.tree.root, "--tcti", setup.tpm.tcti, "--event-log", setup.log,
            ])
            let items = try #require(try checklist.json()["items"] as? [[String: Any]], "\(checklist.stdout)")
            return try #require(items.first { $0["id"] as? String == "media" })
        }
        let copied = try StageBehaviourTests.setup()
        #expect(try copied.stage(["--yes"]).status == 0)
        try copied.tree.unmountMedia()
        let afterCopy = try mediaItem(copied)
        #expect(afterCopy["status"] as? String == "warning", "\(afterCopy)")
        #expect((afterCopy["detail"] as? String)?.contains("copied to it when it was staged") == true, "\(afterCopy)")

        let nothing = try StageBehaviourTests.setup()
        try nothing.tree.unmountMedia()
        let nothingStaged = try mediaItem(nothing)
        #expect(nothingStaged["status"] as? String == "warning", "\(nothingStaged)")
        #expect((nothingStaged["detail"] as? String)?.contains("no seal is staged") == true, "\(nothingStaged)")

        let missed = try StageBehaviourTests.setup()
        try missed.tree.unmountMedia()
        #expect(try missed.stage(["--yes"]).status == 7)
        let lacking = try mediaItem(missed)
        #expect(lacking["status"] as? String == "fail", "\(lacking)")
        #expect((lacking["detail"] as? String)?.contains("the staged set is not on it") == true, "\(lacking)")
    }
}
