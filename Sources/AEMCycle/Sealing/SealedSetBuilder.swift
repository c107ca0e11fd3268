import AEMCore

/// Seals the AEM secrets to predicted PCR values, in the files stock AEM
/// reads at boot on one kind of TPM. Nothing is written: the set goes to
/// `SealedSetInstaller`.
protocol SealedSetBuilder {
    func build(srkPassword: SecretBytes) throws(CycleError) -> SealedSet
}
