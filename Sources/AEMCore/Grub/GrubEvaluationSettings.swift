import SystemPackage

/// Where a GRUB configuration lives, what GRUB knows about the machine
/// before it reads it, and how far its evaluation may go.
public struct GrubEvaluationSettings: Sendable {
    /// The boot partition as mounted here (GRUB's `/`).
    public var bootDirectory: String
    /// The configuration file, a path on this machine.
    public var configurationFile: String
    /// `$grub_platform`: tboot boots from legacy BIOS GRUB, so `pc`.
    public var platform: String
    /// `$grub_cpu`: `i386` for BIOS GRUB.
    public var cpu: String
    /// GRUB's name of the boot partition (`hd0,msdos1`, as `grub2-probe
    /// --target=drive` prints it without the parentheses): GRUB sets
    /// `root` to it and `prefix` to `(device)/grub2` before reading
    /// grub.cfg, and a `search` that finds the boot partition sets its
    /// variable to it. A path on another device is an unknown.
    public var bootDevice: String
    /// The boot partition's file-system UUID, as `search --fs-uuid` compares
    /// it (case-insensitively); nil when not known, and every such search
    /// is then an unknown.
    public var bootPartitionUUID: String?
    /// The boot partition's file-system label, as `search --label`
    /// compares it (exactly); nil when not known.
    public var bootPartitionLabel: String?
    /// The limits of the evaluation, and what it spent.
    public var budget: GrubEvaluationBudget
    /// Environment blocks read as these bytes instead of the partition's
    /// file at that path (`/grub2/grubenv`): the block as it was before a
    /// boot, to see what GRUB wrote into it at that boot.
    public var environmentOverrides: [String: [UInt8]] = [:]

    public init(
        bootDirectory: String, configurationFile: String, platform: String = "pc", cpu: String = "i386",
        bootDevice: String = "hd0,msdos1", bootPartitionUUID: String? = nil, bootPartitionLabel: String? = nil
    ) {
        self.bootDirectory = bootDirectory
        self.configurationFile = configurationFile
        self.platform = platform
        self.cpu = cpu
        self.bootDevice = bootDevice
        self.bootPartitionUUID = bootPartitionUUID
        self.bootPartitionLabel = bootPartitionLabel
        budget = GrubEvaluationBudget()
    }

    /// The configuration file as a GRUB path, when it lies on the boot
    /// partition (it then is read through it, as GRUB reads it); nil for a
    /// file elsewhere that the user named.
    var configurationGrubPath: String? {
        let boot = FilePath(bootDirectory).lexicallyNormalized()
        let file = FilePath(configurationFile).lexicallyNormalized()
        guard file.starts(with: boot), file != boot else { return nil }
        var relative = file
        guard relative.removePrefix(boot) else { return nil }
        return "/" + relative.string
    }

    /// The configuration's folder on the partition, e.g. `/grub2`; a file
    /// the user named elsewhere stands for `/grub2/grub.cfg`.
    var configurationFolder: String {
        guard let grubPath = configurationGrubPath else { return "/grub2" }
        let folder = FilePath(grubPath).removingLastComponent().string
        return folder == "/" ? "" : folder
    }

    /// `$prefix` as GRUB sets it: `(device)/grub2`.
    var prefix: String { "(\(bootDevice))\(configurationFolder)" }

    /// `$config_file` while grub.cfg runs: `(device)/grub2/grub.cfg`.
    var configFileVariable: String {
        "(\(bootDevice))" + (configurationGrubPath ?? configurationFolder + "/grub.cfg")
    }
}
