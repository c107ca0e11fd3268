import SystemPackage

/// The AEM media as this run found it mounted: its folder opened once,
/// without links, and every read and write of the media made relative to
/// that descriptor. Whether the mount point still holds the same folder is
/// checked again before and after a copy: media unmounted meanwhile never
/// turns into a copy onto dom0's bare mount-point folder.
public struct AEMMedia: Sendable {
    /// Where it is mounted, on this machine.
    public var mountPoint: String
    /// The mount point's folder as opened at the start.
    public var directory: ConfinedDirectory

    public init(mountPoint: String, directory: ConfinedDirectory) {
        self.mountPoint = mountPoint
        self.directory = directory
    }

    /// Whether `mountPoint` still names the folder opened at the start
    /// (same device and inode): nothing unmounted it or mounted over it.
    public var isStillMounted: Bool {
        // cannot stat: not known to hold the media, so no copy
        guard let now = try? FilePath(mountPoint).stat() else { return false }
        return now.deviceID == directory.status.deviceID && now.inode == directory.status.inode
    }
}
