import Foundation
import SystemPackage

/// Replaces a sealed set so that a crash at any moment leaves either the
/// complete old set or the complete new one under the active name.
///
/// The new set is written, file by file with fsync, into a staging folder
/// next to the active one; `renameat2(RENAME_EXCHANGE)` then swaps the two
/// names in one step; the old set, now under the staging name, is moved to
/// its backup place. A leftover staging folder from an interrupted run is
/// told apart by the set identifier: if the active set already is the
/// pending new one, the leftover is the old set and is moved on; otherwise
/// it is an unfinished new set and is discarded (the plaintext secrets were
/// never touched, so nothing is lost).
///
/// Every path is relative to `root`, a folder opened without links (dom0's
/// `/var/lib`, or the AEM media's mount point), and every change names one
/// entry of a folder opened through it: a link planted anywhere on the
/// media is refused, never followed.
public struct SealedSetInstaller: Sendable {
    public let root: ConfinedDirectory
    /// `tpms/<tpm-id>/<label>`, or `aem/tpms/<tpm-id>/<label>` on the media.
    public let activePath: String
    /// Where the replaced set goes: `previous` in it is the last replaced
    /// set and `history/<time>` keeps older ones.
    public let backupPath: String

    public init(root: ConfinedDirectory, activePath: String, backupPath: String) {
        self.root = root
        self.activePath = activePath
        self.backupPath = backupPath
    }

    private var parentPath: String { FilePath(activePath).removingLastComponent().string }
    var label: String { FilePath(activePath).lastComponent?.string ?? "" }
    var stagingName: String { ".\(label).aem-reseal-staging" }
    var stagingPath: String { FilePath(parentPath).appending(stagingName).string }
    var previousPath: String { FilePath(backupPath).appending("previous").string }
    var historyPath: String { FilePath(backupPath).appending("history").string }

    /// The folders as the user knows them, for messages.
    public var activeDirectory: String { root.display(activePath) }
    public var stagingDirectory: String { root.display(stagingPath) }
    public var previousDirectory: String { root.display(previousPath) }
    public var historyDirectory: String { root.display(historyPath) }

    /// The active set, the kept previous one and a leftover staging folder, read once.
    public func readActive() throws(FileAccessError) -> StoredSealedSet? {
        try StoredSealedSet.read(activePath, in: root)
    }

    public func readPrevious() throws(FileAccessError) -> StoredSealedSet? {
        try StoredSealedSet.read(previousPath, in: root)
    }

    func readStaging() throws(FileAccessError) -> StoredSealedSet? {
        try StoredSealedSet.read(stagingPath, in: root)
    }

    /// The folder holding the active set (and staging), made if missing.
    private func parent() throws(FileAccessError) -> ConfinedDirectory {
        try root.makeDirectories(parentPath)
    }

    /// The backup folder, made if missing.
    private func backup() throws(FileAccessError) -> ConfinedDirectory {
        try root.makeDirectories(backupPath)
    }

    /// Refuses an entry that is there but not a folder (a planted link
    /// moved or swapped would carry the link along).
    private static func requireFolder(_ name: String, in folder: ConfinedDirectory) throws(FileAccessError) {
        let type: FileType
        do {
            type = try FilePath(name).stat(relativeTo: folder.descriptor, flags: .symlinkNoFollow).type
        } catch  where error == .noSuchFileOrDirectory {
            return
        } catch {
            throw FileAccessError(.rename, folder.display(name), .system(error))
        }
        guard type != .directory else { return }
        throw FileAccessError(.rename, folder.display(name), type == .symbolicLink ? .link : .notDirectory(type))
    }

    /// Finishes or discards what an interrupted run left behind, given the
    /// identifier of the set that run was installing and whether it meant
    /// to keep the set it replaced.
    ///
    /// - staging holds the pending set and the active one is not it: the
    ///   crash came before the swap; the unfinished set is discarded;
    /// - the active set is the pending one: the crash came after the swap;
    ///   staging holds the replaced set, which goes where it was meant to;
    /// - any other complete set (an interrupted rollback's) goes to history:
    ///   a complete sealed set is never thrown away by a guess.
    public func recover(pendingIdentifier: String?, keepReplacedSet: Bool) throws(FileAccessError) {
        guard let folder = try root.directoryIfPresent(parentPath), try folder.contains(stagingName) else { return }
        try Self.requireFolder(stagingName, in: folder)
        let staged = try readStaging()
        let active = try readActive()?.identifier
        if let pendingIdentifier, staged?.identifier == pendingIdentifier, active != pendingIdentifier {
            try folder.removeTree(stagingName)
        } else if staged?.isComplete != true {
            try folder.removeTree(stagingName)
        } else if let pendingIdentifier, active == pendingIdentifier {
            try keepReplaced(keepReplacedSet, in: folder)
        } else {
            try pushIntoHistory(stagingName, from: folder)
        }
    }

    /// Writes `set` into the staging folder, durably.
    public func stage(_ set: SealedSet) throws(FileAccessError) {
        let folder = try parent()
        try folder.removeTree(stagingName)
        FaultPoints.hit("mkdir:staging")
        let staging = try folder.makeDirectory(stagingName, mode: 0o700)
        for file in set.files { try staging.write(file.name, file.bytes, mode: 0o600) }
        try staging.write(SealedSet.identifierFile, Array((set.identifier + "\n").utf8), mode: 0o600)
    }

    /// Swaps the staged set in. The replaced set is kept as `previous`
    /// (pushing an older one into history) when `keepReplacedSet`, and
    /// discarded otherwise (it was itself an unverified staged set).
    ///
    /// Whatever fails, the active name holds one whole set: the folders the
    /// backup needs are made before the swap (a full media fails there, with
    /// the old set still active), and a failure after the swap swaps back.
    public func install(keepReplacedSet: Bool) throws(FileAccessError) {
        let folder = try parent()
        guard try readStaging()?.isComplete == true else {
            throw FileAccessError(.rename, stagingDirectory, .system(.noSuchFileOrDirectory))
        }
        let active = FilePath(activePath).lastComponent!.string
        guard try folder.contains(active) else {
            try folder.move(stagingName, to: folder, as: active)
            return
        }
        try Self.requireFolder(active, in: folder)
        if keepReplacedSet {
            // The set to keep must be files only: a link in it is refused
            // here, by its own name, before anything is swapped.
            _ = try readActive()
            let backup = try backup()
            if try backup.contains("previous") { try pushIntoHistory("previous", from: backup) }
        }
        try folder.exchange(stagingName, active)
        do {
            try keepReplaced(keepReplacedSet, in: folder)
        } catch {
            // The replaced set is still whole under the staging name: put it back.
            try? folder.exchange(stagingName, active)  // undoing after the failure thrown below; a crash is recovered
            throw error
        }
    }

    /// Removes an unfinished staging folder, so that a failed copy leaves
    /// no partial set behind (on a full media it would hold the space).
    public func discardStaging() throws(FileAccessError) {
        try root.directoryIfPresent(parentPath)?.removeTree(stagingName)
    }

    /// Puts `previous` back as the active set; the set it replaces goes to
    /// history. A failure before the swap leaves the active set and no copy.
    public func restorePrevious() throws(FileAccessError) {
        guard let previous = try readPrevious(), previous.isComplete else {
            throw FileAccessError(.rename, previousDirectory, .system(.noSuchFileOrDirectory))
        }
        let folder = try parent()
        try folder.removeTree(stagingName)
        do {
            // Everything that needs room happens before the swap.
            let staging = try folder.makeDirectory(stagingName, mode: 0o700)
            for (name, bytes) in previous.files.sorted(by: { $0.key < $1.key }) {
                try staging.write(name, bytes, mode: 0o600)
            }
            _ = try root.makeDirectories(historyPath)
        } catch {
            try? folder.removeTree(stagingName)  // cleanup after the failure thrown below; a leftover is recovered
            throw error
        }
        let active = FilePath(activePath).lastComponent!.string
        try Self.requireFolder(active, in: folder)
        try folder.exchange(stagingName, active)
        try pushIntoHistory(stagingName, from: folder)
    }

    /// Keeps at most `count` sets in history, oldest removed first.
    public func pruneHistory(keeping count: Int) throws(FileAccessError) {
        guard let history = try root.directoryIfPresent(historyPath) else { return }
        for entry in try history.entries().dropLast(count) { try history.removeTree(entry.name) }
    }

    /// Puts the replaced set, now under the staging name in `folder`, where
    /// it was meant to go: `previous` (restricted to the owner), or away.
    private func keepReplaced(_ keep: Bool, in folder: ConfinedDirectory) throws(FileAccessError) {
        guard keep else {
            try folder.removeTree(stagingName)
            return
        }
        let backup = try backup()
        if try backup.contains("previous") { try pushIntoHistory("previous", from: backup) }
        // Stock AEM writes its sets with the umask (0644 in 0755); a backup
        // is 0600 in 0700. Restricted first, so that the move is the last step.
        try folder.restrictTree(stagingName)
        try moveFolder(stagingName, from: folder, to: backup, as: "previous")
    }

    private func pushIntoHistory(_ name: String, from folder: ConfinedDirectory) throws(FileAccessError) {
        try Self.requireFolder(name, in: folder)
        let history = try root.makeDirectories(historyPath)
        var target = String(format: "%.0f", Date().timeIntervalSince1970 * 1000)
        while try history.contains(target) { target += "-1" }
        try moveFolder(name, from: folder, to: history, as: target, label: "history")
    }

    /// Renames within one file system, else copies durably and removes.
    private func moveFolder(
        _ name: String, from source: ConfinedDirectory, to target: ConfinedDirectory, as newName: String,
        label: String? = nil
    ) throws(FileAccessError) {
        do {
            try source.move(name, to: target, as: newName, label: label)
        } catch {
            guard error.reason == .system(.improperLink) else { throw error }
            let partial = newName + ".partial"
            try target.removeTree(partial)
            let copy = try target.makeDirectory(partial, mode: 0o700)
            let set = try StoredSealedSet.read(try source.directory(name))
            for (file, bytes) in set.files.sorted(by: { $0.key < $1.key }) { try copy.write(file, bytes, mode: 0o600) }
            try target.move(partial, to: target, as: newName)
            try source.removeTree(name)
        }
    }
}
