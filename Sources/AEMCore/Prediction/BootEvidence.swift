import Foundation

/// What is known about the current boot besides its event log: the
/// evidence for deciding whether a module changed since that boot.
///
/// "Changed" is never concluded from a digest alone: a digest that differs
/// from the log is exactly what a modelling error would also produce, and
/// catching such errors is the self-check's job. Nor from a timestamp
/// (`ChangeEvidence`).
public struct BootEvidence: Sendable {
    /// The modules as recorded at boot by `aem-reseal record`, if any.
    public var recordedModules: [RecordedModule]?
    /// tboot (the multiboot kernel) as recorded at boot, if any.
    public var recordedTboot: RecordedModule?
    /// The SINIT ACMs and LCP files of the entry as recorded at boot, if any.
    public var recordedDroppedModules: [RecordedModule]?
    /// The command lines tboot printed in its memory log, in module order.
    public var tbootCommandLines: [String]?
    /// The running dom0 kernel's command line (`/proc/cmdline`): which LUKS
    /// devices AEM measured into PCR 13 at this boot.
    public var runningKernelCommandLine: String?

    public init(
        recordedModules: [RecordedModule]? = nil, recordedTboot: RecordedModule? = nil, recordedDroppedModules: [RecordedModule]? = nil,
        tbootCommandLines: [String]? = nil, runningKernelCommandLine: String? = nil
    ) {
        self.recordedModules = recordedModules
        self.recordedTboot = recordedTboot
        self.recordedDroppedModules = recordedDroppedModules
        self.tbootCommandLines = tbootCommandLines
        self.runningKernelCommandLine = runningKernelCommandLine
    }
}

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
    /// The rung of the evidence ladder the verdict stands on.
    public var rung: ChangeEvidence
    /// The evidence in words.
    public var evidence: String

    public init(state: State, rung: ChangeEvidence, evidence: String) {
        self.state = state
        self.rung = rung
        self.evidence = evidence
    }
}
