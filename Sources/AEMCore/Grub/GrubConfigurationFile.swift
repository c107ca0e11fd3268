import SystemPackage

/// A file the GRUB evaluation read (`grub.cfg`, a sourced file, an
/// environment block): what chose the entry and its command lines, so its
/// provenance matters as the modules' does.
public struct GrubConfigurationFile: Sendable, Equatable {
    /// As GRUB names it (`/grub2/grub.cfg`), or the host path of a
    /// configuration the user named outside the boot partition.
    public var path: String
    /// Where it lies inside the boot partition, links resolved; nil when
    /// it is not on the partition.
    public var partitionPath: FilePath?
    /// SHA-256 of the bytes read.
    public var sha256: Digest
    /// An environment block `load_env` read (`grubenv`), not a script.
    public var isEnvironmentBlock: Bool

    public init(path: String, partitionPath: FilePath?, sha256: Digest, isEnvironmentBlock: Bool = false) {
        self.path = path
        self.partitionPath = partitionPath
        self.sha256 = sha256
        self.isEnvironmentBlock = isEnvironmentBlock
    }
}
