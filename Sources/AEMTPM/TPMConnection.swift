import AEMCore
import CTSS2
import Foundation

/// A connection to a TPM 2.0 through tpm2-tss (TCTI loader + ESAPI).
///
/// The only type that talks to a TPM. It owns its ESYS context and TCTI
/// and releases them on deinit; swtpm serves one client at a time, so
/// connections should be short-lived.
public final class TPMConnection {
    let esys: OpaquePointer
    let tcti: OpaquePointer

    /// Opens a TCTI configuration string, e.g. `device:/dev/tpmrm0` or
    /// `swtpm:host=127.0.0.1,port=2321`.
    public init(tcti configuration: String) throws(TPMError) {
        TPMConnection.quietTSSLogging()
        var tcti: OpaquePointer?
        let loadCode = Tss2_TctiLdr_Initialize(configuration, &tcti)
        guard loadCode == TSS2_RC_SUCCESS, let tcti else {
            throw TPMError(operation: "opening the TPM through \"\(configuration)\"", code: loadCode)
        }
        var esys: OpaquePointer?
        let initCode = Esys_Initialize(&esys, tcti, nil)
        guard initCode == TSS2_RC_SUCCESS, let esys else {
            var owned: OpaquePointer? = tcti
            Tss2_TctiLdr_Finalize(&owned)
            throw TPMError(operation: "starting a TSS session with the TPM", code: initCode)
        }
        self.tcti = tcti
        self.esys = esys
    }

    deinit {
        var context: OpaquePointer? = esys
        Esys_Finalize(&context)
        var owned: OpaquePointer? = tcti
        Tss2_TctiLdr_Finalize(&owned)
    }

    /// tpm2-tss prints every error response to stderr; the tool reports
    /// failures itself, so its logging is off unless the user asked for it.
    static func quietTSSLogging() {
        if getenv("TSS2_LOG") == nil { setenv("TSS2_LOG", "all+none", 0) }
    }

    /// The TCTI the tool uses by default: `$TPM2TOOLS_TCTI`, else the
    /// kernel's resource manager.
    public static var defaultTCTI: String {
        ProcessInfo.processInfo.environment["TPM2TOOLS_TCTI"] ?? "device:/dev/tpmrm0"
    }

    /// Sets the locality of later commands (swtpm and real TCTIs that
    /// support it). DRTM PCRs 17-22 can only be extended from locality 2-4.
    public func setLocality(_ locality: UInt8) throws(TPMError) {
        let code = aem_tcti_set_locality(tcti, locality)
        guard code == TSS2_RC_SUCCESS else { throw TPMError(operation: "setting locality \(locality)", code: code) }
    }

    func check(_ code: TSS2_RC, _ operation: @autoclosure () -> String) throws(TPMError) {
        guard code == TSS2_RC_SUCCESS else { throw TPMError(operation: operation(), code: code) }
    }
}

extension TPMConnection {
    /// TPM2_Startup(CLEAR): what firmware sends after a reset.
    public func startup() throws(TPMError) {
        try check(Esys_Startup(esys, TPM2_SU_CLEAR), "TPM2_Startup")
    }

    /// TPM2_Shutdown(CLEAR): what Linux sends before a reboot. Without it
    /// the next reset counts as a dictionary-attack failure.
    public func shutdown() throws(TPMError) {
        try check(Esys_Shutdown(esys, ESYS_TR_NONE, ESYS_TR_NONE, ESYS_TR_NONE, TPM2_SU_CLEAR), "TPM2_Shutdown")
    }
}
