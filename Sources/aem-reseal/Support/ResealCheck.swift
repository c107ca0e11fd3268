import AEMCore
import Foundation

/// Whether stock AEM resealed the active set to the full SEAL list after a
/// transition seal: its `key.pcrs` names the PCRs the transition left out.
struct ResealCheck {
    var active: String
    var leftOut: [UInt32]
    var selection: String
    var done: Bool

    init(active: String, leftOut: [UInt32]) {
        self.active = active
        self.leftOut = leftOut
        let text =
            (try? FileBytes.read(active + "/" + SealedSet.selectionFile, limit: 256)).map {
                String(decoding: $0, as: UTF8.self)
            } ?? ""
        selection = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let pcrs = Set(
            selection.split(separator: ":").last.map { $0.split(separator: ",").compactMap { UInt32($0) } } ?? [])
        done = leftOut.allSatisfy(pcrs.contains)
    }
}
