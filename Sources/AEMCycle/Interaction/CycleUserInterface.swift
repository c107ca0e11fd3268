import AEMCore

/// What an engine may ask of the person running it, and tell them while it
/// works. The CLI answers on the controlling terminal; an engine never
/// touches a terminal itself, so it runs the same under a test.
public protocol CycleUserInterface {
    /// A yes/no question.
    func confirm(_ question: String) -> ConfirmAnswer
    /// A password, read without echo.
    func password(_ prompt: String) -> PasswordAnswer
    /// A line for the user while the engine works (a warning, a wait).
    func notice(_ line: NoticeLine)
}

/// What a password prompt gave.
/// The answer to a yes/no question.
public enum ConfirmAnswer: Sendable, Equatable {
    case yes
    /// Anything but yes, typed at the terminal.
    case no
    /// No controlling terminal: nobody was asked.
    case noTerminal
}

public enum PasswordAnswer {
    case entered(SecretBytes)
    /// Enter on an empty line, or Ctrl-D.
    case empty
    /// Ctrl-C.
    case interrupted
    /// No controlling terminal.
    case noTerminal
}

/// A line the engine has for the user, with how loudly to say it.
public struct NoticeLine: Sendable, Equatable {
    public enum Level: Sendable, Equatable {
        /// Progress: "waiting for another run".
        case info
        /// Worth reading before going on (an unconfirmed self-check, a transition seal).
        case warning
        /// The user overrode a safeguard (`--force`, `--vouch-for`): said in red.
        case override
    }

    public var level: Level
    /// A short label printed before the text (`warning`, `transition seal`), if any.
    public var label: String?
    public var text: String

    public init(_ level: Level, label: String? = nil, _ text: String) {
        self.level = level
        self.label = label
        self.text = text
    }
}
