import AEMCore
import AEMTPM
import Foundation
import Synchronization

/// Builds a sealed set the way stock AEM's TPM 2.0 code would, but with the
/// policy computed from predicted PCR values: a fresh 16-byte key sealed
/// under the SRK with PolicyPCR, `key.pcrs`, and each present secret
/// encrypted with the key's lowercase hex as `openssl enc` passphrase.
struct TPM2SealedSetBuilder: SealedSetBuilder {
    var installation: AEMInstallation
    var sealBank: HashAlgorithm
    var sealPCRs: [UInt32]
    var values: PCRValues
    var tcti: String

    func build(srkPassword: SecretBytes) throws(CycleError) -> SealedSet {
        let policy: Digest
        do {
            policy = try PolicyPCRDigest.compute(bank: sealBank, pcrs: sealPCRs, values: values)
        } catch {
            throw .badInput(error.description)
        }
        guard let key = SecretBytes.random(count: 16) else {
            throw .badInput("no random bytes for the sealing key")
        }
        let connection: TPMConnection
        do {
            connection = try TPMConnection(tcti: tcti)
        } catch {
            throw .tpm("cannot open the TPM to seal: \(error.description)")
        }
        // A wrong SRK password counts against the TPM's dictionary-attack
        // limit: never spend the last attempt, nor try while locked out.
        let attack: DictionaryAttackState
        do {
            attack = try connection.dictionaryAttackState()
        } catch {
            throw .tpm(error.description)
        }
        if let reason = attack.reasonNotToTry {
            throw .tpm("\(reason). Nothing was sealed or changed.")
        }
        let object: SealedObject
        do {
            object = try connection.seal(key, policy: policy, srkPassword: srkPassword)
            try connection.checkLoads(object, srkPassword: srkPassword)
        } catch {
            throw .tpm(Self.explain(error))
        }

        let passphrase = key.lowercaseHex()
        var files: [(name: String, bytes: [UInt8])] = [
            (SealedSet.publicKeyFile, object.marshalledPublic),
            (SealedSet.privateKeyFile, object.marshalledPrivate),
            (SealedSet.selectionFile, Array(PCRSelectionFile(bank: sealBank, pcrs: sealPCRs).text.utf8)),
        ]
        // PBKDF2's 10 000 rounds dominate sealing: one secret per core.
        let kinds = installation.presentSecrets()
        let results = Mutex([Result<[UInt8], CycleError>?](repeating: nil, count: kinds.count))
        let directory = installation.plaintextDirectory
        DispatchQueue.concurrentPerform(iterations: kinds.count) { index in
            let path = directory + "/" + kinds[index].plaintextName
            let result: Result<[UInt8], CycleError>
            do {
                let plaintext = try SecretBytes.read(path: path, limit: 1 << 20)
                // The format is checked against `openssl enc -d` by the tests;
                // decrypting here would only rerun this code's own derivation.
                result = .success(try OpenSSLEncryptedFile.encrypt(plaintext, passphrase: passphrase))
            } catch {
                result = .failure(.badInput("sealing \(path): \(error)"))
            }
            results.withLock { $0[index] = result }
        }
        for (kind, result) in zip(kinds, results.withLock { $0 }) {
            files.append((kind.sealedName, try result!.get()))
        }
        return SealedSet(identifier: UUID().uuidString.lowercased(), files: files)
    }

    /// TPM failures in words a user can act on.
    static func explain(_ error: TPMError) -> String {
        switch error.tpmError {
        case .objectMemory?, .sessionMemory?:
            return
                "the TPM has no room for another object (\(error.detail)); nothing was changed. Flush transient "
                + "objects (tpm2_flushcontext -t) and retry."
        case .authFail?, .badAuth?:
            return
                "the TPM refused the SRK password (\(error.detail)); nothing was changed. Check "
                + "/run/anti-evil-maid/srk-password or the password typed."
        case .lockout?:
            return
                "the TPM is in dictionary-attack lockout (\(error.detail)); nothing was changed. Wait for the lockout "
                + "to expire or clear it with the TPM owner password (tpm2_dictionarylockout --clear-lockout)."
        default:
            return "\(error.description); nothing was changed"
        }
    }
}
