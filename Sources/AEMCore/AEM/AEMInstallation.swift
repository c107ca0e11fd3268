import Foundation

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
        } else if let cached = try? FileBytes.read(layout.cachedSuffix, limit: 256) {
            self.label = "aem" + String(decoding: cached, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        } else {
            self.label = "aem"
        }
        guard !self.label.contains("/"), self.label.hasPrefix("aem") else {
            throw .notAnAEMLabel(self.label)
        }
        guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: layout.sealedSecrets) else {
            throw .notLinkedToTPMFolder(sealedSecrets: layout.sealedSecrets)
        }
        let id = (target as NSString).lastPathComponent
        guard !id.isEmpty, id != "..", id != "." else {
            throw .linkedOutsideTPMFolders(sealedSecrets: layout.sealedSecrets, target: target)
        }
        tpmID = id
    }

    /// `/var/lib/tpms/<tpm-id>/<label>`: the active sealed set.
    public var sealedSetDirectory: String { layout.tpmsDirectory + "/\(tpmID)/\(label)" }
    /// `/var/lib/anti-evil-maid/<label>`: the plaintext secrets.
    public var plaintextDirectory: String { layout.plaintextSecrets + "/\(label)" }
    /// `/var/lib/aem-reseal/<label>`: previous sets and history.
    public var backupDirectory: String { layout.stateDirectory + "/\(label)" }

    public var installer: SealedSetInstaller {
        SealedSetInstaller(activeDirectory: sealedSetDirectory, backupDirectory: backupDirectory)
    }

    /// The set's place on mounted AEM media: `<media>/aem/tpms/<tpm-id>/<label>`.
    public func mediaSetDirectory(mountPoint: String) -> String {
        mountPoint + "/aem/tpms/\(tpmID)/\(label)"
    }

    /// On the media the replaced set stays beside the active one, for rollback.
    public func mediaInstaller(mountPoint: String) -> SealedSetInstaller {
        let active = mediaSetDirectory(mountPoint: mountPoint)
        return SealedSetInstaller(
            activeDirectory: active,
            backupDirectory: (active as NSString).deletingLastPathComponent + "/.\(label).aem-reseal",
            linkFreeRoot: mountPoint)
    }

    /// The secrets present, in stock AEM's order.
    public func presentSecrets() -> [AEMSecretKind] {
        AEMSecretKind.allCases.filter {
            FileManager.default.fileExists(atPath: plaintextDirectory + "/" + $0.plaintextName)
        }
    }

    /// Where the AEM media is mounted: `--media`, else the mount of the
    /// device with the `aem.uuid` of the running kernel's command line.
    public func mediaMountPoint(explicit: String?) -> MediaLocation {
        if let explicit {
            return FileManager.default.fileExists(atPath: explicit)
                ? .mounted(explicit) : .notMounted("the --media folder \(explicit) does not exist")
        }
        guard let uuid = layout.kernelParameter("aem.uuid") else {
            return .notMounted("the running kernel has no aem.uuid parameter: this boot was not an AEM boot")
        }
        let byUUID = layout.path("dev/disk/by-uuid/\(uuid)")
        var devices: Set<String> = ["/dev/disk/by-uuid/\(uuid)", "UUID=\(uuid)"]
        if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: byUUID) {
            let resolved =
                target.hasPrefix("/") ? target : ("/dev/disk/by-uuid/" + target as NSString).standardizingPath
            devices.insert(resolved)
        }
        let mounts =
            (try? FileBytes.read(layout.path("proc/mounts"), limit: 1 << 20)).map {
                String(decoding: $0, as: UTF8.self)
            } ?? ""
        for line in mounts.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count >= 2, devices.contains(String(fields[0])) else { continue }
            let point = String(fields[1]).replacingOccurrences(of: "\\040", with: " ")
            // A read-only mount would only fail later, after sealing.
            if fields.count >= 4, fields[3].split(separator: ",").contains("ro") {
                return .notMounted(
                    "the AEM device (UUID \(uuid)) is mounted read-only at \(point): `sudo mount "
                        + "-o remount,rw \(point)`"
                )
            }
            return .mounted(layout.path(point))
        }
        return .notMounted("the AEM device (UUID \(uuid)) is not mounted")
    }

    public enum MediaLocation: Sendable, Equatable {
        case mounted(String)
        case notMounted(String)
    }
}
