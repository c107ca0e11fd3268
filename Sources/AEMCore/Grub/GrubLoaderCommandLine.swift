/// The string GRUB hands a loaded kernel or module as its command line
/// (`grub_create_loader_cmdline`): the arguments after the file name joined
/// by single spaces; an argument containing a space is wrapped in double
/// quotes, and `\`, `'` and `"` inside an argument get a backslash.
public enum GrubLoaderCommandLine {
    public static func join(_ arguments: [String]) -> String {
        var out = ""
        for (position, argument) in arguments.enumerated() {
            if position > 0 { out.append(" ") }
            let quote = argument.contains(" ")
            if quote { out.append("\"") }
            for character in argument {
                if character == "\\" || character == "'" || character == "\"" { out.append("\\") }
                out.append(character)
            }
            if quote { out.append("\"") }
        }
        return out
    }
}
