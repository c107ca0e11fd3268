import SystemPackage

/// How the GRUB evaluation reaches files: through the boot partition, as
/// GRUB does, never the host's; each file read is kept with its SHA-256.
struct GrubFiles: Sendable {
    let partition: BootPartition
    let settings: GrubEvaluationSettings

    /// The configuration file itself: through the partition when it lies
    /// on it, else (a file the user named elsewhere) as a plain file.
    func readConfiguration() throws(FileAccessError) -> ([UInt8], GrubConfigurationFile) {
        guard let grubPath = settings.configurationGrubPath else {
            let bytes = try FileBytes.read(settings.configurationFile, limit: settings.maximumFileSize)
            let record = GrubConfigurationFile(
                path: settings.configurationFile, partitionPath: nil, sha256: HashAlgorithm.sha256.hash(bytes))
            return (bytes, record)
        }
        return try read(grubPath, limit: settings.maximumFileSize)
    }

    /// A file on the partition, by GRUB path.
    func read(_ grubPath: String, limit: Int) throws(FileAccessError) -> ([UInt8], GrubConfigurationFile) {
        let file = try partition.open(grubPath, limit: limit)
        let bytes = try file.readAll()
        let record = GrubConfigurationFile(
            path: grubPath, partitionPath: file.pathInRoot, sha256: HashAlgorithm.sha256.hash(bytes))
        return (bytes, record)
    }

    /// The block `load_env` reads by default: `$prefix/grubenv`, beside
    /// the configuration.
    var defaultEnvironmentBlock: String {
        settings.environmentBlock ?? FilePath(settings.prefix).appending("grubenv").string
    }

    /// What `test -d/-e/-f/-s` sees at a GRUB path.
    func kind(_ grubPath: String) -> GrubFileKind? {
        guard let (type, size) = partition.type(of: grubPath) else { return nil }
        if type == .directory { return .directory }
        return size > 0 ? .nonEmptyFile : .emptyFile
    }
}
