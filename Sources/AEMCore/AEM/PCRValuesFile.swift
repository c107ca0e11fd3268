import Foundation

/// Live PCR values given as a file instead of read from the TPM: JSON in
/// the tool's own shape (`{"sha256": {"17": "<hex>"}}`), the YAML
/// `tpm2_pcrread` prints, or a TPM 1.2's sysfs `pcrs` file
/// (`PCR-17: BE 6E 71 ...`), which is what AEM itself reads on TPM 1.2.
public enum PCRValuesFile {
    public static func parse(_ bytes: [UInt8]) throws(PCRValuesFileError) -> PCRValues {
        let text = String(decoding: bytes, as: UTF8.self)
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("{") {
            do {
                return try JSONDecoder().decode(PCRValues.self, from: Data(bytes))
            } catch let DecodingError.dataCorrupted(context) {
                throw PCRValuesFileError(reason: .invalidJSON(context.debugDescription))
            } catch {
                throw PCRValuesFileError(reason: .notJSONOfTheRightForm)
            }
        }
        if trimmed.hasPrefix("PCR-") { return try parseSysfsTPM12(text) }
        return try parseYAML(text)
    }

    /// The kernel's TPM 1.2 `/sys/class/tpm/tpm0/pcrs`: one line per PCR,
    /// `PCR-NN:` then the 20 SHA-1 bytes as space-separated hex pairs.
    static func parseSysfsTPM12(_ text: String) throws(PCRValuesFileError) -> PCRValues {
        var values = PCRValues()
        for (number, rawLine) in text.split(separator: "\n").enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, parts[0].hasPrefix("PCR-"), let pcr = UInt32(parts[0].dropFirst(4)), pcr < 24 else {
                throw PCRValuesFileError(line: number + 1, reason: .notASysfsLine(String(line)))
            }
            let pairs = parts[1].split(separator: " ")
            guard pairs.allSatisfy({ $0.count == 2 }), let digest = Digest(algorithm: .sha1, hex: pairs.joined()) else {
                throw PCRValuesFileError(line: number + 1, reason: .wrongLength(pcr: pcr, bank: "sha1"))
            }
            values[.sha1, pcr] = digest
        }
        guard !values.isEmpty else { throw PCRValuesFileError(reason: .noValues) }
        return values
    }

    /// `tpm2_pcrread` output: a bank name line (`  sha256:`), then
    /// `    17: 0x<HEX>` lines.
    static func parseYAML(_ text: String) throws(PCRValuesFileError) -> PCRValues {
        var values = PCRValues()
        var bank: HashAlgorithm?
        for (number, rawLine) in text.split(separator: "\n").enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line == "---" { continue }
            let parts = line.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            if parts.count < 2 || parts[1].isEmpty {
                guard let name = parts.first, let parsed = HashAlgorithm(name: name) else {
                    throw PCRValuesFileError(line: number + 1, reason: .notABankOrValueLine(String(line)))
                }
                bank = parsed
                continue
            }
            guard let bank else { throw PCRValuesFileError(line: number + 1, reason: .valueBeforeBank) }
            guard let pcr = UInt32(parts[0]), pcr < 24 else {
                throw PCRValuesFileError(line: number + 1, reason: .notAPCRIndex(String(parts[0])))
            }
            guard let digest = Digest(algorithm: bank, hex: parts[1]) else {
                throw PCRValuesFileError(line: number + 1, reason: .wrongLength(pcr: pcr, bank: bank.rawValue))
            }
            values[bank, pcr] = digest
        }
        guard !values.isEmpty else { throw PCRValuesFileError(reason: .noValues) }
        return values
    }
}
