/// The bitmap TPM structures select PCRs with (the `pcrSelect` of a TPM 2.0
/// TPMS_PCR_SELECTION, the mask of a TPM 1.2 TPM_PCR_SELECTION): bit
/// `n % 8` of byte `n / 8` selects PCR n.
public enum PCRSelectionMask {
    /// The mask of `pcrs` in `size` bytes; every PCR must fit in it.
    public static func bytes(_ pcrs: some Sequence<UInt32>, size: Int) -> [UInt8] {
        var mask = [UInt8](repeating: 0, count: size)
        for pcr in pcrs {
            precondition(Int(pcr) < size * 8, "PCR \(pcr) does not fit in a \(size)-byte selection")
            mask[Int(pcr / 8)] |= 1 << (pcr % 8)
        }
        return mask
    }

    /// The PCRs a mask selects, ascending.
    public static func pcrs(in mask: some Sequence<UInt8>) -> [UInt32] {
        var pcrs = [UInt32]()
        for (index, byte) in mask.enumerated() {
            for bit in 0..<8 where byte & (1 << bit) != 0 { pcrs.append(UInt32(index * 8 + bit)) }
        }
        return pcrs
    }
}
