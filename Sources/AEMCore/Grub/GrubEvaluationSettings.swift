import Foundation

/// Where a GRUB configuration lives and how far its evaluation may go.
public struct GrubEvaluationSettings: Sendable {
    /// The boot partition as mounted here (GRUB's `/`).
    public var bootDirectory: String
    /// The configuration file, a path on this machine.
    public var configurationFile: String
    /// `$grub_platform`: tboot boots from legacy BIOS GRUB, so `pc`.
    public var platform: String
    /// The environment block `load_env` reads; default: next to the configuration.
    public var environmentBlock: String?
    public var maximumSteps: Int
    public var maximumDepth: Int
    public var maximumSourceDepth: Int
    public var maximumFileSize: Int

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
    }

    /// The configuration's folder as GRUB names it (`$prefix`), e.g. `/grub2`.
    var prefix: String {
        let folder = ((configurationFile as NSString).deletingLastPathComponent as NSString).standardizingPath
        let boot = (bootDirectory as NSString).standardizingPath
        if boot == "/" { return folder }
        if folder == boot { return "/" }
        if folder.hasPrefix(boot + "/") { return String(folder.dropFirst(boot.count)) }
        return "/grub2"
    }

    /// Maps a GRUB path (`/x`, `(hd0,msdos1)/x`, `($root)/x`) to this
    /// machine, links resolved inside the boot partition
    /// (`BootPartitionPath`); nil for a relative or `..` path, or links
    /// that loop.
    public func localPath(_ grubPath: String) -> String? {
        var path = Substring(grubPath)
        if path.hasPrefix("(") {
            guard let close = path.firstIndex(of: ")") else { return nil }
            path = path[path.index(after: close)...]
        }
        guard path.hasPrefix("/") else { return nil }
        let components = path.split(separator: "/").map(String.init)
        guard !components.contains("..") else { return nil }
        return BootPartitionPath.resolve(components, under: bootDirectory)
    }

    func fileKind(_ grubPath: String) -> GrubFileKind? {
        guard let local = localPath(grubPath) else { return nil }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: local, isDirectory: &isDirectory) else { return nil }
        if isDirectory.boolValue { return .directory }
        let size = (try? FileManager.default.attributesOfItem(atPath: local)[.size] as? Int) ?? 0
        return size > 0 ? .nonEmptyFile : .emptyFile
    }
}
