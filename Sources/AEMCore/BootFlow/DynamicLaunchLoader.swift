/// The measured-launch loader a GRUB entry runs.
public enum DynamicLaunchLoader: String, Sendable {
    /// `multiboot /tboot.gz`, Xen and dom0 as its modules.
    case tboot
    /// `slaunch`, `multiboot2 /xen.gz`, dom0 as modules, `slaunch_module` SINIT or SKL.
    case trenchBoot = "TrenchBoot"
}
