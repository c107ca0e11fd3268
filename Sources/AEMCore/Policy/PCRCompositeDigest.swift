/// The TPM 1.2 digest of a PCR composite, computed offline from chosen PCR
/// values: the `digestAtRelease` a sealed blob must carry so that TPM_Unseal
/// releases it exactly when those PCRs hold those values.
///
/// `digest = SHA1(TPM_PCR_COMPOSITE)`, where the composite is the
/// selection (`sizeOfSelect` as a big-endian UInt16, then the mask), the
/// size of the values (big-endian UInt32, 20 per PCR) and the SHA-1 values
/// in ascending PCR order. `sizeOfSelect` is what TrouSerS gives the blob
/// `tpm_sealdata` makes: 3 (PCRs 0-23) in the TPM_PCR_INFO_LONG used when a
/// PCR above 15 is selected, else 2 (PCRs 0-15) in a TPM 1.1 TPM_PCR_INFO.
public enum PCRCompositeDigest {
    /// The digest for PCRs `pcrs` holding `values` (the SHA-1 bank).
    public static func compute(pcrs: [UInt32], values: PCRValues) throws(PolicyPCRDigest.MissingValue) -> Digest {
        let sorted = Array(Set(pcrs)).sorted()
        var composite = selection(sorted)
        composite += UInt32(20 * sorted.count).bigEndianBytes
        for pcr in sorted {
            guard let value = values[.sha1, pcr] else { throw PolicyPCRDigest.MissingValue(pcr: pcr, bank: .sha1) }
            composite += value.bytes
        }
        return HashAlgorithm.sha1.hash(composite)
    }

    /// A TPM_PCR_SELECTION of the PCRs.
    static func selection(_ pcrs: [UInt32]) -> [UInt8] {
        let size = pcrs.contains { $0 > 15 } ? 3 : 2
        return UInt16(size).bigEndianBytes + PCRSelectionMask.bytes(pcrs.filter { $0 < 24 }, size: size)
    }
}
