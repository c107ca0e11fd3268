import Foundation

/// A path on the boot partition resolved as GRUB resolves it: symbolic
/// links are followed inside the partition, an absolute target starts again
/// at the partition's root, and `..` never climbs above it. /boot is
/// attacker-controlled: a link to `/etc/shadow` names the partition's own
/// (missing) `/etc/shadow`, never the host's, and link chains are bounded.
enum BootPartitionPath {
    /// How many links one lookup may follow (Linux's own limit is 40).
    static let maximumLinks = 32

    /// The host path for `components` (already split, no device prefix)
    /// under `root`, with every link inside it resolved; nil when the links
    /// loop or chain beyond the limit.
    static func resolve(_ components: [String], under root: String) -> String? {
        var resolved = [String]()
        var pending = ArraySlice(components)
        var links = 0
        while let component = pending.popFirst() {
            switch component {
            case "", ".":
                continue
            case "..":
                _ = resolved.popLast()
                continue
            default:
                break
            }
            let candidate = hostPath(resolved + [component], under: root)
            guard let target = linkTarget(candidate) else {
                resolved.append(component)
                continue
            }
            links += 1
            guard links <= maximumLinks else { return nil }
            if target.hasPrefix("/") { resolved = [] }
            pending = ArraySlice(target.split(separator: "/").map(String.init)) + pending
        }
        return hostPath(resolved, under: root)
    }

    private static func hostPath(_ components: [String], under root: String) -> String {
        components.isEmpty ? root : (root as NSString).appendingPathComponent(components.joined(separator: "/"))
    }

    /// The target of a symbolic link, nil when `path` is not one.
    private static func linkTarget(_ path: String) -> String? {
        var info = stat()
        guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK else { return nil }
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count >= 0 else { return nil }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
