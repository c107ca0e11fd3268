import SystemPackage

/// Why a region of physical memory (`/dev/mem`) gave no log.
enum PhysicalMemoryReadError: Error, Sendable, CustomStringConvertible {
    /// Opening or reading /dev/mem failed (it needs root, and a kernel
    /// that lets it reach reserved memory).
    case system(Errno)
    /// The read returned nothing at that address.
    case nothingThere
    /// The region holds no tboot log: its UUID is missing.
    case noTbootLog

    var description: String {
        switch self {
        case let .system(errno): return errno.description
        case .nothingThere: return "nothing at that address"
        case .noTbootLog:
            return "no tboot log there (UUID missing): tboot ran without logging=memory, or this is not a tboot boot"
        }
    }
}
