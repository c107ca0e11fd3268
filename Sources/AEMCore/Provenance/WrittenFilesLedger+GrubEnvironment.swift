import Foundation
import SystemPackage

/// GRUB environment blocks in the ledger: dom0 writes them (grub2-editenv,
/// grub2-mkconfig), and GRUB itself writes them at the start of every boot
/// (Fedora's `boot_success`, `savedefault`). The ledger keeps a block's
/// bytes, so that the next boot's change to it can be told GRUB's own: the
/// configuration's `save_env`s, modelled, applied to the bytes dom0 left.
extension WrittenFilesLedger {
    /// The largest block kept (GRUB's own are 1 KiB).
    public static let maximumEnvironmentBlock = 64 << 10

    /// The ledger with the bytes of each GRUB environment block entered in
    /// the boot `bootTime` (read from `partition`, where it must still
    /// have the digest entered).
    public func keepingEnvironmentBlocks(writtenIn bootTime: Int64, on partition: BootPartition)
        -> WrittenFilesLedger
    {
        var next = self
        for (path, entry) in files where entry.writtenInBoot == bootTime && entry.environmentBlock == nil {
            // A file that cannot be read again is kept without its bytes: its next change is then unexplained.
            guard let bytes = try? partition.directory.readFile(path, limit: Self.maximumEnvironmentBlock),
                GrubEnvironmentBlock(bytes: bytes) != nil, HashAlgorithm.sha256.hash(bytes).hex == entry.sha256
            else { continue }
            next.files[path]?.environmentBlock = bytes
        }
        return next
    }

    /// The environment blocks GRUB wrote at the start of the boot `start`
    /// was taken in, as new entries: each block the ledger held whose
    /// file now differs, when evaluating the configuration with the held
    /// bytes gives exactly the bytes now there, and every other file that
    /// evaluation read is `vouched` (dom0 or a package wrote it: a planted
    /// script's writes are not GRUB's to vouch for).
    public func grubWrites(
        atStartOf start: BootFileSnapshot, on partition: BootPartition, settings: GrubEvaluationSettings,
        vouched: (GrubConfigurationFile) -> Bool
    ) -> [FilePath: Entry] {
        var written = [FilePath: Entry]()
        for (path, entry) in files {
            guard let before = entry.environmentBlock, let now = start.sha256(of: path), now != entry.sha256,
                let text = path.validString,
                // Unreadable now: nothing is explained.
                let bytes = try? partition.directory.readFile(path, limit: Self.maximumEnvironmentBlock),
                HashAlgorithm.sha256.hash(bytes).hex == now,
                let outcome = GrubBootWrites.expected(after: before, at: text, settings: settings),
                outcome.block == bytes,
                outcome.configurationFiles.allSatisfy({ $0.isEnvironmentBlock || vouched($0) })
            else { continue }
            written[path] = Entry(
                sha256: now, writtenInBoot: start.bootTime, writer: .grubAtBoot, environmentBlock: bytes)
        }
        return written
    }
}
