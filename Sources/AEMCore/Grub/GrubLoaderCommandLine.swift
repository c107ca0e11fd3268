/// The string GRUB hands a loaded kernel or module as its command line
/// (GRUB 2.06's `grub_create_loader_cmdline`): the arguments after the file
/// name joined by single spaces; an argument containing a space is wrapped
/// in double quotes, and `\`, `'` and `"` inside an argument get a
/// backslash, except that a `\xHH` escape (two hex digits) is kept as it is.
public enum GrubLoaderCommandLine {
    public static func join(_ arguments: [String]) -> String {
        var out = String.UnicodeScalarView()
        for (position, argument) in arguments.enumerated() {
            if position > 0 { out.append(" ") }
            let quote = argument.unicodeScalars.contains(" ")
            if quote { out.append("\"") }
            let scalars = Array(argument.unicodeScalars)
            var index = 0
            while index < scalars.count {
                let scalar = scalars[index]
                if scalar == "\\", index + 3 < scalars.count, scalars[index + 1] == "x",
                    isHexDigit(scalars[index + 2]), isHexDigit(scalars[index + 3])
                {
                    out.append(contentsOf: scalars[index...(index + 3)])
                    index += 4
                    continue
                }
                if scalar == "\\" || scalar == "'" || scalar == "\"" { out.append("\\") }
                out.append(scalar)
                index += 1
            }
            if quote { out.append("\"") }
        }
        return String(out)
    }

    private static func isHexDigit(_ scalar: Unicode.Scalar) -> Bool {
        ("0"..."9").contains(scalar) || ("a"..."f").contains(scalar) || ("A"..."F").contains(scalar)
    }
}
