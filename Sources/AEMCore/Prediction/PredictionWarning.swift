/// Something a user should know about a prediction that does not fail its
/// self-check, as data; the CLI words it.
public enum PredictionWarning: Sendable, Equatable {
    /// `SEAL` names PCRs the flow never extends
    /// (`BootFlow.neverExtendedPCRs(in:)`): AEM refuses to seal to them.
    case sealNamesNeverExtendedPCRs([UInt32], flow: String)
}
