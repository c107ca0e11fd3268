import Foundation

/// The TPM 1.2 commands AEM's library runs (anti-evil-maid-lib-tpm1), with
/// the real tpm-tools through tcsd: `tpmsealdata` is
/// `tpm_sealdata -z $SEAL -i secret -o secret.sealed2`, `tpmunsealdata` is
/// `tpm_unsealdata -z -i secret.sealed2`. Not Qubes' AEM: the quick
/// interoperability check, as `TPM2ToolsSeal` is; `GenuineAEM` runs the
/// upstream scripts on a TPM 1.2 too.
public enum TPMToolsSeal12 {
    /// Seals every present secret to the PCRs' current values.
    public static func seal(on tpm: SoftwareTPM12, plaintext: String, sealed: String, pcrs: [UInt32]) throws {
        try FileManager.default.createDirectory(atPath: sealed, withIntermediateDirectories: true)
        for ext in ["txt", "key", "otp", "fre"]
        where FileManager.default.fileExists(atPath: "\(plaintext)/secret.\(ext)") {
            try tpm.tool(
                "tpm_sealdata",
                ["-z"] + pcrs.flatMap { ["--pcr", String($0)] } + [
                    "-i", "\(plaintext)/secret.\(ext)", "-o", "\(sealed)/secret.\(ext).sealed2",
                ])
        }
    }

    /// What the initramfs runs at boot: the secret, or nil when the TPM
    /// refuses (the PCRs do not hold the sealed values).
    public static func unseal(on tpm: SoftwareTPM12, sealed: String, secret: String) throws -> [UInt8]? {
        let result = try tpm.toolResult("tpm_unsealdata", ["-z", "-i", "\(sealed)/secret.\(secret).sealed2"])
        return result.status == 0 ? result.stdoutBytes : nil
    }
}
