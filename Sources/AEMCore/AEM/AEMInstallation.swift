import Foundation
import SystemPackage

/// Where stock AEM keeps things on this system, for one AEM media label.
public struct AEMInstallation: Sendable {
    public var layout: SystemLayout
    /// `aem` plus the media's suffix (usually just `aem`).
    public var label: String
    /// The TPM's id: `/var/lib/tpm` links to `/var/lib/tpms/<id>`.
    public var tpmID: String

    /// Reads the label (argument, else the suffix AEM cached at boot, else
    /// `aem`) and the TPM id from the `/var/lib/tpm` link.
    public init(layout: SystemLayout, label: String?) throws(AEMInstallationError) {
        self.layout = layout
        if let label {
            self.label = label
        } else {
            let cached: [UInt8]?
            do {
                cached = try FileBytes.readIfPresent(layout.cachedSuffix, limit: 256)
            } catch {
                throw .unreadable(error)
            }
            self.label =
                "aem"
                + (cached.map { String(decoding: $0, as: UTF8.self) } ?? "")
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
        guard !self.label.contains("/"), self.label.hasPrefix("aem") else {
            throw .notAnAEMLabel(self.label)
        }
        let link: String?
        do {
            link = try SymbolicLink.target(of: layout.sealedSecrets)
        } catch {
            throw .unreadable(error)
        }
        guard let target = link else { throw .notLinkedToTPMFolder(sealedSecrets: layout.sealedSecrets) }
        let id = FilePath(target).lastComponent?.string ?? ""
        guard !id.isEmpty, id != "..", id != "." else {
            throw .linkedOutsideTPMFolders(sealedSecrets: layout.sealedSecrets, target: target)
        }
        tpmID = id
    }

    /// `/var/lib/tpms/<tpm-id>/<label>`: the active sealed set.
    public var sealedSetDirectory: String { layout.tpmsDirectory + "/\(tpmID)/\(label)" }
    /// `/var/lib/anti-evil-maid/<label>`: the plaintext secrets.
    public var plaintextDirectory: String { layout.plaintextSecrets + "/\(label)" }
    /// `/var/lib/aem-reseal/<label>/previous`: the set a stage replaced.
    public var previousSetDirectory: String { layout.stateDirectory + "/\(label)/previous" }

    /// The installer of dom0's set: relative to `/var/lib`, the active set
    /// in `tpms/<tpm-id>/<label>`, previous sets and history in
    /// `aem-reseal/<label>`.
    public func installer() throws(FileAccessError) -> SealedSetInstaller {
        SealedSetInstaller(
            root: try ConfinedDirectory(path: layout.path("var/lib"), resolution: .withoutLinks),
            activePath: "tpms/\(tpmID)/\(label)", backupPath: "aem-reseal/\(label)")
    }

    /// The set's place on the media, relative to its mount point:
    /// `aem/tpms/<tpm-id>/<label>`.
    public var mediaSetPath: String { "aem/tpms/\(tpmID)/\(label)" }

    /// On the media the replaced set stays beside the active one, for rollback.
    public func mediaInstaller(_ media: AEMMedia) -> SealedSetInstaller {
        SealedSetInstaller(
            root: media.directory, activePath: mediaSetPath, backupPath: "aem/tpms/\(tpmID)/.\(label).aem-reseal")
    }

    /// The secrets present, in stock AEM's order.
    public func presentSecrets() -> [AEMSecretKind] {
        AEMSecretKind.allCases.filter {
            FileManager.default.fileExists(atPath: plaintextDirectory + "/" + $0.plaintextName)
        }
    }

    /// Where the AEM media is mounted: `--media`, else the mount of the
    /// device with the `aem.uuid` of the running kernel's command line, as
    /// the kernel's mount table lists it. The mount point is opened here,
    /// and must carry the device number the table gives.
    public func media(explicit: String?) -> MediaLocation {
        if let explicit {
            do {
                return .mounted(
                    AEMMedia(
                        mountPoint: explicit,
                        directory: try ConfinedDirectory(path: explicit, resolution: .withoutLinks)))
            } catch {
                return .notMounted("the --media folder cannot be used: \(error)")
            }
        }
        let uuid: String
        let text: String
        var devices: Set<String>
        do {
            guard let parameter = try layout.kernelParameter("aem.uuid") else {
                return .notMounted("the running kernel has no aem.uuid parameter: this boot was not an AEM boot")
            }
            uuid = parameter
            devices = ["/dev/disk/by-uuid/\(uuid)", "UUID=\(uuid)"]
            if let target = try SymbolicLink.target(of: layout.path("dev/disk/by-uuid/\(uuid)")) {
                let resolved =
                    target.hasPrefix("/")
                    ? target : FilePath("/dev/disk/by-uuid/" + target).lexicallyNormalized().string
                devices.insert(resolved)
            }
            text = String(decoding: try FileBytes.read(layout.mountInfo, limit: 4 << 20), as: UTF8.self)
        } catch {
            return .notMounted("where the AEM media is mounted cannot be told: \(error)")
        }
        guard let mount = MountTable(mountInfo: text).mounts.last(where: { devices.contains($0.source) }) else {
            return .notMounted("the AEM device (UUID \(uuid)) is not mounted")
        }
        let point = mount.mountPoint
        // A read-only mount would only fail later, after sealing.
        if mount.readOnly {
            return .notMounted(
                "the AEM device (UUID \(uuid)) is mounted read-only at \(point): `sudo mount -o remount,rw \(point)`")
        }
        let directory: ConfinedDirectory
        do {
            directory = try ConfinedDirectory(path: layout.path(point), resolution: .withoutLinks)
        } catch {
            return .notMounted("the AEM device's mount point cannot be opened: \(error)")
        }
        guard directory.status.deviceID == mount.device else {
            return .notMounted(
                "\(point) does not hold the AEM device (UUID \(uuid)): the folder there is on device "
                    + "\(MountTable.majorMinor(directory.status.deviceID)), the mount table says "
                    + "\(MountTable.majorMinor(mount.device))")
        }
        return .mounted(AEMMedia(mountPoint: layout.path(point), directory: directory))
    }

    public enum MediaLocation: Sendable {
        case mounted(AEMMedia)
        case notMounted(String)
    }
}
