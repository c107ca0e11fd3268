/// GRUB's `search` (grub-core/commands/search_wrap.c) as far as the
/// settings can answer it: a search by file-system UUID (compared
/// case-insensitively) or label (exactly) that names the boot partition
/// finds it, and `--set[=VAR]` (default `root`) gets its device name.
/// Anything else, a search by file, another UUID or label, or a machine
/// whose UUID or label the settings do not carry, depends on the disks
/// GRUB sees at boot: it is unresolved. GRUB tries the `--hint` devices
/// first; a second disk carrying the boot partition's UUID, found before
/// it, is not modelled.
struct GrubSearch: Sendable {
    enum Outcome: Equatable {
        /// The boot partition is found: `variable` (nil: none, the device
        /// is printed) is set to its device name; the search succeeds.
        case found(variable: String?)
        /// What it finds is not known here.
        case unresolved(variable: String?)
        /// GRUB refuses the arguments: nothing is set, the search fails.
        case refused
    }

    static let parser = GrubOptionParser(
        options: [
            .init(long: "file", short: "f", value: .none), .init(long: "label", short: "l", value: .none),
            .init(long: "fs-uuid", short: "u", value: .none), .init(long: "set", short: "s", value: .optional),
            .init(long: "no-floppy", short: "n", value: .none), .init(long: "hint", short: "h", value: .required),
            .init(long: "hint-ieee1275", short: nil, value: .required),
            .init(long: "hint-bios", short: nil, value: .required),
            .init(long: "hint-baremetal", short: nil, value: .required),
            .init(long: "hint-efi", short: nil, value: .required),
            .init(long: "hint-arc", short: nil, value: .required),
        ], acceptsDash: true)

    static func evaluate(_ arguments: [String], settings: GrubEvaluationSettings) -> Outcome {
        guard let parsed = parser.parse(arguments) else { return .refused }
        var variable: String? = parsed.has("set") ? (parsed.value("set") ?? "root") : nil
        let rest = parsed.arguments.drop { $0.hasBytePrefix("--hint-") }
        let key: String
        if let first = rest.first {
            key = first
        } else if let named = parsed.value("set") {
            key = named
            variable = "root"
        } else {
            return .refused
        }
        if parsed.has("label") {
            guard let label = settings.bootPartitionLabel, key.utf8.elementsEqual(label.utf8) else {
                return .unresolved(variable: variable)
            }
            return .found(variable: variable)
        }
        if parsed.has("fs-uuid") {
            guard let uuid = settings.bootPartitionUUID, Self.asciiLowercased(key) == Self.asciiLowercased(uuid) else {
                return .unresolved(variable: variable)
            }
            return .found(variable: variable)
        }
        return parsed.has("file") ? .unresolved(variable: variable) : .refused
    }

    /// `grub_strcasecmp`'s folding: ASCII letters only.
    private static func asciiLowercased(_ text: String) -> [UInt8] {
        text.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
    }
}
