/// tboot's launch policy as it measures it: the policy event digest is
/// `H_bank( LE32(policy_control) || H_current(serialized policy) )`.
///
/// Without a policy in TPM NV tboot uses a built-in default. The serialized
/// form (`tb_policy_t`): version, policy type, hash algorithm, u32 policy
/// control, u32 reserved, entry count, then 8-byte entries
/// `{mod_num, pcr, hash_type, u32 nv_index/reserved, num_hashes}`.
public struct TbootPolicy: Sendable, Equatable {
    public var serialized: [UInt8]
    public var policyControl: UInt32

    /// The default policy with the legacy PCR mapping (TPM 1.2): module 0
    /// goes to PCR 18 outside the policy, other modules to PCR 19.
    public static let defaultLegacy = TbootPolicy(hashAlgorithm: 0x04, modulePCR: 19)

    /// The default policy with the details/authorities mapping (always on
    /// TPM 2.0): every module to PCR 17. tboot records its SHA-256 algorithm ID.
    public static let defaultDetailsAuthorities = TbootPolicy(hashAlgorithm: 0x0B, modulePCR: 17)

    private init(hashAlgorithm: UInt8, modulePCR: UInt8) {
        policyControl = 1  // TB_POLCTL_EXTEND_PCR17
        serialized =
            [2, 0, hashAlgorithm, 1, 0, 0, 0, 0, 0, 0, 0, 3]
            + [0x00, 0xFF, 0x00, 0, 0, 0, 0, 0]  // module 0: no PCR (measured separately)
            + [0x81, modulePCR, 0x00, 0, 0, 0, 0, 0]  // any other module
            + [0x83, 22, 0x00, 0x10, 0x00, 0x00, 0x40, 0]  // NV index 0x40000010 (geo-tagging) to PCR 22
    }

    /// The digest of tboot's policy event in `bank`, with tboot's current
    /// algorithm `current` hashing the policy itself.
    public func eventDigest(bank: HashAlgorithm, current: HashAlgorithm) -> Digest {
        let control: [UInt8] = [
            UInt8(policyControl & 0xFF), UInt8(policyControl >> 8 & 0xFF), UInt8(policyControl >> 16 & 0xFF),
            UInt8(policyControl >> 24),
        ]
        return bank.hash(control + current.hash(serialized).bytes)
    }
}
