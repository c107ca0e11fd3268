import AEMCore

extension PredictionWarning {
    /// The warning in words, naming the AEM configuration file of this
    /// system (`SystemLayout.aemConfiguration`, under `--root` too).
    public func text(aemConfiguration: String) -> String {
        switch self {
        case let .sealNamesNeverExtendedPCRs(pcrs, flow):
            return "SEAL includes PCR \(pcrs.map(String.init).joined(separator: ", ")), which \(flow) never extends: "
                + "it stays all zero and AEM's own sanity check refuses to seal to it; remove "
                + "\(pcrs.map { "\"--pcr \($0)\"" }.joined(separator: " ")) from \(aemConfiguration)"
        }
    }
}
