import Foundation

/// Reads the `pcrs:` section of `tpm2_eventlog`'s YAML output:
/// ```
/// pcrs:
///   sha1:
///     0  : 0x3dca...
/// ```
enum ExpectedPCRsYAML {
    static func parse(_ text: String) -> [String: [UInt32: String]] {
        var result = [String: [UInt32: String]]()
        var inPCRs = false
        var bank: String?
        for line in text.split(separator: "\n") {
            if line.hasPrefix("pcrs:") {
                inPCRs = true
                continue
            }
            guard inPCRs else { continue }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("  "), !line.hasPrefix("    "), trimmed.hasSuffix(":") {
                bank = String(trimmed.dropLast())
            } else if let bank, line.hasPrefix("    ") {
                let parts = trimmed.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard parts.count == 2, let pcr = UInt32(parts[0]) else { continue }
                result[bank, default: [:]][pcr] = parts[1].lowercased().replacingOccurrences(of: "0x", with: "")
            } else if !line.hasPrefix(" ") {
                inPCRs = false
            }
        }
        return result
    }
}
