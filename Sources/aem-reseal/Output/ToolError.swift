/// The one error a command throws to end with a message and an exit
/// status. `AEMReseal.main` is the only place that prints it, as
/// `aem-reseal: error: <message>` with the control characters of untrusted
/// input escaped (`VisibleText`).
struct ToolError: Error, CustomStringConvertible {
    var status: ExitStatus
    var message: String

    init(_ message: String, status: ExitStatus = .badInput) {
        self.status = status
        self.message = message
    }

    var description: String { message }
}
