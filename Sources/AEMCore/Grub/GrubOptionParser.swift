/// The options of a GRUB extended command read the way GRUB 2.06's
/// `grub_arg_parse` (grub-core/lib/arg.c) reads them: `--name=value`,
/// `--name value` (when the next word does not start with `-`), `-x value`,
/// clustered short flags, `--` ending the options; with
/// `GRUB_COMMAND_ACCEPT_DASH` an unknown option is an ordinary argument.
struct GrubOptionParser: Sendable {
    struct Option: Sendable {
        enum Value: Sendable, Equatable {
            case none
            case required
            case optional
        }

        var long: String
        var short: Unicode.Scalar?
        var value: Value
    }

    /// What a command was given: the values of each option present, by
    /// long name, in order (nil for a flag or an optional value left
    /// out), and the other arguments.
    struct Parsed: Sendable {
        var options: [String: [String?]] = [:]
        var arguments: [String] = []

        func has(_ long: String) -> Bool { options[long] != nil }

        /// The last value given for a non-repeatable option.
        func value(_ long: String) -> String? { options[long]?.last ?? nil }
    }

    let options: [Option]
    let acceptsDash: Bool

    /// The parsed arguments, or nil where GRUB reports an argument error.
    func parse(_ words: [String]) -> Parsed? {
        var parsed = Parsed()
        var index = 0
        while index < words.count {
            let word = Array(words[index].unicodeScalars)
            index += 1
            guard word.count > 1, word[0] == "-" else {
                parsed.arguments.append(words[index - 1])
                continue
            }
            if word[1] != "-" {
                guard short(word, words, &index, into: &parsed) else { return nil }
            } else if word.count == 2 {
                parsed.arguments += words[index...]
                return parsed
            } else {
                guard long(word, words, &index, into: &parsed) else { return nil }
            }
        }
        return parsed
    }

    /// `-abc` or `-x VALUE`; false on an argument error.
    private func short(
        _ word: [Unicode.Scalar], _ words: [String], _ index: inout Int, into parsed: inout Parsed
    ) -> Bool {
        let letters = word.dropFirst()
        if acceptsDash, letters.contains(where: { letter in !options.contains { $0.short == letter } }) {
            parsed.arguments.append(words[index - 1])
            return true
        }
        for (position, letter) in letters.enumerated() {
            guard let option = options.first(where: { $0.short == letter }) else { return false }
            if position < letters.count - 1 {
                if option.value == .required { return false }
                parsed.options[option.long, default: []].append(nil)
                continue
            }
            var value: String?
            if option.value != .none, index < words.count {
                let next = Array(words[index].unicodeScalars)
                if option.value == .required || next.count < 2 || next[0] != "-" {
                    value = words[index]
                    index += 1
                }
            }
            return take(option, value, into: &parsed)
        }
        return true
    }

    /// `--name`, `--name=value` or `--name value`; false on an argument error.
    private func long(_ word: [Unicode.Scalar], _ words: [String], _ index: inout Int, into parsed: inout Parsed)
        -> Bool
    {
        let body = word.dropFirst(2)
        var value: String?
        var nameScalars = body
        if let equals = body.firstIndex(of: "=") {
            nameScalars = body[..<equals]
            var rest = String.UnicodeScalarView()
            rest.append(contentsOf: body[body.index(after: equals)...])
            value = String(rest)
        }
        var nameView = String.UnicodeScalarView()
        nameView.append(contentsOf: nameScalars)
        let name = String(nameView)
        let option = options.first { $0.long == name }
        if value == nil, index < words.count, words[index].first != "-", let option, option.value != .none {
            value = words[index]
            index += 1
        }
        guard let option else {
            guard acceptsDash else { return false }
            parsed.arguments.append(words[index - 1])
            return true
        }
        return take(option, value, into: &parsed)
    }

    private func take(_ option: Option, _ value: String?, into parsed: inout Parsed) -> Bool {
        if option.value == .required, value == nil { return false }
        parsed.options[option.long, default: []].append(value)
        return true
    }
}
