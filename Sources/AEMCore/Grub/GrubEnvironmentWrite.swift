/// One change GRUB makes to an environment block while it evaluates the
/// configuration and runs the chosen entry: `save_env` of a variable
/// (`value`) or of an unset one (nil: its line is removed). GRUB writes
/// the block in place at boot; these are the changes to expect there.
public struct GrubEnvironmentWrite: Sendable, Equatable {
    /// The block inside the boot partition, links resolved (`/grub2/grubenv`).
    public var file: String
    public var name: String
    public var value: String?
    /// The unknowns the value, or whether the write happens, depends on.
    public var influences: [GrubUnknown]

    public init(file: String, name: String, value: String?, influences: [GrubUnknown]) {
        self.file = file
        self.name = name
        self.value = value
        self.influences = influences
    }
}
