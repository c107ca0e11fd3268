import AEMCore
import CTspi
import Foundation
import Synchronization

/// A connection to a TPM 1.2 through TrouSerS' libtspi and its daemon
/// `tcsd`, which owns `/dev/tpm0` on a TPM 1.2 dom0: the tool is a TSS
/// client, as `tpm_sealdata` is.
///
/// The only type besides `TPMConnection` that talks to a TPM. It owns its
/// TSS context and closes it on deinit.
public final class TPM12Connection {
    let context: TSS_HCONTEXT
    let tpm: TSS_HTPM

    /// TSS_SUCCESS (a cast in the headers, which Swift does not import).
    static let success: TSS_RESULT = 0

    /// libtspi takes the daemon's port only from `$TSS_TCSD_PORT`, read
    /// when connecting; an explicit port is set there for that moment,
    /// under this lock.
    private static let portLock = Mutex(())

    /// Connects to the local tcsd: on `port`, else `$TSS_TCSD_PORT`, else
    /// TrouSerS' default (30003).
    public init(port: Int? = nil) throws(TPM12Error) {
        var context: TSS_HCONTEXT = 0
        let created = Tspi_Context_Create(&context)
        guard created == Self.success else { throw TPM12Error(operation: "starting a TSS 1.2 context", code: created) }
        let connected = Self.portLock.withLock { _ in
            let saved = getenv("TSS_TCSD_PORT").map { String(cString: $0) }
            if let port { setenv("TSS_TCSD_PORT", String(port), 1) }
            defer {
                if port != nil {
                    if let saved { setenv("TSS_TCSD_PORT", saved, 1) } else { unsetenv("TSS_TCSD_PORT") }
                }
            }
            return Tspi_Context_Connect(context, nil)
        }
        guard connected == Self.success else {
            Tspi_Context_Close(context)
            throw TPM12Error(operation: "connecting to the TPM 1.2 daemon tcsd (is it running?)", code: connected)
        }
        var tpm: TSS_HTPM = 0
        let found = Tspi_Context_GetTpmObject(context, &tpm)
        guard found == Self.success else {
            Tspi_Context_Close(context)
            throw TPM12Error(operation: "opening the TPM object", code: found)
        }
        self.context = context
        self.tpm = tpm
    }

    deinit {
        Tspi_Context_FreeMemory(context, nil)
        Tspi_Context_Close(context)
    }

    func check(_ code: TSS_RESULT, _ operation: @autoclosure () -> String) throws(TPM12Error) {
        guard code == Self.success else { throw TPM12Error(operation: operation(), code: code) }
    }

    /// Reads PCRs (TPM 1.2 has one bank: SHA-1).
    public func readPCRs(_ pcrs: [UInt32]) throws(TPM12Error) -> PCRValues {
        var values = PCRValues()
        for pcr in pcrs where pcr < 24 {
            var length: UInt32 = 0
            var bytes: UnsafeMutablePointer<BYTE>?
            try check(Tspi_TPM_PcrRead(tpm, pcr, &length, &bytes), "reading PCR \(pcr)")
            defer { Tspi_Context_FreeMemory(context, bytes) }
            guard let bytes, length == 20 else {
                throw TPM12Error(
                    operation: "reading PCR \(pcr)", reason: .incompleteAnswer("the TPM returned \(length) bytes"))
            }
            values[.sha1, pcr] = Digest(algorithm: .sha1, bytes: Array(UnsafeBufferPointer(start: bytes, count: 20)))
        }
        return values
    }

    /// Whether tcsd knows the SRK: the TPM is owned (`tpm_takeownership`
    /// registers it in tcsd's system store).
    public func hasSRK() -> Bool {
        var key: TSS_HKEY = 0
        return Tspi_Context_GetKeyByUUID(context, TSS_FLAG(TSS_PS_TYPE_SYSTEM), aem_tss_srk_uuid(), &key)
            == Self.success
    }

    /// TPM_Extend with a SHA-1 digest, at the TPM's current locality.
    public func extend(pcr: UInt32, with digest: Digest) throws(TPM12Error) {
        guard digest.algorithm == .sha1 else {
            throw TPM12Error(
                operation: "extending PCR \(pcr)", reason: .invalidRequest("a TPM 1.2 extends SHA-1 digests only"))
        }
        var data = digest.bytes
        var length: UInt32 = 0
        var value: UnsafeMutablePointer<BYTE>?
        try check(Tspi_TPM_PcrExtend(tpm, pcr, 20, &data, nil, &length, &value), "extending PCR \(pcr)")
        Tspi_Context_FreeMemory(context, value)
    }
}
