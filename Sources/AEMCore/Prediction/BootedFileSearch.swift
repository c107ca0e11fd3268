import SystemPackage

/// Finds, among the other files on /boot that could stand in a module's
/// place, the one the current boot measured. dom0 keeps previous kernels
/// and initramfs images (and often the previous Xen), so after an update
/// without a boot record the booted file is usually still there: finding
/// it by its measurement both names what changed and proves the model on
/// the booted file.
///
/// The candidates are an attacker's to plant, so the search is bounded in
/// number (`ModuleAlternatives.maximumCandidates`) and in bytes: all
/// candidates of one prediction together may load at most
/// `maximumBytes`, charged to the prediction's budget too. When that is
/// spent the search stops and finds nothing, so the verdict stays unknown.
struct BootedFileSearch {
    var partition: BootPartition
    /// The module loader, charging the search's own budget.
    var loader: ModuleImageLoader
    /// How the flow measures a module from its command line and image digest.
    var measure: @Sendable (String, Digest) -> Digest

    /// What every candidate of one prediction together may load.
    static let maximumBytes: Int64 = 1 << 30

    /// A search with `loader`'s settings whose loads are charged to a
    /// budget of `maximumBytes` within `loader`'s.
    init(partition: BootPartition, loader: ModuleImageLoader, measure: @escaping @Sendable (String, Digest) -> Digest) {
        self.partition = partition
        var bounded = loader
        bounded.budget = WorkBudget(bytes: Self.maximumBytes, within: loader.budget)
        self.loader = bounded
        self.measure = measure
    }

    /// The first candidate (a path inside the partition) that, loaded as
    /// GRUB loads it and measured with `commandLine`, recomputes to
    /// `logged` in every bank it can compute (at least one). A candidate
    /// that cannot be loaded is not it; once the budget is spent, no
    /// further candidate is tried.
    func find(among candidates: [FilePath], noUnzip: Bool, commandLine: String, logged: [Digest])
        -> LoadedModuleImage?
    {
        for candidate in candidates {
            let image: LoadedModuleImage
            do {
                let file = try partition.directory.openFile(candidate, limit: loader.maximumLoadedSize)
                image = try loader.load(file, grubPath: candidate.shown, noUnzip: noUnzip)
            } catch let error as ModuleLoadError {
                if case .budgetSpent = error.reason { return nil }
                continue
            } catch {
                continue  // not openable as a regular file within the bound: not the booted module
            }
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
