import AEMCore

/// What `stage` did: the state file as it now records the staged set, and
/// where the media copy stands. A set the media lacks must not be rebooted
/// on (AEM reads the media at boot): `media.copied` says so.
public struct StageOutcome {
    /// The state file's new content (phase `staged`).
    public var state: ResealState
    /// The media copy.
    public var media: ResealState.Media
    /// The installation the set went to.
    public var installation: AEMInstallation
    /// The prediction sealed to.
    public var prediction: Prediction
    /// The versions of the components, old and new, for the guidance.
    public var versions: ComponentVersions
}
