/// Why key.pub or key.priv is not what stock AEM's `tpm2_load` reads.
/// Thrown by `SealedObject.inspect(marshalledPublic:)` and `checkPrivate(_:)`.
public enum SealedObjectError: Error, Sendable, Equatable, CustomStringConvertible {
    /// key.pub does not unmarshal as a TPM2B_PUBLIC.
    case notPublicArea(TPMResponseCode)
    /// key.pub has bytes after its TPM2B_PUBLIC.
    case trailingBytes(count: Int)
    /// key.priv is not exactly one TPM2B_PRIVATE.
    case notPrivateArea

    public var description: String {
        switch self {
        case let .notPublicArea(code): return "key.pub is not a TPM2B_PUBLIC (\(code))"
        case let .trailingBytes(count): return "key.pub has \(count) bytes after the TPM2B_PUBLIC"
        case .notPrivateArea: return "key.priv is not a TPM2B_PRIVATE"
        }
    }
}
