/// The release conditions of a TPM 1.2 sealed blob (the "ENC KEY" section
/// of a `tpm_sealdata` file), read offline: which PCRs it is sealed to and
/// the composite digest they must give. Lets `checklist` prove a staged
/// TPM 1.2 set is sealed to the prediction without the TPM.
///
/// Two layouts exist (TPM Main Part 2, 9.1 and 9.3), all integers
/// big-endian:
/// - TPM_STORED_DATA: version (4), sealInfoSize (4), TPM_PCR_INFO
///   { pcrSelection, digestAtRelease (20), digestAtCreation (20) }, encData;
/// - TPM_STORED_DATA12: tag 0x0016 (2), entity type (2), sealInfoSize (4),
///   TPM_PCR_INFO_LONG { tag 0x0006, localityAtCreation, localityAtRelease,
///   creationPCRSelection, releasePCRSelection, digestAtCreation (20),
///   digestAtRelease (20) }, encData.
public struct TPM12StoredData: Sendable, Equatable {
    /// The PCRs the data is released on.
    public var releasePCRs: [UInt32]
    /// SHA-1 of their composite at release.
    public var digestAtRelease: Digest
    /// The localities allowed to unseal (bit n = locality n); all for the
    /// 1.1 layout.
    public var localityAtRelease: UInt8

    static let storedData12Tag: UInt16 = 0x0016
    static let pcrInfoLongTag: UInt16 = 0x0006

    public static func parse(_ bytes: [UInt8]) throws(TPM12StoredDataError) -> TPM12StoredData {
        var reader = BigEndianCursor(bytes)
        guard let first = reader.u16() else { throw .empty }
        if first == storedData12Tag {
            guard reader.u16() != nil, let size = reader.u32(), let sealInfo = reader.take(Int(size)) else {
                throw .truncated
            }
            var info = BigEndianCursor(sealInfo)
            guard info.u16() == pcrInfoLongTag, info.u8() != nil, let locality = info.u8(), info.selection() != nil,
                let release = info.selection(), info.take(20) != nil, let digest = info.take(20)
            else {
                throw .malformedPCRInfo(long: true)
            }
            return TPM12StoredData(
                releasePCRs: release, digestAtRelease: Digest(algorithm: .sha1, bytes: digest),
                localityAtRelease: locality)
        }
        // TPM_STORED_DATA: the first two bytes were the version's major and minor.
        guard first == 0x0101, reader.u16() != nil, let size = reader.u32(), let sealInfo = reader.take(Int(size))
        else {
            throw .notStoredData
        }
        guard !sealInfo.isEmpty else { throw .boundToNoPCR }
        var info = BigEndianCursor(sealInfo)
        guard let release = info.selection(), let digest = info.take(20) else {
            throw .malformedPCRInfo(long: false)
        }
        return TPM12StoredData(
            releasePCRs: release, digestAtRelease: Digest(algorithm: .sha1, bytes: digest), localityAtRelease: 0x1F)
    }
}

extension BigEndianCursor {
    /// A TPM_PCR_SELECTION, as the PCR numbers it selects.
    fileprivate mutating func selection() -> [UInt32]? {
        guard let size = u16(), size <= 32, let mask = take(Int(size)) else { return nil }
        return PCRSelectionMask.pcrs(in: mask)
    }
}
