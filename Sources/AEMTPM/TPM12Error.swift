import CTspi

/// A TPM 1.2 or TrouSerS failure: the operation and the TSS result code.
public struct TPM12Error: Error, Sendable, CustomStringConvertible {
    public var operation: String
    /// The TSS_RESULT (layer in bits 12-15, code below).
    public var code: UInt32
    public var detail: String

    public init(operation: String, code: UInt32) {
        self.operation = operation
        self.code = code
        let text = Trspi_Error_String(code).map { String(cString: $0) } ?? "unknown error"
        self.detail = "\(text) (0x\(String(code, radix: 16)))"
    }

    public init(operation: String, detail: String) {
        self.operation = operation
        self.code = 0
        self.detail = detail
    }

    /// TPM 1.2 return codes (TPM Main Part 2, section 16), which the TSS
    /// headers give only as casts Swift does not import.
    enum TPMCode: UInt32 {
        case authFail = 0x01
        case noSpace = 0x11
        case noSRK = 0x12
        case badLocality = 0x3D
        case defendLockRunning = 0x803
    }

    /// TSS service-provider codes (layer 0x3000) for a missing tcsd.
    static let communicationFailure: UInt32 = 0x3011
    static let connectionFailed: UInt32 = 0x3103

    /// The TPM's own code, when the TPM (layer 0) answered.
    var tpmCode: TPMCode? { code & 0xF000 == 0 ? TPMCode(rawValue: code & 0xFFF) : nil }

    public var isAuthorizationFailure: Bool { tpmCode == .authFail }
    public var isLockout: Bool { tpmCode == .defendLockRunning }
    public var isOutOfSpace: Bool { tpmCode == .noSpace }
    public var isMissingSRK: Bool { tpmCode == .noSRK }
    /// tcsd is not running or not reachable.
    public var isDaemonUnreachable: Bool { code == Self.communicationFailure || code == Self.connectionFailed }

    public var description: String { "\(operation) failed: \(detail)" }
}
