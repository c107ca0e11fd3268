/// Finds, among the other files on /boot that could stand in a module's
/// place, the one the current boot measured. dom0 keeps previous kernels
/// and initramfs images (and often the previous Xen), so after an update
/// without a boot record the booted file is usually still there: finding
/// it by its measurement both names what changed and proves the model on
/// the booted file.
struct BootedFileSearch {
    var partition: BootPartition
    var loader: ModuleImageLoader
    /// How the flow measures a module from its command line and image digest.
    var measure: @Sendable (String, Digest) -> Digest

    /// The first candidate (a path inside the partition) that, loaded as
    /// GRUB loads it and measured with `commandLine`, recomputes to
    /// `logged` in every bank it can compute (at least one). Candidates
    /// that cannot be loaded are passed over: they are not it.
    func find(among candidates: [String], noUnzip: Bool, commandLine: String, logged: [Digest]) -> LoadedModuleImage? {
        for candidate in candidates {
            guard let file = try? partition.open(candidate, limit: loader.maximumLoadedSize),
                let image = try? loader.load(file, grubPath: candidate, noUnzip: noUnzip)
            else { continue }
            // Only banks actually recomputed count, and there must be one.
            let comparable = logged.filter { image.imageDigests[$0.algorithm] != nil }
            let matches = comparable.allSatisfy { logged in
                measure(commandLine, image.imageDigests[logged.algorithm]!) == logged
            }
            if !comparable.isEmpty, matches { return image }
        }
        return nil
    }
}
