import SystemPackage

/// The kernel's table of mounts (`/proc/self/mountinfo`): where a device is
/// mounted, with which options, and its device number, which a folder
/// opened at the mount point must carry.
public struct MountTable: Sendable {
    /// One mounted file system.
    public struct Mount: Sendable, Equatable {
        /// The device number (`major:minor`) every file on it carries.
        public var device: DeviceID
        /// Where it is mounted, escapes (`\040`) undone.
        public var mountPoint: String
        /// The device or source named at mount time (`/dev/sda1`).
        public var source: String
        /// Whether it is mounted read-only (per mount or per file system).
        public var readOnly: Bool
    }

    public var mounts: [Mount]

    /// Parses mountinfo's lines: `id parent major:minor root point options
    /// [optional...] - type source superoptions`; malformed lines are skipped.
    public init(mountInfo text: String) {
        mounts = text.split(separator: "\n").compactMap { line -> Mount? in
            let fields = line.split(separator: " ").map(String.init)
            guard fields.count >= 10, let separator = fields.firstIndex(of: "-"), separator >= 6,
                separator + 3 < fields.count
            else { return nil }
            let numbers = fields[2].split(separator: ":").compactMap { UInt32($0) }
            guard numbers.count == 2 else { return nil }
            let readOnly =
                fields[5].split(separator: ",").contains("ro")
                || fields[separator + 3].split(separator: ",").contains("ro")
            return Mount(
                device: Self.device(major: numbers[0], minor: numbers[1]), mountPoint: Self.unescape(fields[4]),
                source: fields[separator + 2], readOnly: readOnly)
        }
    }

    /// The device number glibc's `makedev` builds from `major:minor`.
    public static func device(major: UInt32, minor: UInt32) -> DeviceID {
        let major = UInt64(major)
        let minor = UInt64(minor)
        return DeviceID(
            rawValue: CInterop.DeviceID(
                (major & 0xFFFF_F000) << 32 | (major & 0xFFF) << 8 | (minor & 0xFFFF_FF00) << 12 | (minor & 0xFF)))
    }

    /// `major:minor` of a device number, as mountinfo writes it.
    public static func majorMinor(_ device: DeviceID) -> String {
        let value = UInt64(device.rawValue)
        let major = (value >> 8) & 0xFFF | (value >> 32) & 0xFFFF_F000
        let minor = value & 0xFF | (value >> 12) & 0xFFFF_FF00
        return "\(major):\(minor)"
    }

    /// mountinfo writes space, tab, newline and backslash as octal escapes.
    static func unescape(_ field: String) -> String {
        var bytes = [UInt8]()
        let utf8 = Array(field.utf8)
        var index = 0
        while index < utf8.count {
            if utf8[index] == UInt8(ascii: "\\"), index + 3 < utf8.count,
                let value = UInt8(String(decoding: utf8[(index + 1)...(index + 3)], as: UTF8.self), radix: 8)
            {
                bytes.append(value)
                index += 4
            } else {
                bytes.append(utf8[index])
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
