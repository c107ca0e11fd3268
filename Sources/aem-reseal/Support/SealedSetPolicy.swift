import AEMCore
import AEMTPM
import Foundation

/// What a sealed set is sealed to, read offline from its files: on TPM 2.0
/// `key.pub`'s policy must be the PolicyPCR of the values over the set's own
/// `key.pcrs` selection; on TPM 1.2 each file's sealed key must be released
/// on exactly those PCRs with their composite digest. Deciding from the
/// files, not from an id file: stock AEM reseals the active folder in place
/// at every boot and leaves any other file there.
enum SealedSetPolicy {
    /// Why the set in `directory` is not sealed to `values` of `pcrs` in
    /// `bank`; nil when it is.
    static func mismatch(in directory: String, pcrs: [UInt32], bank: HashAlgorithm, values: PCRValues) -> String? {
        do {
            switch SealedSet.format(at: directory) {
            case nil:
                return "\(directory) is not a complete sealed set"
            case .tpm20:
                let key = try FileBytes.read(directory + "/" + SealedSet.publicKeyFile, limit: 4096)
                let summary = try SealedObject.inspect(marshalledPublic: key)
                let expected = try PolicyPCRDigest.compute(bank: bank, pcrs: pcrs, values: values)
                guard summary.authPolicy == expected.bytes, summary.isPolicyOnly else {
                    return "key.pub's policy is not the PolicyPCR of those PCR values"
                }
            case .tpm12:
                let expected = try PCRCompositeDigest.compute(pcrs: pcrs, values: values)
                for kind in AEMSecretKind.allCases
                where FileManager.default.fileExists(atPath: directory + "/" + kind.sealedName) {
                    let file = try TSSSealedFile.parse(
                        try FileBytes.read(directory + "/" + kind.sealedName, limit: 16 << 20))
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

    /// Why the set in `directory` would not open with the PCRs holding
    /// `values` (the live ones: "does it unseal on the running boot?"),
    /// over the PCRs the set itself names; nil when it would.
    static func mismatch(in directory: String, opening values: PCRValues) -> String? {
        switch SealedSet.format(at: directory) {
        case nil:
            return "\(directory) is not a complete sealed set"
        case .tpm20:
            guard let bytes = try? FileBytes.read(directory + "/" + SealedSet.selectionFile, limit: 256),
                let (bank, pcrs) = selection(String(decoding: bytes, as: UTF8.self))
            else { return "\(SealedSet.selectionFile) is not a \"bank:pcr,...\" selection" }
            return mismatch(in: directory, pcrs: pcrs, bank: bank, values: values)
        case .tpm12:
            guard
                let kind = AEMSecretKind.allCases.first(where: {
                    FileManager.default.fileExists(atPath: directory + "/" + $0.sealedName)
                }),
                let bytes = try? FileBytes.read(directory + "/" + kind.sealedName, limit: 16 << 20),
                let file = try? TSSSealedFile.parse(bytes), let sealed = try? TPM12StoredData.parse(file.sealedKeyBlob)
            else { return "no readable sealed secret in \(directory)" }
            return mismatch(in: directory, pcrs: sealed.releasePCRs, bank: .sha1, values: values)
        }
    }

    /// `sha256:13,17,18` as stock AEM writes it to key.pcrs.
    static func selection(_ text: String) -> (HashAlgorithm, [UInt32])? {
        let parts = text.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ":", maxSplits: 1)
        guard parts.count == 2, let bank = HashAlgorithm(name: String(parts[0])) else { return nil }
        let pcrs = parts[1].split(separator: ",").map { UInt32($0) }
        guard !pcrs.isEmpty, pcrs.allSatisfy({ $0 != nil && $0! < 24 }) else { return nil }
        return (bank, pcrs.map { $0! })
    }
}
