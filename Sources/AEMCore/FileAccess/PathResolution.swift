import CLinux

/// How the kernel resolves a path inside a `ConfinedDirectory`. Either way
/// it never leaves the directory, never crosses into another file system
/// and never follows a /proc "magic" link: /boot and the AEM media are
/// attacker-controlled, so the checks are `openat2`'s, made in the same
/// step as the open, not a check of a path that is then opened again.
public enum PathResolution: Sendable, Equatable {
    /// As GRUB resolves a path on the boot partition: links are followed,
    /// but an absolute target starts again at the directory and `..` stops
    /// at it (`RESOLVE_IN_ROOT`). A link to `/etc/shadow` names the
    /// partition's own (missing) `/etc/shadow`; loops end with `ELOOP`.
    case insidePartition
    /// No link at all on the way (`RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS`):
    /// the AEM media and aem-reseal's own folders, where a link is always
    /// a planted one.
    case withoutLinks

    /// The `RESOLVE_*` flags of `openat2`.
    var flags: UInt64 {
        let common = UInt64(AEM_RESOLVE_NO_XDEV | AEM_RESOLVE_NO_MAGICLINKS)
        switch self {
        case .insidePartition: return common | UInt64(AEM_RESOLVE_IN_ROOT)
        case .withoutLinks: return common | UInt64(AEM_RESOLVE_BENEATH | AEM_RESOLVE_NO_SYMLINKS)
        }
    }
}
