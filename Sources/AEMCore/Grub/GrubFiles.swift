import CLinux
import Glibc
import SystemPackage

/// How the GRUB evaluation reaches files: through the boot partition, as
/// GRUB does, never the host's; each file read is kept with its SHA-256.
/// Only a file that is not there (no such file, or a folder on the way
/// missing) is absent as GRUB would find it absent; every other failure
/// is reported as it is, for the interpreter to make it an unknown.
struct GrubFiles: Sendable {
    let partition: BootPartition
    let settings: GrubEvaluationSettings

    /// What reading a file gave.
    enum Read {
        case absent
        case unreadable(FileAccessError)
        case read([UInt8], GrubConfigurationFile)
    }

    /// What `test -e/-f/-d/-s` finds.
    enum Probe: Equatable {
        case absent
        case directory
        case file(size: Int64)
        case unreadable(FileAccessError)
    }

    /// The configuration file itself: through the partition when it lies
    /// on it, else (a file the user named elsewhere) as a plain file.
    func readConfiguration() throws(FileAccessError) -> ([UInt8], GrubConfigurationFile) {
        let limit = settings.budget.maximumFileSize
        guard let grubPath = settings.configurationGrubPath else {
            let bytes = try FileBytes.read(settings.configurationFile, limit: limit)
            let record = GrubConfigurationFile(
                path: settings.configurationFile, partitionPath: nil, sha256: HashAlgorithm.sha256.hash(bytes))
            return (bytes, record)
        }
        let file = try partition.directory.openFile(Self.relative(grubPath), limit: limit)
        let bytes = try file.readAll()
        return (
            bytes,
            GrubConfigurationFile(
                path: grubPath, partitionPath: file.pathInRoot, sha256: HashAlgorithm.sha256.hash(bytes))
        )
    }

    /// The file at `path` inside the partition (`/grub2/custom.cfg`, which
    /// the record names it by).
    func read(_ path: String, limit: Int) -> Read {
        if let bytes = settings.environmentOverrides[path] {
            return .read(
                bytes,
                GrubConfigurationFile(
                    path: path, partitionPath: FilePath(path), sha256: HashAlgorithm.sha256.hash(bytes)))
        }
        do {
            let file = try partition.directory.openFile(Self.relative(path), limit: limit)
            let bytes = try file.readAll()
            return .read(
                bytes,
                GrubConfigurationFile(
                    path: path, partitionPath: file.pathInRoot, sha256: HashAlgorithm.sha256.hash(bytes)))
        } catch {
            return Self.isAbsence(error) ? .absent : .unreadable(error)
        }
    }

    /// What lies at `path` inside the partition: links on the way are
    /// followed inside it, the last one only when `following`.
    func probe(_ path: String, following: Bool) -> Probe {
        do {
            let flags = AEM_O_PATH | (following ? 0 : O_NOFOLLOW)
            let opened = try partition.directory.resolve(Self.relative(path), flags: flags)
            // closing after use
            defer { try? opened.close() }
            let status: Stat
            do {
                status = try opened.stat()
            } catch {
                return .unreadable(FileAccessError(.open, partition.directory.display(path), .system(error)))
            }
            return status.type == .directory ? .directory : .file(size: status.size)
        } catch {
            return Self.isAbsence(error) ? .absent : .unreadable(error)
        }
    }

    /// No such file, or a component on the way that is not a folder: GRUB
    /// finds nothing there either.
    private static func isAbsence(_ error: FileAccessError) -> Bool {
        error.reason == .system(.noSuchFileOrDirectory) || error.reason == .system(.notDirectory)
    }

    private static func relative(_ path: String) -> String {
        let trimmed = path.drop { $0 == "/" }
        return trimmed.isEmpty ? "." : String(trimmed)
    }
}
