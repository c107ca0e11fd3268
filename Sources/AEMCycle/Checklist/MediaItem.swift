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
            return .fail(
                "\(reason); the boot reads the sealed set from the media",
                fix:
                    "plug in and mount the AEM device, then run sudo aem-reseal stage (or just this checklist if "
                    + "it is already up to date)"
            )
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
}
