import SystemPackage

/// Where a GRUB configuration lives and how far its evaluation may go.
public struct GrubEvaluationSettings: Sendable {
    /// The boot partition as mounted here (GRUB's `/`).
    public var bootDirectory: String
    /// The configuration file, a path on this machine.
    public var configurationFile: String
    /// `$grub_platform`: tboot boots from legacy BIOS GRUB, so `pc`.
    public var platform: String
    /// The environment block `load_env` reads, a GRUB path; default:
    /// `grubenv` next to the configuration.
    public var environmentBlock: String?
    public var maximumSteps: Int
    public var maximumDepth: Int
    public var maximumSourceDepth: Int
    public var maximumFileSize: Int
    /// The longest value a variable or an expanded word may have: GRUB's
    /// configurations hold command lines of a few hundred bytes.
    public var maximumValueSize: Int
    /// The most bytes all expansions of one evaluation may produce
    /// together: `set a="$a$a"` repeated would otherwise double them at
    /// every step.
    public var maximumExpansionBytes: Int

    public init(
        bootDirectory: String, configurationFile: String, platform: String = "pc", environmentBlock: String? = nil
    ) {
        self.bootDirectory = bootDirectory
        self.configurationFile = configurationFile
        self.platform = platform
        self.environmentBlock = environmentBlock
        maximumSteps = 200_000
        maximumDepth = 32
        maximumSourceDepth = 8
        maximumFileSize = 4 << 20
        maximumValueSize = 64 << 10
        maximumExpansionBytes = 32 << 20
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

    /// The configuration's folder as GRUB names it (`$prefix`), e.g. `/grub2`.
    var prefix: String {
        guard let grubPath = configurationGrubPath else { return "/grub2" }
        let folder = FilePath(grubPath).removingLastComponent().string
        return folder.isEmpty ? "/" : folder
    }
}
