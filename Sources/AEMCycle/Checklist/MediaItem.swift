import AEMCore
import AEMTPM
import Foundation

/// The AEM media holds the active set.
struct MediaItem: ChecklistItem {
    let id = "media"
    let title = "The AEM media holds the same sealed set"

    func check(_ context: ChecklistContext) -> ChecklistResult {
        guard case let .success(installation) = context.installation else {
            return .fail("AEM is not set up", fix: "see the aem-configuration item")
        }
        switch installation.media(explicit: context.system.media) {
        case let .notMounted(reason):
            return unplugged(reason, staged: context.stagedState)
        case let .mounted(media):
            let mediaInstaller = installation.mediaInstaller(media)
            let onMedia: String?
            let onDisk: String?
            do {
                onMedia = try mediaInstaller.readActive()?.fingerprint
                onDisk = try installation.installer().readActive()?.fingerprint
            } catch {
                return .fail("\(error)", fix: "remove what is named, then run sudo aem-reseal stage")
            }
            guard onMedia != nil, onMedia == onDisk else {
                return .fail(
                    "\(mediaInstaller.activeDirectory) differs from \(installation.sealedSetDirectory)",
                    fix: "run sudo aem-reseal stage --media \(media.mountPoint)")
            }
            return .pass(mediaInstaller.activeDirectory)
        }
    }

    /// The media not mounted (an AEM USB stick kept apart, as it should
    /// be): it cannot be compared now. Only a staged set that never reached
    /// it fails; a set copied when it was staged, or no seal staged at all
    /// (the media keeps AEM's own set), is a warning that says so.
    private func unplugged(_ reason: String, staged: ResealState?) -> ChecklistResult {
        guard let staged else {
            return .warning(
                "\(reason), so it cannot be compared now; no seal is staged, so it keeps the set AEM itself made",
                fix:
                    "nothing to do now; have it mounted during updates, so that the update's seal is copied to it "
                    + "(or run sudo aem-reseal stage with it mounted after an update)")
        }
        if let media = staged.media, media.copied, media.fingerprint != nil, media.fingerprint == staged.setFingerprint
        {
            return .warning(
                "\(reason), so it cannot be compared now; the staged set was copied to it when it was staged "
                    + "(\(media.path ?? "its mount point then"))",
                fix: "plug it in to boot as usual; mount it and run this checklist again to compare")
        }
        return .fail(
            "\(reason); the staged set is not on it, and the boot reads the sealed set from the media",
            fix: "plug in and mount the AEM device, then run sudo aem-reseal stage (it copies the same seal)")
    }
}
