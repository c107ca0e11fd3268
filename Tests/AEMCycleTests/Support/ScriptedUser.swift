import AEMCycle

/// A user who answers every question the same way, never has a terminal
/// for passwords, and whose notices are kept for the test to read.
final class ScriptedUser: CycleUserInterface {
    let answer: ConfirmAnswer
    private(set) var questions: [String] = []
    private(set) var notices: [NoticeLine] = []

    init(answering answer: Bool) { self.answer = answer ? .yes : .no }

    init(answering answer: ConfirmAnswer) { self.answer = answer }

    func confirm(_ question: String) -> ConfirmAnswer {
        questions.append(question)
        return answer
    }

    func password(_ prompt: String) -> PasswordAnswer { .noTerminal }

    func notice(_ line: NoticeLine) { notices.append(line) }
}
