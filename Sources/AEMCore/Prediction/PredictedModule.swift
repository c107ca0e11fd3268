/// One module of the next boot: what GRUB will load, the measurement tboot
/// will extend, and how it compares with the current boot.
public struct PredictedModule: Sendable {
    /// Position among the measured modules (SINIT and LCP removed).
    public var index: Int
    public var role: ModuleRole
    public var image: LoadedModuleImage
    public var commandLine: String
    public var pcr: UInt32
    /// The measurement tboot will extend, per bank its events use.
    public var predicted: [Digest]
    /// The measurement of the same module in the current boot's log.
    public var current: [Digest]
    public var imageChange: ChangeFinding
    public var commandLineChange: ChangeFinding
    /// The other file on /boot that this boot measured in the module's
    /// place, when the evidence ladder found it.
    public var bootedFile: String?
    /// Whether GRUB loads it from the path it loaded at this boot (nil when
    /// nothing tells): with an unchanged command line, the configuration
    /// then chose it as it did this boot.
    public var samePathAsBooted: Bool?
    /// Whether the boot record shows the booted file in its place
    /// recomputed to its logged measurement when the record was made.
    public var bootRecordReproduced = false

    /// Whether the module changed since the current boot, from evidence.
    public var changed: Bool { imageChange.state != .unchanged || commandLineChange.state != .unchanged }

    /// Whether the recomputed measurement equals the current boot's.
    public var sameAsCurrentBoot: Bool { predicted == current }

    /// Whether this module proves the prediction model on this machine: it
    /// recomputes to the logged measurement, or the file it replaced does
    /// (found on /boot, or per the boot record).
    public var provesModel: Bool { sameAsCurrentBoot || bootedFile != nil || bootRecordReproduced }

    /// The module as self-check problems name it.
    public var reference: SelfCheckProblem.ModuleReference { .init(role: role, path: image.grubPath, pcr: pcr) }
}

/// What a module of an AEM entry is, by its position: tboot hands Xen the
/// first module, Xen takes the dom0 kernel and initramfs from the next two.
public enum ModuleRole: String, Sendable, Codable {
    case xen
    case dom0Kernel = "dom0-kernel"
    case initramfs
    case other

    /// The role of the measured module at `index`: under tboot Xen is the
    /// first module; under TrenchBoot Xen is the kernel and dom0 comes first.
    public init(index: Int, launcher: DynamicLaunchLoader = .tboot) {
        switch index + (launcher == .trenchBoot ? 1 : 0) {
        case 0: self = .xen
        case 1: self = .dom0Kernel
        case 2: self = .initramfs
        default: self = .other
        }
    }

    public var displayName: String {
        switch self {
        case .xen: return "Xen"
        case .dom0Kernel: return "dom0 kernel"
        case .initramfs: return "initramfs"
        case .other: return "module"
        }
    }
}
