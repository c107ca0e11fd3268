import CLinux
import Glibc
import SystemPackage

/// Crash-safe changes inside a confined folder. Each names one entry of
/// this folder (never a path), so the kernel never resolves a link planted
/// since: a write goes to a temporary file that is fsync'ed, renamed over
/// the target and followed by an fsync of the folder, so after a crash the
/// target holds the old or the new content, never a mix.
extension ConfinedDirectory {
    /// Refuses anything but one plain name: the operations below must not
    /// resolve a path.
    private func entryName(_ name: String, _ operation: FileOperation) throws(FileAccessError) -> String {
        guard !name.isEmpty, name != ".", name != "..", !name.contains("/") else {
            throw FileAccessError(operation, display(name), .escapes)
        }
        return name
    }

    /// Writes `bytes` to the entry `name` atomically, with permissions `mode`.
    public func write(_ name: String, _ bytes: [UInt8], mode: mode_t = 0o600) throws(FileAccessError) {
        if let failure = bytes.withUnsafeBytes({ attempt($0, name, mode) }) { throw failure }
    }

    /// Writes secret bytes atomically (0600 unless told otherwise).
    public func write(_ name: String, _ secret: SecretBytes, mode: mode_t = 0o600) throws(FileAccessError) {
        if let failure = secret.withUnsafeBytes({ attempt($0, name, mode) }) { throw failure }
    }

    private func attempt(_ bytes: UnsafeRawBufferPointer, _ name: String, _ mode: mode_t) -> FileAccessError? {
        do {
            try write(name, bytes: bytes, mode: mode)
            return nil
        } catch {
            return error
        }
    }

    private func write(_ name: String, bytes: UnsafeRawBufferPointer, mode: mode_t) throws(FileAccessError) {
        let name = try entryName(name, .write)
        let temporary = ".\(name).tmp-\(getpid())"
        // A temporary file a crashed run left is ours to replace.
        _ = unlinkat(descriptor.rawValue, temporary, 0)
        let file: FileDescriptor
        do {
            file = FileDescriptor(
                rawValue: try valueOrErrno {
                    openat(descriptor.rawValue, temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
                })
        } catch {
            throw FileAccessError(.create, display(temporary), .system(error))
        }
        // The failure of `operation`, with the temporary file removed: the
        // target keeps its old content.
        func abandon(_ operation: FileOperation, _ error: Errno) -> FileAccessError {
            try? file.close()  // closing after the failure thrown
            _ = unlinkat(descriptor.rawValue, temporary, 0)
            return FileAccessError(operation, display(name), .system(error))
        }
        do {
            _ = try valueOrErrno { fchmod(file.rawValue, mode) }
        } catch {
            throw abandon(.setMode, error)
        }
        do {
            _ = try systemCall { try file.writeAll(bytes) }
        } catch {
            throw abandon(.write, error)
        }
        do {
            _ = try valueOrErrno { fsync(file.rawValue) }
        } catch {
            throw abandon(.sync, error)
        }
        do {
            try systemCall { try file.close() }
        } catch {
            _ = unlinkat(descriptor.rawValue, temporary, 0)
            throw FileAccessError(.write, display(name), .system(error))
        }
        FaultPoints.hit("write:\(name)")
        do {
            _ = try valueOrErrno { renameat(descriptor.rawValue, temporary, descriptor.rawValue, name) }
        } catch {
            _ = unlinkat(descriptor.rawValue, temporary, 0)
            throw FileAccessError(.rename, display(name), .system(error))
        }
        try sync()
    }

    /// fsync of this folder: makes renames and creations in it durable.
    public func sync() throws(FileAccessError) {
        do {
            _ = try valueOrErrno { fsync(descriptor.rawValue) }
        } catch {
            throw FileAccessError(.sync, path, .system(error))
        }
    }

    /// The folder `name` in this one, made with `mode` (and synced) when
    /// missing; an existing one keeps its mode unless `enforceMode`.
    public func makeDirectory(_ name: String, mode: mode_t = 0o700, enforceMode: Bool = true) throws(FileAccessError)
        -> ConfinedDirectory
    {
        let name = try entryName(name, .create)
        var created = false
        do {
            _ = try valueOrErrno { mkdirat(descriptor.rawValue, name, mode) }
            created = true
        } catch  where error == .fileExists {
        } catch {
            throw FileAccessError(.create, display(name), .system(error))
        }
        let child = try directory(name)
        if created || enforceMode {
            do {
                _ = try valueOrErrno { fchmod(child.descriptor.rawValue, mode) }
            } catch {
                throw FileAccessError(.setMode, child.path, .system(error))
            }
        }
        if created {
            FaultPoints.hit("mkdir:\(name)")
            try sync()
        }
        return child
    }

    /// Makes every folder of `relative` (`aem/tpms/<id>`) that is missing,
    /// with `mode`, and returns the last.
    public func makeDirectories(_ relative: String, mode: mode_t = 0o700) throws(FileAccessError) -> ConfinedDirectory {
        var folder = self
        for component in relative.split(separator: "/") where component != "." {
            folder = try folder.makeDirectory(String(component), mode: mode, enforceMode: false)
        }
        return folder
    }

    /// Whether the entry `name` exists (a link counts, and is not
    /// followed); a failure to tell is thrown, never taken for absent.
    public func contains(_ name: String) throws(FileAccessError) -> Bool {
        do {
            _ = try FilePath(name).stat(relativeTo: descriptor, flags: .symlinkNoFollow)
            return true
        } catch  where error == .noSuchFileOrDirectory {
            return false
        } catch {
            throw FileAccessError(.open, display(name), .system(error))
        }
    }

    /// Swaps two entries of this folder in one step
    /// (`renameat2(RENAME_EXCHANGE)`): each name always holds one whole version.
    public func exchange(_ first: String, _ second: String) throws(FileAccessError) {
        let first = try entryName(first, .exchange)
        let second = try entryName(second, .exchange)
        FaultPoints.hit("exchange:\(second)")
        do {
            _ = try valueOrErrno {
                renameat2(descriptor.rawValue, first, descriptor.rawValue, second, AEM_RENAME_EXCHANGE)
            }
        } catch {
            throw FileAccessError(.exchange, display(second), .system(error))
        }
        try sync()
    }

    /// Renames the entry `name` to `newName` in `target`, never replacing
    /// one there (`RENAME_NOREPLACE`), and syncs both folders. `label`
    /// names the fault point (default: `newName`).
    public func move(_ name: String, to target: ConfinedDirectory, as newName: String, label: String? = nil)
        throws(FileAccessError)
    {
        let name = try entryName(name, .rename)
        let newName = try target.entryName(newName, .rename)
        FaultPoints.hit("move:\(label ?? newName)")
        do {
            _ = try valueOrErrno {
                renameat2(descriptor.rawValue, name, target.descriptor.rawValue, newName, AEM_RENAME_NOREPLACE)
            }
        } catch {
            throw FileAccessError(.rename, target.display(newName), .system(error))
        }
        try target.sync()
        if target.status.inode != status.inode || target.status.deviceID != status.deviceID { try sync() }
    }

    /// Removes the entry `name` and, for a folder, everything in it (at
    /// most `maximumDepth` levels); a link is removed, never followed.
    /// Nothing happens when there is no such entry.
    public func removeTree(_ name: String) throws(FileAccessError) {
        let name = try entryName(name, .remove)
        guard try contains(name) else { return }
        FaultPoints.hit("remove:\(name)")
        try removeEntry(FilePath.Component(name)!, depth: 0)
        try sync()
    }

    /// Removes the entry `name` (its bytes, as a listing gave it) as
    /// `removeTree(_:)` does.
    public func removeTree(_ name: FilePath.Component) throws(FileAccessError) {
        guard let text = String(validating: name) else {
            try removeEntry(name, depth: 0)
            return try sync()
        }
        try removeTree(text)
    }

    private func removeEntry(_ name: FilePath.Component, depth: Int) throws(FileAccessError) {
        let shown = display(FilePath(root: nil, [name]))
        let info: Stat?
        do {
            info = try FilePath(root: nil, [name]).stat(relativeTo: descriptor, flags: .symlinkNoFollow)
        } catch  where error == .noSuchFileOrDirectory {
            info = nil
        } catch {
            throw FileAccessError(.remove, shown, .system(error))
        }
        if info?.type == .directory {
            guard depth < Self.maximumDepth else {
                throw FileAccessError(.remove, shown, .tooLarge(limit: Self.maximumDepth))
            }
            let child = try directory(FilePath(root: nil, [name]))
            for entry in try child.entries() { try child.removeEntry(entry.name, depth: depth + 1) }
            do {
                _ = try valueOrErrno { name.withPlatformString { unlinkat(descriptor.rawValue, $0, AT_REMOVEDIR) } }
            } catch {
                throw FileAccessError(.remove, shown, .system(error))
            }
        } else {
            do {
                _ = try valueOrErrno { name.withPlatformString { unlinkat(descriptor.rawValue, $0, 0) } }
            } catch  where error == .noSuchFileOrDirectory {
            } catch {
                throw FileAccessError(.remove, shown, .system(error))
            }
        }
    }

    /// Makes the folder `name` 0700 and each file in it 0600, owner only,
    /// through descriptors: a link is refused (never followed), and so is a
    /// file with other hard links, whose mode change would reach them.
    public func restrictTree(_ name: String) throws(FileAccessError) {
        let folder = try directory(try entryName(name, .setMode))
        do {
            _ = try valueOrErrno { fchmod(folder.descriptor.rawValue, 0o700) }
        } catch {
            throw FileAccessError(.setMode, folder.path, .system(error))
        }
        for entry in try folder.entries() {
            guard entry.type == .regular else {
                throw FileAccessError(
                    .setMode, folder.display(FilePath(root: nil, [entry.name])),
                    entry.type == .symbolicLink ? .link : .notRegularFile(entry.type))
            }
            let file = try folder.openFile(FilePath(root: nil, [entry.name]), limit: Int.max)
            try file.requireSingleLink(.setMode)
            do {
                _ = try valueOrErrno { fchmod(file.descriptor.rawValue, 0o600) }
            } catch {
                throw FileAccessError(.setMode, file.path, .system(error))
            }
        }
    }
}
