import Foundation

/// `packaging/dom0-compatibility`: what a Qubes dom0 (Fedora 37 and 41)
/// provides, and the highest symbol version of each namespace the binary
/// may need. Judges the built package's requirements and its binary's ELF
/// version needs.
public struct Dom0Compatibility: Sendable {
    /// Capabilities a dom0 has (`libc.so.6()(64bit)`, `/bin/sh`, ...).
    public var provided: Set<String>
    /// Namespace (`GLIBC`) → highest version (`[2, 36]`).
    public var highestVersions: [String: [Int]]

    public init(provided: Set<String>, highestVersions: [String: [Int]]) {
        self.provided = provided
        self.highestVersions = highestVersions
    }

    /// Reads the list kept in the repository.
    public static func load(_ path: String = Fixtures.project("packaging/dom0-compatibility")) throws -> Self {
        var provided = Set<String>()
        var versions = [String: [Int]]()
        for line in try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            guard let kind = fields.first, !kind.hasPrefix("#") else { continue }
            switch kind {
            case "version" where fields.count >= 3:
                versions[fields[1]] = fields[2].split(separator: ".").compactMap { Int($0) }
            case "provide" where fields.count >= 4:
                provided.insert(fields[1])
            default:
                throw Command.Failure(description: "dom0-compatibility: cannot read \"\(line)\"")
            }
        }
        return Self(provided: provided, highestVersions: versions)
    }

    /// Why `requirement` (a line of `rpm -qpR`) is not met by every
    /// supported dom0; nil when it is.
    public func violation(ofRequirement requirement: String) -> String? {
        // `rpmlib(FileDigests) <= 4.6.0-1`: the capability is the first word.
        let capability = String(requirement.split(separator: " ").first ?? "")
        if provided.contains(capability) { return nil }
        // `libc.so.6(GLIBC_2.34)(64bit)`: the library, then its symbol version.
        guard let open = capability.firstIndex(of: "("), capability.hasSuffix(")(64bit)") else {
            return "\(requirement): no supported dom0 is known to provide it"
        }
        let library = String(capability[..<open])
        let version = String(
            capability[capability.index(after: open)..<capability.index(capability.endIndex, offsetBy: -8)])
        return violation(ofLibrary: library, version: version.isEmpty ? nil : version)
            .map { "\(requirement): \($0)" }
    }

    /// Why a needed library (and symbol version) is not met; nil when it is.
    public func violation(ofLibrary library: String, version: String?) -> String? {
        guard provided.contains("\(library)()(64bit)") else {
            return "no supported dom0 is known to provide \(library)"
        }
        guard let version else { return nil }
        guard let separator = version.lastIndex(of: "_") else { return "unknown symbol version \(version)" }
        let namespace = String(version[..<separator])
        let numbers = version[version.index(after: separator)...].split(separator: ".").map { Int($0) }
        guard let highest = highestVersions[namespace], !numbers.contains(nil) else {
            return "symbol version \(version) of a namespace the list does not bound"
        }
        let needed = numbers.compactMap { $0 }
        guard !Self.isNewer(needed, than: highest) else {
            return
                "needs \(version), newer than \(namespace)_\(highest.map(String.init).joined(separator: ".")) of Fedora 37"
        }
        return nil
    }

    static func isNewer(_ version: [Int], than other: [Int]) -> Bool {
        for index in 0..<max(version.count, other.count) {
            let (left, right) = (index < version.count ? version[index] : 0, index < other.count ? other[index] : 0)
            if left != right { return left > right }
        }
        return false
    }

    /// The version needs of an ELF file, as `readelf -V` lists them:
    /// library → symbol versions.
    public static func versionNeeds(ofELF path: String) throws -> [String: [String]] {
        let text = try Command.check("readelf", ["-V", "--wide", path])
        var needs = [String: [String]]()
        var library: String?
        var inNeeds = false
        for line in text.split(separator: "\n") {
            if line.hasPrefix("Version needs section") {
                inNeeds = true
                continue
            }
            if line.hasPrefix("Version") {
                inNeeds = false
                continue
            }
            guard inNeeds else { continue }
            if let range = line.range(of: "File: ") {
                library = String(line[range.upperBound...].split(separator: " ").first ?? "")
                needs[library!, default: []] += []
            } else if let range = line.range(of: "Name: "), let library {
                needs[library, default: []].append(String(line[range.upperBound...].split(separator: " ").first ?? ""))
            }
        }
        return needs
    }

    /// The libraries an ELF file names as NEEDED.
    public static func neededLibraries(ofELF path: String) throws -> [String] {
        try Command.check("readelf", ["-d", "--wide", path]).split(separator: "\n").compactMap { line in
            guard line.contains("(NEEDED)"), let open = line.firstIndex(of: "["), let close = line.lastIndex(of: "]")
            else { return nil }
            return String(line[line.index(after: open)..<close])
        }
    }
}
