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
    public var recordedMLE: RecordedModule?
    /// The SINIT ACMs and LCP files of the entry as recorded at boot, if any.
    public var recordedDroppedModules: [RecordedModule]?
    /// The command lines tboot printed in its memory log, in module order.
    public var tbootCommandLines: [String]?
    /// The command lines this boot ran with (dom0's `/proc/cmdline`: also
    /// which LUKS devices AEM measured into PCR 13; Xen's console).
    public var booted: BootedCommandLines

    public init(
        recordedModules: [RecordedModule]? = nil, recordedMLE: RecordedModule? = nil,
        recordedDroppedModules: [RecordedModule]? = nil,
        tbootCommandLines: [String]? = nil, booted: BootedCommandLines = BootedCommandLines(xen: nil, dom0: nil)
    ) {
        self.recordedModules = recordedModules
        self.recordedMLE = recordedMLE
        self.recordedDroppedModules = recordedDroppedModules
        self.tbootCommandLines = tbootCommandLines
        self.booted = booted
    }
}
