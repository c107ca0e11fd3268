/// A TPM 2.0 handle as the TPM names it (TPM2_HR_*): persistent objects
/// live at 0x81xxxxxx.
public struct TPMHandle: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt32

    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// AEM's storage root key: the persistent handle anti-evil-maid-tpm-setup
    /// creates in the owner hierarchy, which stock AEM seals under.
    public static let aemSRK = TPMHandle(rawValue: 0x8100_0001)

    /// "0x81000001", as tpm2-tools prints handles.
    public var description: String { "0x" + String(rawValue, radix: 16) }
}
