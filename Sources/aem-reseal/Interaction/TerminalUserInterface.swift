import AEMCycle

/// The engines' questions asked on the controlling terminal (`Prompt`),
/// their notices written to standard error in the command's style.
struct TerminalUserInterface: CycleUserInterface {
    var style: Style

    func confirm(_ question: String) -> ConfirmAnswer { Prompt.confirm("\(question)") }

    func password(_ prompt: String) -> PasswordAnswer { Prompt.password("\(prompt)") }

    func notice(_ line: NoticeLine) {
        let label = line.label.map { style.yellow("\($0)") + ": " } ?? ""
        switch line.level {
        case .info: Terminal.standardError.write("\(line.text)\n")
        case .warning: Terminal.standardError.write(label + "\(line.text)\n")
        case .override: Terminal.standardError.write(label + style.red("\(line.text)") + "\n")
        }
    }
}
