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
public struct SealedSetInstaller: Sendable {
    /// `/var/lib/tpms/<tpm-id>/<label>` or its copy on the AEM media.
    public var activeDirectory: String
    /// Where the replaced set goes: a folder whose `previous` subfolder is
    /// the last replaced set and whose `history/<time>` keeps older ones.
    public var backupDirectory: String

    /// Where no folder on the way down to the sets may be a link: the AEM
    /// media's mount point (attacker-controlled); nil on dom0's own disk.
    public var linkFreeRoot: String?

    public init(activeDirectory: String, backupDirectory: String, linkFreeRoot: String? = nil) {
        self.activeDirectory = activeDirectory
        self.backupDirectory = backupDirectory
        self.linkFreeRoot = linkFreeRoot
    }

    /// Refuses a link anywhere from `linkFreeRoot` down to the folders this
    /// installer works in: a planted `aem -> /etc` or `tpms/<id> -> DIR`
    /// would otherwise send sets, renames and mode changes outside the media.
    func requireNoLinks() throws(DurableFileError) {
        guard let root = linkFreeRoot else { return }
        let base = (root as NSString).standardizingPath
        for folder in [activeDirectory, stagingDirectory, backupDirectory, previousDirectory, historyDirectory] {
            let standardized = (folder as NSString).standardizingPath
            guard standardized.hasPrefix(base + "/") else { continue }
            var path = base
            for component in standardized.dropFirst(base.count + 1).split(separator: "/") {
                path += "/" + component
                if DurableFiles.kind(path) == S_IFLNK { throw .link(path) }
            }
        }
    }

    var parent: String { (activeDirectory as NSString).deletingLastPathComponent }
    var label: String { (activeDirectory as NSString).lastPathComponent }
    public var stagingDirectory: String { parent + "/.\(label).aem-reseal-staging" }
    public var previousDirectory: String { backupDirectory + "/previous" }
    public var historyDirectory: String { backupDirectory + "/history" }

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
    public func recover(pendingIdentifier: String?, keepReplacedSet: Bool) throws(DurableFileError) {
        try requireNoLinks()
        guard FileManager.default.fileExists(atPath: stagingDirectory) else { return }
        let staged = SealedSet.identifier(at: stagingDirectory)
        let active = SealedSet.identifier(at: activeDirectory)
        if let pendingIdentifier, staged == pendingIdentifier, active != pendingIdentifier {
            try DurableFiles.removeTree(stagingDirectory)
        } else if !SealedSet.isComplete(at: stagingDirectory) {
            try DurableFiles.removeTree(stagingDirectory)
        } else if let pendingIdentifier, active == pendingIdentifier {
            try keepReplaced(keepReplacedSet)
        } else {
            try pushIntoHistory(stagingDirectory)
        }
    }

    /// Writes `set` into the staging folder, durably.
    public func stage(_ set: SealedSet) throws(DurableFileError) {
        try requireNoLinks()
        try DurableFiles.removeTree(stagingDirectory)
        try DurableFiles.makeDirectory(parent, mode: 0o700)
        FaultPoints.hit("mkdir:staging")
        guard mkdir(stagingDirectory, 0o700) == 0 else { throw DurableFileError("creating", stagingDirectory) }
        try DurableFiles.syncDirectory(parent)
        for file in set.files {
            try DurableFiles.write(file.bytes, to: stagingDirectory + "/" + file.name, mode: 0o600)
        }
        try DurableFiles.write(
            Array((set.identifier + "\n").utf8), to: stagingDirectory + "/" + SealedSet.identifierFile, mode: 0o600)
    }

    /// Swaps the staged set in. The replaced set is kept as `previous`
    /// (pushing an older one into history) when `keepReplacedSet`, and
    /// discarded otherwise (it was itself an unverified staged set).
    ///
    /// Whatever fails, the active name holds one whole set: the folders the
    /// backup needs are made before the swap (a full media fails there, with
    /// the old set still active), and a failure after the swap swaps back.
    public func install(keepReplacedSet: Bool) throws(DurableFileError) {
        try requireNoLinks()
        guard SealedSet.isComplete(at: stagingDirectory) else {
            throw DurableFileError("installing", stagingDirectory, errno: ENOENT)
        }
        guard FileManager.default.fileExists(atPath: activeDirectory) else {
            try DurableFiles.move(stagingDirectory, to: activeDirectory)
            return
        }
        if keepReplacedSet {
            try DurableFiles.makeDirectory(backupDirectory, mode: 0o700)
            if FileManager.default.fileExists(atPath: previousDirectory) { try pushIntoHistory(previousDirectory) }
        }
        try DurableFiles.exchange(stagingDirectory, activeDirectory)
        do {
            try keepReplaced(keepReplacedSet)
        } catch {
            // The replaced set is still whole under the staging name: put it back.
            try? DurableFiles.exchange(stagingDirectory, activeDirectory)
            throw error
        }
    }

    /// Removes an unfinished staging folder, so that a failed copy leaves
    /// no partial set behind (on a full media it would hold the space).
    public func discardStaging() throws(DurableFileError) {
        try requireNoLinks()
        try DurableFiles.removeTree(stagingDirectory)
    }

    /// Puts `previous` back as the active set; the set it replaces goes to
    /// history. A failure before the swap leaves the active set and no copy.
    public func restorePrevious() throws(DurableFileError) {
        try requireNoLinks()
        guard SealedSet.isComplete(at: previousDirectory) else {
            throw DurableFileError("restoring", previousDirectory, errno: ENOENT)
        }
        try DurableFiles.removeTree(stagingDirectory)
        do {
            // Everything that needs room happens before the swap.
            try copyDirectory(previousDirectory, to: stagingDirectory)
            try DurableFiles.makeDirectory(historyDirectory, mode: 0o700)
        } catch {
            try? DurableFiles.removeTree(stagingDirectory)
            throw error
        }
        try DurableFiles.exchange(stagingDirectory, activeDirectory)
        try pushIntoHistory(stagingDirectory)
    }

    /// Keeps at most `count` sets in history, oldest removed first.
    public func pruneHistory(keeping count: Int) throws(DurableFileError) {
        try requireNoLinks()
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: historyDirectory)) ?? []).sorted()
        for name in names.dropLast(count) { try DurableFiles.removeTree(historyDirectory + "/" + name) }
    }

    private func keepReplaced(_ keep: Bool) throws(DurableFileError) {
        guard keep else {
            try DurableFiles.removeTree(stagingDirectory)
            return
        }
        try DurableFiles.makeDirectory(backupDirectory, mode: 0o700)
        if FileManager.default.fileExists(atPath: previousDirectory) { try pushIntoHistory(previousDirectory) }
        // Stock AEM writes its sets with the umask (0644 in 0755); a backup
        // is 0600 in 0700. Restricted first, so that the move is the last step.
        try DurableFiles.restrictTree(stagingDirectory)
        try moveDirectory(stagingDirectory, to: previousDirectory)
    }

    private func pushIntoHistory(_ directory: String) throws(DurableFileError) {
        try DurableFiles.makeDirectory(historyDirectory, mode: 0o700)
        var name = String(format: "%.0f", Date().timeIntervalSince1970 * 1000)
        while FileManager.default.fileExists(atPath: historyDirectory + "/" + name) { name += "-1" }
        try moveDirectory(directory, to: historyDirectory + "/" + name, label: "history")
    }

    /// Renames within one file system, else copies durably and removes.
    private func moveDirectory(_ source: String, to target: String, label: String? = nil) throws(DurableFileError) {
        do {
            try DurableFiles.move(source, to: target, label: label)
        } catch {
            guard error.errno == .improperLink else { throw error }
            let temporary = target + ".partial"
            try DurableFiles.removeTree(temporary)
            try copyDirectory(source, to: temporary)
            try DurableFiles.move(temporary, to: target)
            try DurableFiles.removeTree(source)
        }
    }

    private func copyDirectory(_ source: String, to target: String) throws(DurableFileError) {
        guard mkdir(target, 0o700) == 0 else { throw DurableFileError("creating", target) }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: source)) ?? []
        for name in names.sorted() {
            // A link in the set would copy whatever it points at (a host file, onto the media).
            guard DurableFiles.kind(source + "/" + name) != S_IFLNK else { throw .link(source + "/" + name) }
            let bytes: [UInt8]
            do {
                bytes = try FileBytes.read(source + "/" + name)
            } catch {
                throw DurableFileError("reading", source + "/" + name, errno: EIO)
            }
            try DurableFiles.write(bytes, to: target + "/" + name, mode: 0o600)
        }
        try DurableFiles.syncDirectory((target as NSString).deletingLastPathComponent)
    }
}
