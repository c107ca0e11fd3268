import Foundation

/// What is known about the current boot besides its event log: the
/// evidence for deciding whether a module changed since that boot.
///
/// "Changed" is never concluded from a digest alone: a digest that differs
/// from the log is exactly what a modelling error would also produce, and
/// catching such errors is the self-check's job.
public struct BootEvidence: Sendable {
    /// When the current boot started (`btime` in /proc/stat).
    public var bootTime: Date?
    /// Latest modification of the GRUB configuration and environment block.
    public var configurationModified: Date?
    /// The modules as recorded at boot by `aem-reseal record`, if any.
    public var recordedModules: [RecordedModule]?
    /// The command lines tboot printed in its memory log, in module order.
    public var tbootCommandLines: [String]?

    public init(
        bootTime: Date? = nil, configurationModified: Date? = nil, recordedModules: [RecordedModule]? = nil,
        tbootCommandLines: [String]? = nil
    ) {
        self.bootTime = bootTime
        self.configurationModified = configurationModified
        self.recordedModules = recordedModules
        self.tbootCommandLines = tbootCommandLines
    }
}

/// A module as `aem-reseal record` saw it during a boot.
public struct RecordedModule: Sendable, Codable, Equatable {
    public var path: String
    /// SHA-256 of the file as stored.
    public var fileSHA256: String
    public var commandLine: String

    public init(path: String, fileSHA256: String, commandLine: String) {
        self.path = path
        self.fileSHA256 = fileSHA256
        self.commandLine = commandLine
    }
}

/// Whether a part of a module (its file, its command line) changed since
/// the current boot, with the evidence that says so.
public struct ChangeFinding: Sendable, Codable, Equatable {
    public enum State: String, Sendable, Codable {
        case unchanged
        case changed
        /// No evidence either way: treated as changed (it cannot vouch for the model).
        case unknown
    }

    public var state: State
    public var evidence: String
}
