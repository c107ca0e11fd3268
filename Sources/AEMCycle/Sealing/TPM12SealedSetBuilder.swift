import AEMCore
import AEMTPM
import Foundation

/// Builds a sealed set the way stock AEM's TPM 1.2 code would
/// (`tpm_sealdata $SEAL -i secret.<ext> -o secret.<ext>.sealed2`), but with
/// the PCR composite set to the predicted SHA-1 values instead of read
/// from the TPM: per secret, a fresh AES-256 key sealed by a storage key
/// under the SRK, and the secret encrypted with it.
///
/// One storage key serves every secret of the set (`tpm_sealdata` makes one
/// per call): each file still carries it, and a TPM 1.2 takes seconds to
/// generate an RSA-2048 key.
struct TPM12SealedSetBuilder: SealedSetBuilder {
    var installation: AEMInstallation
    var sealPCRs: [UInt32]
    var values: PCRValues

    func build(srkPassword: SecretBytes) throws(CycleError) -> SealedSet {
        var release = [UInt32: Digest]()
        for pcr in sealPCRs {
            guard let value = values[.sha1, pcr] else {
                throw .badInput("no predicted sha1 value for PCR \(pcr)")
            }
            release[pcr] = value
        }
        let connection: TPM12Connection
        do {
            connection = try TPM12Connection()
        } catch {
            throw .tpm("cannot open the TPM to seal: \(error.description)")
        }
        // As stock AEM: an empty SRK password means the well-known secret (tpm_sealdata -z).
        let authorization: TPM12SRKAuthorization = srkPassword.count == 0 ? .wellKnown : .password(srkPassword)
        let key: TPM12SealingKey
        do {
            key = try connection.createSealingKey(srk: authorization)
        } catch {
            throw .tpm(Self.explain(error))
        }

        var files = [(name: String, bytes: [UInt8])]()
        for kind in installation.presentSecrets() {
            let path = installation.plaintextDirectory + "/" + kind.plaintextName
            guard let symmetricKey = SecretBytes.random(count: 32) else {
                throw .badInput("no random bytes for the AES key")
            }
            let sealedKey: [UInt8]
            do {
                sealedKey = try connection.seal(symmetricKey, with: key, releasePCRs: release)
            } catch {
                throw .tpm(Self.explain(error))
            }
            do {
                let plaintext = try SecretBytes.read(path: path, limit: 1 << 20)
                let encrypted = try TSSSealedFile.encrypt(plaintext, key: symmetricKey)
                let file = TSSSealedFile(keyBlob: key.blob, sealedKeyBlob: sealedKey, encryptedData: encrypted)
                files.append((kind.sealedName, file.rendered()))
            } catch {
                throw .badInput("sealing \(path): \(error)")
            }
        }
        return SealedSet(identifier: UUID().uuidString.lowercased(), files: files)
    }

    /// TPM 1.2 failures in words a user can act on.
    static func explain(_ error: TPM12Error) -> String {
        if error.code?.isDaemonUnreachable == true {
            return
                "cannot reach tcsd, the TPM 1.2 daemon (\(error.detail)); nothing was changed. Start it "
                + "(systemctl start tcsd) and retry."
        }
        switch error.tpmError {
        case .authFail?:
            return
                "the TPM refused the SRK password (\(error.detail)); nothing was changed. Check "
                + "/run/anti-evil-maid/srk-password or the password typed."
        case .defendLockRunning?:
            return
                "the TPM is in dictionary-attack lockout (\(error.detail)); nothing was changed. Wait for it to "
                + "expire or reset it with the owner password (tpm_resetdalock)."
        case .noSRK?:
            return
                "the TPM has no SRK (\(error.detail)); nothing was changed. Is the TPM owned and AEM set up "
                + "(anti-evil-maid-tpm-setup)?"
        case .noSpace?:
            return "the TPM has no room for another key (\(error.detail)); nothing was changed. Restart tcsd and retry."
        default:
            return "\(error.description); nothing was changed"
        }
    }
}
