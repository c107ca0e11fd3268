import AEMCore

/// Seals the AEM secrets to predicted PCR values, in the files stock AEM
/// reads at boot on one kind of TPM. Nothing is written: the set goes to
/// `SealedSetInstaller`.
protocol SealedSetBuilder {
    func build(srkPassword: SecretBytes) throws(SealedSetBuildError) -> SealedSet
}

/// Why a set could not be sealed, with the exit status it maps to.
struct SealedSetBuildError: Error, CustomStringConvertible {
    var description: String
    var status: ExitStatus
}
