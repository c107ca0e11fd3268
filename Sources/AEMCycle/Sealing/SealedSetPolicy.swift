import AEMCore
import AEMTPM
import Foundation

/// What a sealed set is sealed to, read offline from its files: on TPM 2.0
/// `key.pub`'s policy must be the PolicyPCR of the values over the set's own
/// `key.pcrs` selection; on TPM 1.2 each file's sealed key must be released
/// on exactly those PCRs with their composite digest. Deciding from the
/// files, not from an id file: stock AEM reseals the active folder in place
/// at every boot and leaves any other file there.
public enum SealedSetPolicy {
    /// Why `set` is not sealed to `values` of `pcrs` in `bank`; nil when it is.
    public static func mismatch(in set: StoredSealedSet, pcrs: [UInt32], bank: HashAlgorithm, values: PCRValues)
        -> String?
    {
        do {
            switch set.format {
            case nil:
                return "\(set.location) is not a complete sealed set"
            case .tpm20:
                let summary = try SealedObject.inspect(marshalledPublic: set.files[SealedSet.publicKeyFile] ?? [])
                let expected = try PolicyPCRDigest.compute(bank: bank, pcrs: pcrs, values: values)
                guard summary.authPolicy == expected.bytes, summary.isPolicyOnly else {
                    return "key.pub's policy is not the PolicyPCR of those PCR values"
                }
            case .tpm12:
                let expected = try PCRCompositeDigest.compute(pcrs: pcrs, values: values)
                for kind in set.sealedSecrets {
                    let file = try TSSSealedFile.parse(set.files[kind.sealedName] ?? [])
                    let sealed = try TPM12StoredData.parse(file.sealedKeyBlob)
                    guard sealed.releasePCRs == Array(Set(pcrs)).sorted(), sealed.digestAtRelease == expected else {
                        return
                            "\(kind.sealedName) is not sealed to those PCR "
                            + "\(pcrs.map(String.init).joined(separator: ", ")) values"
                    }
                }
            }
        } catch {
            return "the set cannot be checked: \(error)"
        }
        return nil
    }

    /// Why `set` would not open with the PCRs holding `values` (the live
    /// ones: "does it unseal on the running boot?"), over the PCRs the set
    /// itself names; nil when it would.
    public static func mismatch(in set: StoredSealedSet, opening values: PCRValues) -> String? {
        switch set.format {
        case nil:
            return "\(set.location) is not a complete sealed set"
        case .tpm20:
            guard let selection = set.selection else {
                return "\(SealedSet.selectionFile) is not a \"bank:pcr,...\" selection"
            }
            return mismatch(in: set, pcrs: selection.pcrs, bank: selection.bank, values: values)
        case .tpm12:
            guard let kind = set.sealedSecrets.first,
                // unparseable: reported below, not taken for a match
                let file = try? TSSSealedFile.parse(set.files[kind.sealedName]!),
                let sealed = try? TPM12StoredData.parse(file.sealedKeyBlob)  // (same)
            else { return "no readable sealed secret in \(set.location)" }
            return mismatch(in: set, pcrs: sealed.releasePCRs, bank: .sha1, values: values)
        }
    }
}
