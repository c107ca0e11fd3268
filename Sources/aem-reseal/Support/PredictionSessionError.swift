/// Why a session could not be made, with the exit status it maps to.
struct PredictionSessionError: Error, CustomStringConvertible {
    var description: String
    var status: ExitStatus = .badInput
}
