/// Something the GRUB evaluation met and cannot model: a command it does
/// not follow, a file it cannot read, a status it cannot decide. An
/// unknown is never taken as success or as absence; it is reported, and
/// what depends on it carries it (`GrubBootEntry.unknownInfluences`).
public struct GrubUnknown: Sendable, Equatable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// A command this evaluator does not model ran: what it sets,
        /// loads or boots, and its status, are unknown (for `increment` and
        /// `decrement`, only the value of the one variable they change).
        case unmodelledCommand(String)
        /// A command whose effects are modelled (none, for the harmless
        /// ones, `GrubHarmlessCommands`) but whose status is not decided a
        /// condition or was read as `$?`: hash checks, `loadfont`, `insmod`...
        case unmodelledStatus(String)
        /// A `search` the settings cannot resolve (no boot partition
        /// UUID or label given, another one asked for, or a search by
        /// file): the variable it sets (nil: it sets none) and its status.
        case unresolvedSearch(variable: String?)
        /// A `test` operator this evaluator does not follow (`-nt`, `-ot`
        /// compare file times; `-pgt` and kin compare version-like strings).
        case unsupportedTest(String)
        /// A file GRUB would read that is there but cannot be read here:
        /// too large, not a regular file, a link loop, a permission or I/O
        /// error. GRUB's own file system code may well read it.
        case unreadableFile(path: String, error: FileAccessError)
        /// A path on another device than the boot partition, or resolved
        /// against a `$root` that names another device.
        case otherDevice(path: String)
        /// A command that replaces or extends the menu (`configfile`,
        /// `normal FILE`, `blscfg`, ...): what GRUB shows and boots after
        /// it is not followed.
        case notFollowed(String)
        /// A script or environment block that is not UTF-8 text, or holds
        /// a NUL byte (which GRUB's C strings cut at): `offset` is the
        /// first such byte.
        case invalidEncoding(file: String, offset: Int)
    }

    /// The script file and line where it was met.
    public var file: String
    public var line: Int
    public var kind: Kind

    public init(file: String, line: Int, kind: Kind) {
        self.file = file
        self.line = line
        self.kind = kind
    }

    public static func == (left: GrubUnknown, right: GrubUnknown) -> Bool {
        left.line == right.line && left.file.utf8.elementsEqual(right.file.utf8) && left.kind == right.kind
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(line)
        for byte in file.utf8 { hasher.combine(byte) }
    }

    public var description: String { "\(file):\(line): \(kindText)" }

    private var kindText: String {
        switch kind {
        case let .unmodelledCommand(name):
            return "\"\(name)\" is not modelled: what it sets, loads or decides is unknown"
        case let .unmodelledStatus(name):
            return "whether \"\(name)\" succeeds at boot is unknown, and a condition depends on it"
        case let .unresolvedSearch(variable?):
            return "which device \"search\" finds is unknown: \"\(variable)\" and its status are unknown"
        case .unresolvedSearch(nil):
            return "which device \"search\" finds is unknown: its status is unknown"
        case let .unsupportedTest(name): return "test \(name) is not followed: its result is unknown"
        case let .unreadableFile(path, error): return "\(path) cannot be read here (\(error)): its content is unknown"
        case let .otherDevice(path): return "\(path) is not on the boot partition: what GRUB reads there is unknown"
        case let .notFollowed(name): return "\"\(name)\" is not followed: the menu GRUB shows after it is unknown"
        case let .invalidEncoding(file, offset):
            return "\(file) is not UTF-8 text (or holds a NUL byte) at byte \(offset): its content is unknown"
        }
    }
}
