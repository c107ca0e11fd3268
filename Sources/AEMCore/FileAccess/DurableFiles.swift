import Foundation
import SystemPackage

/// Crash-safe writes to dom0's own disk by path (the state file, boot
/// records, the run lock's folder): the path's folder is opened as a
/// `ConfinedDirectory` and the change is made inside it, the same one way
/// the media is written. The folders named here are dom0's, so links in
/// the path itself are followed; nothing below them is.
public enum DurableFiles {
    /// The folder at `path`, made (with `mode`, parents too) when missing.
    public static func folder(_ path: String, creating mode: mode_t = 0o700) throws(FileAccessError)
        -> ConfinedDirectory
    {
        do {
            return try ConfinedDirectory(path: path, resolution: .withoutLinks)
        } catch let error where error.reason == .system(.noSuchFileOrDirectory) {
            let file = FilePath(path)
            guard let name = file.lastComponent?.string, !file.removingLastComponent().isEmpty else { throw error }
            return try folder(file.removingLastComponent().string, creating: mode).makeDirectory(name, mode: mode)
        }
    }

    /// Writes `bytes` to `path` atomically with permissions `mode`, making its folder when missing.
    public static func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o600) throws(FileAccessError) {
        let (parent, name) = try split(path)
        try folder(parent).write(name, bytes, mode: mode)
    }

    /// Removes the file or folder tree at `path` (nothing when absent).
    public static func removeTree(_ path: String) throws(FileAccessError) {
        let (parent, name) = try split(path)
        try ConfinedDirectory(path: parent, resolution: .withoutLinks).removeTree(name)
    }

    private static func split(_ path: String) throws(FileAccessError) -> (String, String) {
        let file = FilePath(path)
        guard let name = file.lastComponent?.string else { throw FileAccessError(.write, path, .escapes) }
        return (file.removingLastComponent().string, name)
    }
}
