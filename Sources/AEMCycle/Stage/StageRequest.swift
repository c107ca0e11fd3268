/// What `stage` is asked to do, as the engine takes the options.
public struct StageRequest {
    /// What vouches for files beside the system's records (`--transaction-files`, `--vouch-for`).
    public var vouching: Vouching
    /// Seal even when the self-check found a mismatch or could not run (`--force`).
    public var force: Bool
    /// The AEM label (nil: AEM's own default).
    public var label: String?
    /// Where the SRK password is read from when AEM did not cache it.
    public var srkPasswordFile: String?
    /// A password may be asked for (not `--non-interactive`).
    public var interactive: Bool
    /// Ask before sealing (neither `--yes` nor `--non-interactive`).
    public var confirm: Bool
    /// The user consents to a transition seal: `--yes`, or a question can be asked.
    public var userCanConsent: Bool

    public init(
        vouching: Vouching = Vouching(), force: Bool = false, label: String? = nil, srkPasswordFile: String? = nil,
        interactive: Bool, confirm: Bool, userCanConsent: Bool
    ) {
        self.vouching = vouching
        self.force = force
        self.label = label
        self.srkPasswordFile = srkPasswordFile
        self.interactive = interactive
        self.confirm = confirm
        self.userCanConsent = userCanConsent
    }
}
