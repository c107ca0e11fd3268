import SystemPackage

/// A file the next boot depends on whose provenance is asked about: a
/// module, the MLE, a launch module or a GRUB configuration file.
public struct BootFile: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case module(ModuleRole)
        /// tboot, or Xen under TrenchBoot: what SINIT (or the SKL) measures.
        case measuredLaunchEnvironment
        /// SINIT, an LCP file or AMD's SKL: measured by the launch itself.
        case launchModule
        /// `grub.cfg` or a file it sources: what chose the entry and its
        /// command lines.
        case grubConfiguration
        /// An environment block `load_env` read (`grubenv`): variables
        /// only, and GRUB itself rewrites it at boot.
        case grubEnvironment
    }

    public var kind: Kind
    /// As GRUB names it (`/vmlinuz-6.6.21`).
    public var grubPath: String
    /// Its real path inside the boot partition, links resolved; nil when
    /// it could not be told (it is then never vouched for).
    public var partitionPath: FilePath?
    public var sha256: Digest

    public init(kind: Kind, grubPath: String, partitionPath: FilePath?, sha256: Digest) {
        self.kind = kind
        self.grubPath = grubPath
        self.partitionPath = partitionPath
        self.sha256 = sha256
    }

    /// Files dracut or grub2-mkconfig write on the running dom0 rather
    /// than a package: only these may be vouched for by having been
    /// written while a proven dom0 ran.
    public var isGeneratedOnDom0: Bool {
        switch kind {
        case .module(.initramfs), .grubConfiguration, .grubEnvironment: return true
        default: return false
        }
    }
}
