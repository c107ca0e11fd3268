/// A module as `aem-reseal record` saw it during a boot.
///
/// The file's hash is kept whether or not it reproduced the log at boot:
/// it is what was on /boot during this boot, so a later prediction that
/// finds the same bytes not reproducing knows the model is at fault (or
/// /boot was altered before the boot), not an update.
public struct RecordedModule: Sendable, Codable, Equatable {
    public var path: String
    /// SHA-256 of the file as stored.
    public var fileSHA256: String
    public var commandLine: String
    /// Whether file and command line recomputed to the logged measurement
    /// when recorded (absent in records made before this was kept: they
    /// only held modules that did).
    public var reproducedLog: Bool?

    public init(path: String, fileSHA256: String, commandLine: String, reproducedLog: Bool?) {
        self.path = path
        self.fileSHA256 = fileSHA256
        self.commandLine = commandLine
        self.reproducedLog = reproducedLog
    }
}
