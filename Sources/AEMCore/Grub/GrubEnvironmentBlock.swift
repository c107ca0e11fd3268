/// GRUB's environment block (`grubenv`): a 1024-byte file that starts with
/// `# GRUB Environment Block`, holds `name=value` lines (backslash escapes
/// backslash and newline) and is padded with `#`.
public enum GrubEnvironmentBlock {
    static let signature = "# GRUB Environment Block\n"
    /// GRUB writes 1024 bytes; anything far larger is not a grubenv.
    static let maximumSize = 64 << 10

    public static func parse(_ bytes: [UInt8], file: String) throws(GrubError) -> [String: String] {
        guard bytes.count <= maximumSize else {
            throw .limitExceeded(
                file: file, line: 1, what: "the environment block size \(bytes.count)", limit: maximumSize)
        }
        let text = String(decoding: bytes, as: UTF8.self)
        guard text.hasPrefix(signature) else {
            throw .syntax(
                file: file, line: 1,
                message: "not a GRUB environment block (it must start with \"# GRUB Environment Block\")")
        }
        var variables = [String: String]()
        var line = ""
        var escaped = false
        var lineNumber = 2
        for character in text.dropFirst(signature.count) {
            if escaped {
                line.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "\n" {
                try take(line, into: &variables, file: file, line: lineNumber)
                line = ""
                lineNumber += 1
            } else {
                line.append(character)
            }
        }
        try take(line, into: &variables, file: file, line: lineNumber)
        return variables
    }

    private static func take(_ line: String, into variables: inout [String: String], file: String, line number: Int)
        throws(GrubError)
    {
        // Padding and comments start with '#'.
        guard !line.isEmpty, !line.hasPrefix("#") else { return }
        guard let equals = line.firstIndex(of: "="), equals != line.startIndex else {
            throw .syntax(file: file, line: number, message: "environment block line is not name=value")
        }
        variables[String(line[..<equals])] = String(line[line.index(after: equals)...])
    }
}
