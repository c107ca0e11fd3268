/// A module as `aem-reseal record` saw it during a boot.
///
/// The file's hash is kept whether or not it reproduced the log at boot.
/// A file older than the boot that does not reproduce it was what this
/// boot measured, so a later prediction that finds the same bytes knows
/// the model is at fault (or /boot was altered before the boot), not an
/// update. A file that changed on /boot after the boot began (an update
/// before `record` ran) is no file of this boot: recorded with no verdict.
public struct RecordedModule: Sendable, Codable, Equatable {
    public var path: String
    /// SHA-256 of the file as stored.
    public var fileSHA256: String
    public var commandLine: String
    /// Whether file and command line recomputed to the logged measurement
    /// when recorded. Nil: no verdict, no evidence of this boot (a file
    /// changed after the boot began, a module the launch measured itself,
    /// or a record made before this was kept).
    public var reproducedLog: Bool?

    public init(path: String, fileSHA256: String, commandLine: String, reproducedLog: Bool?) {
        self.path = path
        self.fileSHA256 = fileSHA256
        self.commandLine = commandLine
        self.reproducedLog = reproducedLog
    }
}
