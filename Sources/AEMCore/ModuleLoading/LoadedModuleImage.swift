import SystemPackage

/// A boot module as GRUB hands it to tboot, summarized by its digests.
public struct LoadedModuleImage: Sendable {
    /// The path as the GRUB entry names it (`/xen-4.17.3.gz`).
    public var grubPath: String
    /// Where it was read on this machine, for messages.
    public var displayPath: String
    /// Its real path inside the boot partition, links resolved (what the
    /// rpm database and the boot-file snapshots name it by); nil when
    /// /proc cannot tell.
    public var partitionPath: FilePath?
    public var compression: ModuleCompression
    /// Size of the loaded (decompressed) image; nil when the file was only
    /// fingerprinted (`ModuleImageLoader.fingerprint`).
    public var loadedSize: Int?
    /// Digest of the loaded image, per bank asked for; empty when the file
    /// was only fingerprinted.
    public var imageDigests: [HashAlgorithm: Digest]
    /// SHA-256 of the file as stored: what a boot record keeps to tell
    /// later whether the file changed.
    public var fileDigest: Digest
    public var fileSize: Int
    /// An Intel Authenticated Code Module (SINIT): tboot drops it before measuring.
    public var isAuthenticatedCodeModule: Bool
    /// A TXT launch control policy data file: tboot drops it too.
    public var isLaunchControlPolicy: Bool

    /// Whether tboot removes this module before it measures the others.
    public var isDroppedByTboot: Bool { isAuthenticatedCodeModule || isLaunchControlPolicy }
}
