import AEMCore

/// Whether stock AEM resealed the active set to the full SEAL list after a
/// transition seal: its `key.pcrs` names the PCRs the transition left out.
public struct ResealCheck {
    /// The active set's folder.
    public var active: String
    /// The PCRs the transition seal left out.
    public var leftOut: [UInt32]
    /// The active set's `key.pcrs`, as written.
    public var selection: String
    /// Whether `key.pcrs` names every PCR left out: AEM resealed.
    public var done: Bool

    public init(active: StoredSealedSet?, location: String, leftOut: [UInt32]) {
        self.active = location
        self.leftOut = leftOut
        let file = active?.selection
        selection = file.map { $0.text.trimmingCharacters(in: .whitespacesAndNewlines) } ?? ""
        done = leftOut.allSatisfy { file?.pcrs.contains($0) == true }
    }
}
