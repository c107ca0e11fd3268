/// `/etc/aem-reseal.conf`: the user's standing choices, in the shell-like
/// `NAME=value` form of AEM's own configuration (`#` comments, optional
/// quotes). Unknown names are ignored, so older versions read newer files.
public struct ResealConfiguration: Sendable, Equatable {
    /// `TRANSITION_SEAL=yes`: the rpm trigger may stage a transition seal
    /// (TrenchBoot: PCR 18 left out for one boot) without asking.
    public var transitionSealAllowed = false

    public init() {}

    public init(text: String) {
        for line in text.split(whereSeparator: \.isNewline) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.hasPrefix("#"), let equals = trimmed.firstIndex(of: "=") else { continue }
            let name = trimmed[..<equals].trimmingCharacters(in: .whitespaces)
            var value = trimmed[trimmed.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
                value = String(value.dropFirst().dropLast())
            }
            if name == "TRANSITION_SEAL" { transitionSealAllowed = ["yes", "true", "1"].contains(value.lowercased()) }
        }
    }

    /// Reads the file; absent means the defaults, unreadable is an error
    /// (a consent the tool cannot read is never assumed either way).
    public static func load(_ layout: SystemLayout) throws(FileAccessError) -> ResealConfiguration {
        guard let bytes = try FileBytes.readIfPresent(layout.resealConfiguration, limit: 64 << 10) else {
            return ResealConfiguration()
        }
        return ResealConfiguration(text: String(decoding: bytes, as: UTF8.self))
    }
}
