import AEMCore
import CTSS2

extension TPMConnection {
    /// Reads PCRs in the given banks. Banks the TPM has not allocated are
    /// left out of the result rather than failing.
    public func readPCRs(banks: [HashAlgorithm], pcrs: [UInt32]) throws(TPMError) -> PCRValues {
        var result = PCRValues()
        for bank in banks {
            var wanted = Set(pcrs.filter { $0 < 24 })
            // The TPM returns at most eight digests per call.
            while !wanted.isEmpty {
                var selection = TPML_PCR_SELECTION()
                selection.count = 1
                selection.pcrSelections.0 = Self.pcrSelection(bank: bank, pcrs: wanted)
                var counter: UInt32 = 0
                var selected: UnsafeMutablePointer<TPML_PCR_SELECTION>?
                var values: UnsafeMutablePointer<TPML_DIGEST>?
                try check(
                    Esys_PCR_Read(
                        esys, ESYS_TR_NONE, ESYS_TR_NONE, ESYS_TR_NONE, &selection, &counter, &selected, &values),
                    "reading PCRs \(wanted.sorted().map(String.init).joined(separator: ",")) of bank \(bank)")
                defer {
                    Esys_Free(selected)
                    Esys_Free(values)
                }
                guard let selected, let values, selected.pointee.count > 0 else { break }
                let returned = Self.pcrs(in: selected.pointee.pcrSelections.0)
                guard !returned.isEmpty else { break }
                let digests = Self.digests(values.pointee)
                for (pcr, bytes) in zip(returned, digests) where bytes.count == bank.digestSize {
                    result[bank, pcr] = Digest(algorithm: bank, bytes: bytes)
                }
                wanted.subtract(returned)
            }
        }
        return result
    }

    /// The banks the TPM has allocated (with at least one PCR selected).
    public func allocatedBanks() throws(TPMError) -> [HashAlgorithm] {
        var more: TPMI_YES_NO = 0
        var data: UnsafeMutablePointer<TPMS_CAPABILITY_DATA>?
        try check(
            Esys_GetCapability(esys, ESYS_TR_NONE, ESYS_TR_NONE, ESYS_TR_NONE, TPM2_CAP_PCRS, 0, 1, &more, &data),
            "listing the TPM's PCR banks")
        defer { Esys_Free(data) }
        guard let data else { return [] }
        var banks = [HashAlgorithm]()
        let list = data.pointee.data.assignedPCR
        withUnsafeBytes(of: list.pcrSelections) { raw in
            let selections = raw.bindMemory(to: TPMS_PCR_SELECTION.self)
            for index in 0..<Int(min(list.count, UInt32(selections.count))) {
                let selection = selections[index]
                guard !Self.pcrs(in: selection).isEmpty, let bank = HashAlgorithm(tpmAlgorithmID: selection.hash) else {
                    continue
                }
                banks.append(bank)
            }
        }
        return banks.sorted()
    }

    /// Extends a PCR with digests (one per bank), at the current locality.
    public func extend(pcr: UInt32, with digests: [Digest]) throws(TPMError) {
        var list = TPML_DIGEST_VALUES()
        list.count = UInt32(digests.count)
        withUnsafeMutableBytes(of: &list.digests) { raw in
            let slots = raw.bindMemory(to: TPMT_HA.self)
            for (index, digest) in digests.enumerated() where index < slots.count {
                var value = TPMT_HA()
                value.hashAlg = digest.algorithm.tpmAlgorithmID
                withUnsafeMutableBytes(of: &value.digest) { target in
                    target.copyBytes(from: digest.bytes)
                }
                slots[index] = value
            }
        }
        try check(
            Esys_PCR_Extend(esys, ESYS_TR_PCR0 + pcr, ESYS_TR_PASSWORD, ESYS_TR_NONE, ESYS_TR_NONE, &list),
            "extending PCR \(pcr)")
    }

    static func pcrSelection(bank: HashAlgorithm, pcrs: Set<UInt32>) -> TPMS_PCR_SELECTION {
        var selection = TPMS_PCR_SELECTION()
        selection.hash = bank.tpmAlgorithmID
        selection.sizeofSelect = 3
        let bytes = PCRSelectionMask.bytes(pcrs.filter { $0 < 24 }, size: 4)
        selection.pcrSelect = (bytes[0], bytes[1], bytes[2], bytes[3])
        return selection
    }

    static func pcrs(in selection: TPMS_PCR_SELECTION) -> [UInt32] {
        let bytes = [selection.pcrSelect.0, selection.pcrSelect.1, selection.pcrSelect.2, selection.pcrSelect.3]
        return PCRSelectionMask.pcrs(in: bytes.prefix(Int(selection.sizeofSelect)))
    }

    static func digests(_ list: TPML_DIGEST) -> [[UInt8]] {
        var list = list
        return withUnsafeBytes(of: &list.digests) { raw in
            let digests = raw.bindMemory(to: TPM2B_DIGEST.self)
            return (0..<Int(min(list.count, UInt32(digests.count)))).map { index in
                var digest = digests[index]
                return withUnsafeBytes(of: &digest.buffer) { Array($0.prefix(Int(digest.size))) }
            }
        }
    }
}
