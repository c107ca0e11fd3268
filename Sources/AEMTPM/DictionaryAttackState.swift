/// The TPM 2.0's dictionary-attack protection as it stands: every wrong
/// password for an object without `noDA` (AEM's SRK has none) counts, and at
/// `maximumFailures` the TPM refuses every such password for a while.
public struct DictionaryAttackState: Sendable, Equatable {
    /// TPM2_PT_LOCKOUT_COUNTER: failed authorizations not yet forgiven.
    public var failedAuthorizations: UInt32
    /// TPM2_PT_MAX_AUTH_FAIL.
    public var maximumFailures: UInt32
    /// TPM2_PT_LOCKOUT_INTERVAL: seconds until one failure is forgiven.
    public var recoverySeconds: UInt32
    /// TPMA_PERMANENT.inLockout.
    public var inLockout: Bool

    public init(failedAuthorizations: UInt32, maximumFailures: UInt32, recoverySeconds: UInt32, inLockout: Bool) {
        self.failedAuthorizations = failedAuthorizations
        self.maximumFailures = maximumFailures
        self.recoverySeconds = recoverySeconds
        self.inLockout = inLockout
    }

    /// Wrong passwords the TPM still takes before it locks out.
    public var remainingAttempts: UInt32 {
        maximumFailures > failedAuthorizations ? maximumFailures - failedAuthorizations : 0
    }

    /// Why a password must not be tried now, or nil: the TPM is locked out,
    /// or earlier failures left only the last attempt (a wrong password
    /// then would lock the user out of AEM at the next boot too).
    public var reasonNotToTry: String? {
        let recovery =
            "the TPM forgives one failure every \(recoverySeconds) s; `tpm2_dictionarylockout --clear-lockout` with "
            + "the lockout password resets it"
        if inLockout || remainingAttempts == 0 {
            return
                "the TPM is in dictionary-attack lockout after \(failedAuthorizations) wrong passwords: it refuses "
                + "every password for now (\(recovery))"
        }
        if failedAuthorizations > 0 && remainingAttempts <= 1 {
            return
                "the TPM has counted \(failedAuthorizations) wrong passwords of \(maximumFailures) allowed; one more "
                + "would lock it out, so no password was tried (\(recovery))"
        }
        return nil
    }
}
