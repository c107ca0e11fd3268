/// A loader command an entry ran (`multiboot`, `module`, `linux`, ...),
/// with its arguments after expansion.
public struct GrubLoaderCommand: Sendable, Equatable {
    public var name: String
    public var arguments: [String]
    public var file: String
    public var line: Int
    /// The unknowns whether it runs, its words, and the file it reads depend on.
    var taint = GrubTaint()

    static let names: Set<String> = [
        "multiboot", "multiboot2", "module", "module2", "linux", "linux16", "linuxefi", "initrd", "initrd16",
        "initrdefi", "chainloader", "xen_hypervisor", "xen_module", "slaunch", "slaunch_module",
    ]
}
