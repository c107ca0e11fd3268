import SystemPackage

/// What GRUB writes into an environment block when it boots: Fedora's
/// configuration resets `boot_success` and counts `boot_indeterminate`,
/// `savedefault` saves the entry, a one-time `next_entry` is cleared. GRUB
/// writes the block at boot, before dom0 runs, so the block a proven boot
/// found is not what dom0 left; it is what the configuration made of it,
/// and that is modelled, not taken on trust.
public enum GrubBootWrites {
    /// What GRUB leaves at boot, and what it read to decide it.
    public struct Outcome: Sendable {
        /// The block after GRUB's writes.
        public var block: [UInt8]
        /// Every file the evaluation read, the block itself among them.
        public var configurationFiles: [GrubConfigurationFile]
    }

    /// The block GRUB leaves at `path` when it boots the default entry of
    /// the configuration `settings` names with `before` in that block: the
    /// evaluation's writes (menu and entry) applied to `before`. Nil when
    /// the writes depend on anything the evaluation could not model, or
    /// the result is not what GRUB would write in place.
    public static func expected(after before: [UInt8], at path: String, settings: GrubEvaluationSettings)
        -> Outcome?
    {
        var settings = settings
        settings.environmentOverrides[path] = before
        // Not evaluable, or not an environment block: nothing is explained.
        guard let grub = try? GrubConfiguration.load(settings), let selection = grub.defaultEntry(),
            // (same)
            let entry = try? grub.boot(selection),
            entry.environmentUncertainty.isEmpty, entry.unknownInfluences.isEmpty,
            var block = GrubEnvironmentBlock(bytes: before)
        else { return nil }
        for write in entry.environmentWrites where write.file == path {
            guard write.influences.isEmpty else { return nil }
            if let value = write.value {
                guard block.set(write.name, value) else { return nil }
            } else {
                block.delete(write.name)
            }
        }
        return Outcome(block: block.bytes, configurationFiles: entry.configurationFiles)
    }
}
