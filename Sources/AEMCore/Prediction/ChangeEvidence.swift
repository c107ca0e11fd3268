/// The rung of the evidence ladder a change verdict stood on, strongest
/// first. Timestamps are never evidence: rpm installs files with the time
/// stored in the package, so an updated Xen can look older than the boot.
/// `docs/design.md` ("Evidence of change") describes the ladder.
public enum ChangeEvidence: String, Sendable, Codable {
    /// The command line the running system shows this boot ran with (dom0's
    /// `/proc/cmdline`, Xen's console): command lines only.
    case bootedCommandLine = "booted-command-line"
    /// `aem-reseal record` stored the file's SHA-256 and the command line
    /// during this boot.
    case bootRecord = "boot-record"
    /// The file and command line recompute to the measurement this boot
    /// logged: they are what was measured.
    case loggedMeasurement = "logged-measurement"
    /// Another file on /boot recomputes to the logged measurement: that one
    /// was booted, so the entry's file is a different one (and the model is
    /// proven on the booted file).
    case bootedFileOnBoot = "booted-file-on-boot"
    /// tboot printed, in its log, the exact command line it hashed.
    case tbootLog = "tboot-log"
    /// Nothing vouches either way: treated as changed.
    case none
}
