import Foundation

/// The TPM 2.0 commands AEM's library runs (anti-evil-maid-lib-tpm2:
/// provisioning, tpmsealprepare + tpmsealdata, tpmunsealdata), run with the
/// real tpm2-tools and openssl in that order: the interoperability check of
/// the sealed objects aem-reseal writes.
///
/// This is not Qubes' AEM and no test claims it is: it stays because the
/// model tests (a hundred boots and updates) ask only whether the TPM
/// releases a set under given PCRs, in seconds. Whether Qubes' AEM shows
/// the secret is judged by its own unchanged scripts (`GenuineAEM`), for
/// tboot on TPM 2.0 and 1.2, TrenchBoot, and the installed package.
public enum TPM2ToolsSeal {
    /// AEM's `hex`: `xxd -ps | tr -dc 0-9a-f`, with od standing in for xxd.
    static let hex = "od -An -v -tx1 | tr -dc 0-9a-f"

    static func shell(_ script: String, tpm: SoftwareTPM, environment: [String: String] = [:]) throws -> CLI.Result {
        // AEM's lib traps EXIT with `tpm2_flushcontext -tls`: without a
        // resource manager nothing else frees the TPM's object slots.
        try Command.run(
            "bash", ["-c", "set -euo pipefail\ntrap 'tpm2_flushcontext -tls' EXIT\n" + script],
            environment: ["TPM2TOOLS_TCTI": tpm.tcti, "TSS2_LOG": "all+none"].merging(environment) { $1 })
    }

    /// `tpmtakeownership`: a primary key in the owner hierarchy made
    /// persistent at 0x81000001, with the SRK password as its auth.
    public static func provisionSRK(on tpm: SoftwareTPM, password: String) throws {
        let result = try shell(
            """
            ctx=$(mktemp)
            tpm2_createprimary -Q --hierarchy=o --key-context="$ctx" --key-auth="$SRKPW"
            tpm2_evictcontrol -Q -C o -c "$ctx" 0x81000001
            rm -f "$ctx"
            """, tpm: tpm, environment: ["SRKPW": password])
        guard result.status == 0 else { throw Command.Failure(description: "provisioning the SRK: \(result.stderr)") }
    }

    /// `tpmsealprepare` then `tpmsealdata` for every present secret: seals
    /// to the PCRs' current values.
    public static func seal(on tpm: SoftwareTPM, plaintext: String, sealed: String, pcrs: [UInt32], srkPassword: String)
        throws
    {
        let result = try shell(
            """
            mkdir -p "$DIR"
            pcrs="sha256:$PCRS"
            policy=$(mktemp); session=$(mktemp)
            tpm2_startauthsession -S "$session"
            tpm2_policypcr -Q -S "$session" -l "$pcrs" -L "$policy"
            tpm2_flushcontext "$session"
            tpm2_flushcontext -t
            head -c 16 /dev/urandom | tpm2_create -Q -C 0x81000001 -P "str:$SRKPW" -L "$policy" -i - -u "$DIR/key.pub" -r "$DIR/key.priv"
            echo "$pcrs" > "$DIR/key.pcrs"
            for ext in txt key otp fre; do
                [ -e "$SRC/secret.$ext" ] || continue
                ctx=$(mktemp)
                tpm2_load -Q -C 0x81000001 -P "str:$SRKPW" --private "$DIR/key.priv" --public "$DIR/key.pub" -c "$ctx"
                tpm2_unseal -Q -c "$ctx" -p "pcr:$pcrs" | \(hex) | openssl enc -aes-256-ctr -pbkdf2 -e -kfile - -in "$SRC/secret.$ext" -out "$DIR/secret.$ext.sealed2"
                tpm2_flushcontext -t
            done
            """, tpm: tpm,
            environment: [
                "DIR": sealed, "SRC": plaintext, "PCRS": pcrs.map(String.init).joined(separator: ","),
                "SRKPW": srkPassword,
            ])
        guard result.status == 0 else {
            throw Command.Failure(description: "sealing with AEM's tpm2-tools commands: \(result.stderr)")
        }
    }

    /// `tpmunsealdata`: what the initramfs runs at boot. Returns the
    /// secret, or nil when the TPM refuses (PCRs do not match the policy).
    public static func unseal(on tpm: SoftwareTPM, sealed: String, secret: String, srkPassword: String) throws
        -> [UInt8]?
    {
        let result = try shell(
            """
            pcrs=$(cat "$DIR/key.pcrs")
            ctx=$(mktemp)
            tpm2_load -Q -C 0x81000001 -P "str:$SRKPW" --private "$DIR/key.priv" --public "$DIR/key.pub" -c "$ctx"
            tpm2_unseal -Q -c "$ctx" -p "pcr:$pcrs" | \(hex) | openssl enc -aes-256-ctr -pbkdf2 -d -kfile - -in "$DIR/secret.$EXT.sealed2"
            tpm2_flushcontext -t
            """, tpm: tpm, environment: ["DIR": sealed, "EXT": secret, "SRKPW": srkPassword])
        return result.status == 0 ? result.stdoutBytes : nil
    }
}
