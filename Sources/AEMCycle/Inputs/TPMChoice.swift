import AEMCore

/// The TPM choices of one run, whichever options the command offers.
public struct TPMChoice: Sendable {
    /// The TPM 2.0 TCTI (nil: tpm2-tss's default).
    public var tcti: String?
    /// The TPM's version as the user named it (nil: detected).
    public var tpmVersion: TPMVersion?
    /// Live PCR values from a file instead of the TPM.
    public var pcrsFile: String?
    /// No TPM at all: the self-check cannot compare with live PCRs.
    public var noTpm: Bool
    /// What the command offers instead of the TPM, as advice when the TPM
    /// cannot be read (nothing for `stage`, which seals with it).
    public var alternatives: String

    public init(
        tcti: String? = nil, tpmVersion: TPMVersion? = nil, pcrsFile: String? = nil, noTpm: Bool = false,
        alternatives: String
    ) {
        self.tcti = tcti
        self.tpmVersion = tpmVersion
        self.pcrsFile = pcrsFile
        self.noTpm = noTpm
        self.alternatives = alternatives
    }

}
