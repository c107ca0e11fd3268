import AEMCore

/// After a transition seal (which leaves PCR 18, and with it the Xen and
/// dom0 command lines, out): the command lines this boot ran with against
/// the ones predicted at staging, byte for byte. PCR 17 can hold while they
/// differ; the seal then opened on a chain it did not cover in full.
public struct CommandLineCheck: Sendable, Equatable {
    /// One command line that is not what was predicted.
    public struct Difference: Sendable, Equatable {
        /// `xen` or `dom0`, as in `verify --json`.
        public var name: String
        public var predicted: String?
        /// What the running system shows; nil when it shows none.
        public var booted: String?
    }

    public var differences: [Difference]

    /// Whether each predicted command line is the booted one.
    public var held: Bool { differences.isEmpty }

    public init(predicted: BootedCommandLines, booted: BootedCommandLines) {
        differences = [("xen", predicted.xen, booted.xen), ("dom0", predicted.dom0, booted.dom0)].compactMap {
            name, predicted, booted in
            predicted == nil || predicted == booted
                ? nil : Difference(name: name, predicted: predicted, booted: booted)
        }
    }
}
