/// What the TrenchBoot flows share: Xen is the MLE (no command line in its
/// MLE), Xen measures each module's bytes alone into PCR 17, and PCR 18
/// holds GRUB's multiboot2 information, which no file predicts. AEM seals
/// in SHA-256 on a TPM 2.0 and SHA-1 on a TPM 1.2.
public protocol TrenchBootFlow: BootFlow {}

extension TrenchBootFlow {
    public var sealBank: HashAlgorithm { tpmVersion == .tpm20 ? .sha256 : .sha1 }
    public var extendedPCRs: Set<UInt32> { [17, 18] }
    public var launcher: DynamicLaunchLoader { .trenchBoot }
    public var mleMeasuresCommandLine: Bool { false }
    public var measuresModuleCommandLines: Bool { false }

    public var unpredictablePCRs: [UInt32: String] {
        [
            18:
                "it holds a hash of GRUB's whole multiboot2 information structure: load addresses chosen by GRUB's "
                + "allocator, the memory map, Xen's section headers and padding GRUB never zeroes, so any Xen, "
                + "kernel or initramfs update changes it in a way no file predicts"
        ]
    }

    public func modulePCR(index: Int) -> UInt32 { 17 }

    /// Xen hashes the module's bytes alone: the command line is part of the MBI (PCR 18).
    public func moduleMeasurement(commandLine: String, imageDigest: Digest) -> Digest { imageDigest }
}
