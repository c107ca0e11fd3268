/// The TPM 2.0 policy digest of a single TPM2_PolicyPCR, computed offline
/// from chosen PCR values: the policy a sealed object must carry so that
/// it unseals exactly when those PCRs hold those values.
///
/// `policy = H(0...0 || TPM_CC_PolicyPCR || TPML_PCR_SELECTION || H(values))`
/// with the values concatenated in selection order (ascending PCR), all
/// integers big-endian, and H the policy's hash (the object's nameAlg).
/// It equals what `tpm2_policypcr` or `tpm2_createpolicy --policy-pcr`
/// produce for the same values.
public enum PolicyPCRDigest {
    static let commandCode: UInt32 = 0x0000_017F

    public struct MissingValue: Error, Sendable, CustomStringConvertible {
        public var pcr: UInt32
        public var bank: HashAlgorithm
        public var description: String { "no \(bank) value for PCR \(pcr) to seal to" }
    }

    /// The digest for PCRs `pcrs` of `bank` holding `values`.
    public static func compute(
        bank: HashAlgorithm, pcrs: [UInt32], values: PCRValues, policyHash: HashAlgorithm = .sha256
    ) throws(MissingValue) -> Digest {
        let sorted = Array(Set(pcrs)).sorted()
        let concatenated = DigestEngine(policyHash)
        for pcr in sorted {
            guard let value = values[bank, pcr] else { throw MissingValue(pcr: pcr, bank: bank) }
            concatenated.update(value.bytes)
        }
        let pcrDigest = concatenated.finalize()

        var selection = [UInt8]()
        selection += UInt32(1).bigEndianBytes  // one TPMS_PCR_SELECTION
        selection += bank.tpmAlgorithmID.bigEndianBytes
        selection.append(3)  // sizeofSelect: PCRs 0-23
        selection += PCRSelectionMask.bytes(sorted, size: 3)

        let policy = DigestEngine(policyHash)
        policy.update([UInt8](repeating: 0, count: policyHash.digestSize))
        policy.update(commandCode.bigEndianBytes)
        policy.update(selection)
        policy.update(pcrDigest.bytes)
        return policy.finalize()
    }
}
