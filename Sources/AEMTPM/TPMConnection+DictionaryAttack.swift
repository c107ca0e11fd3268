import CTSS2

extension TPMConnection {
    // TPM2_PT_VAR + 0, 14, 15, 16 (Part 2, 6.13): composite macros the C importer drops.
    private static let permanentProperty: UInt32 = 0x200
    private static let lockoutCounterProperty: UInt32 = 0x20E
    private static let maximumAuthFailProperty: UInt32 = 0x20F
    private static let lockoutIntervalProperty: UInt32 = 0x210
    /// TPMA_PERMANENT.inLockout.
    private static let inLockoutBit: UInt32 = 0x200

    /// Reads the dictionary-attack counters (TPM2_GetCapability of the
    /// TPM properties from TPM2_PT_PERMANENT to TPM2_PT_LOCKOUT_INTERVAL).
    /// Asking costs no authorization.
    public func dictionaryAttackState() throws(TPMError) -> DictionaryAttackState {
        var more: TPMI_YES_NO = 0
        var data: UnsafeMutablePointer<TPMS_CAPABILITY_DATA>?
        let first = Self.permanentProperty
        let last = Self.lockoutIntervalProperty
        try check(
            Esys_GetCapability(
                esys, ESYS_TR_NONE, ESYS_TR_NONE, ESYS_TR_NONE, TPM2_CAP_TPM_PROPERTIES, first, last - first + 1, &more,
                &data),
            "reading the TPM's dictionary-attack counters")
        defer { Esys_Free(data) }
        guard let data else {
            throw TPMError(
                operation: "reading the TPM's dictionary-attack counters", reason: .incompleteAnswer("no answer"))
        }
        var values = [UInt32: UInt32]()
        withUnsafeBytes(of: data.pointee.data.tpmProperties.tpmProperty) { raw in
            let properties = raw.bindMemory(to: TPMS_TAGGED_PROPERTY.self)
            for index in 0..<min(Int(data.pointee.data.tpmProperties.count), properties.count) {
                values[properties[index].property] = properties[index].value
            }
        }
        guard let counter = values[Self.lockoutCounterProperty], let maximum = values[Self.maximumAuthFailProperty]
        else {
            throw TPMError(
                operation: "reading the TPM's dictionary-attack counters",
                reason: .incompleteAnswer("the TPM did not report them"))
        }
        let inLockout = (values[first] ?? 0) & Self.inLockoutBit != 0
        return DictionaryAttackState(
            failedAuthorizations: counter, maximumFailures: maximum, recoverySeconds: values[last] ?? 0,
            inLockout: inLockout)
    }
}
