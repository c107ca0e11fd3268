/// `/etc/anti-evil-maid.conf`: a shell fragment whose `SEAL` variable
/// holds the `tpm_sealdata`-style PCR options AEM seals with, e.g.
/// `SEAL="--pcr 13 --pcr 17 --pcr 18 --pcr 19"`.
public struct AEMConfiguration: Sendable, Equatable {
    public var sealPCRs: [UInt32]
    /// The `SEAL` text as written.
    public var sealText: String

    /// Stock AEM's default (tboot flavour).
    public static let stockDefault = AEMConfiguration(
        sealPCRs: [13, 17, 18, 19], sealText: "--pcr 13 --pcr 17 --pcr 18 --pcr 19")

    public init(sealPCRs: [UInt32], sealText: String) {
        self.sealPCRs = sealPCRs
        self.sealText = sealText
    }

    /// Reads the last `SEAL=` assignment (the one bash would keep).
    public static func parse(_ text: String) throws(AEMConfigurationError) -> AEMConfiguration {
        var found: (line: Int, value: String)?
        for (number, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = rawLine.drop { $0 == " " || $0 == "\t" }
            if line.hasPrefix("export ") { line = line.dropFirst(7).drop { $0 == " " } }
            guard line.hasPrefix("SEAL=") else { continue }
            found = (number + 1, try unquote(line.dropFirst(5), line: number + 1))
        }
        guard let found else { throw AEMConfigurationError(line: 0, reason: .noSealLine) }
        let words = found.value.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        var pcrs = [UInt32]()
        var index = 0
        while index < words.count {
            let word = words[index]
            var value: String?
            if word == "--pcr" || word == "-p" {
                index += 1
                value = index < words.count ? words[index] : nil
            } else if word.hasPrefix("--pcr=") {
                value = String(word.dropFirst(6))
            } else {
                throw AEMConfigurationError(line: found.line, reason: .unexpectedWord(word))
            }
            guard let value, let pcr = UInt32(value), pcr < 24 else {
                throw AEMConfigurationError(line: found.line, reason: .notAPCRIndex(value ?? ""))
            }
            if !pcrs.contains(pcr) { pcrs.append(pcr) }
            index += 1
        }
        guard !pcrs.isEmpty else { throw AEMConfigurationError(line: found.line, reason: .noPCR) }
        return AEMConfiguration(sealPCRs: pcrs.sorted(), sealText: found.value)
    }

    /// Removes shell quoting from an assignment's value and a trailing comment.
    private static func unquote(_ value: Substring, line: Int) throws(AEMConfigurationError) -> String {
        var out = ""
        var quote: Character?
        var iterator = value.makeIterator()
        while let character = iterator.next() {
            if let open = quote {
                if character == open {
                    quote = nil
                } else if character == "\\" && open == "\"", let next = iterator.next() {
                    out.append(next)
                } else {
                    out.append(character)
                }
            } else if character == "\"" || character == "'" {
                quote = character
            } else if character == "#" && (out.isEmpty || out.last == " ") {
                break
            } else if character == " " || character == "\t" {
                break
            } else {
                out.append(character)
            }
        }
        guard quote == nil else { throw AEMConfigurationError(line: line, reason: .unterminatedQuote) }
        return out
    }

    /// `sha256:13,17,18`: the selection stock AEM writes to `key.pcrs`.
    public func selection(bank: HashAlgorithm) -> String {
        "\(bank.rawValue):" + sealPCRs.map(String.init).joined(separator: ",")
    }
}
