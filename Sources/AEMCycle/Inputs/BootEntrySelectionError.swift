import AEMCore

/// Why no AEM entry could be chosen from GRUB's configuration, with the
/// AEM entries it does have so that the user can name one with `--entry`.
public enum BootEntrySelectionError: Error, CustomStringConvertible {
    /// The configuration cannot be evaluated, or the chosen entry not booted.
    case grub(GrubError)
    /// No entry matches `--entry`.
    case noSuchEntry(name: String, aemEntries: [String])
    /// The configuration defines no menu entry at all.
    case noEntries
    /// The chosen entry (`--entry`, else GRUB's default) does not boot
    /// through tboot or slaunch; `kernel` is what it boots when it loads one.
    case notAnAEMEntry(GrubError?, title: String, kernel: String?, isDefault: Bool, aemEntries: [String])

    public var description: String {
        switch self {
        case let .grub(error):
            return error.description
        case let .noSuchEntry(name, aemEntries):
            return "no GRUB entry matches --entry \"\(name)\"; \(Self.listing(aemEntries))"
        case .noEntries:
            return "the GRUB configuration defines no menu entry"
        case let .notAnAEMEntry(error, title, kernel, isDefault, aemEntries):
            let what =
                error?.description
                ?? "the entry \"\(title)\" boots \(kernel ?? "no kernel") without tboot or "
                + "slaunch: it is not an AEM entry"
            let hint =
                isDefault ? " It is GRUB's default entry: name the AEM entry with --entry, or make it the default." : ""
            return "\(what).\(hint) \(Self.listing(aemEntries))"
        }
    }

    private static func listing(_ titles: [String]) -> String {
        titles.isEmpty
            ? "The configuration has no AEM (tboot or TrenchBoot) entry at all."
            : "AEM entries: " + titles.prefix(6).map { "\"\($0)\"" }.joined(separator: ", ")
    }
}
