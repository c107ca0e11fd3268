/// The measured-launch loader a GRUB entry runs.
public enum DynamicLaunchLoader: String, Sendable {
    /// `multiboot /tboot.gz`, Xen and dom0 as its modules.
    case tboot
    /// `slaunch`, `multiboot2 /xen.gz`, dom0 as modules, `slaunch_module` SINIT or SKL.
    case trenchBoot = "TrenchBoot"

    /// What the measured launch environment is to a user: tboot is the MLE
    /// tboot launches; under TrenchBoot there is no tboot and Xen itself is
    /// the MLE (Intel) or DLME (AMD).
    public var mleName: String {
        switch self {
        case .tboot: return "tboot"
        case .trenchBoot: return "Xen"
        }
    }

    /// What takes the MLE's measurement at the launch: SINIT for tboot;
    /// SINIT or AMD's secure loader for TrenchBoot's Xen.
    public var mleMeasurer: String {
        switch self {
        case .tboot: return "SINIT"
        case .trenchBoot: return "the dynamic launch (SINIT, or the SKL on AMD)"
        }
    }
}
