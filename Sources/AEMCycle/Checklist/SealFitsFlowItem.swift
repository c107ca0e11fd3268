import AEMCore
import AEMTPM
import Foundation

/// SEAL names only PCRs the flow extends.
struct SealFitsFlowItem: ChecklistItem {
    let id = "seal-pcrs"
    let title = "SEAL fits the boot flow"

    func check(_ context: ChecklistContext) -> ChecklistResult {
        guard case let .success(session) = context.session else {
            return .fail("no prediction to compare with", fix: "see the self-check item")
        }
        let flow = session.prediction.flow
        let unused = flow.neverExtendedPCRs(in: session.configuration.sealPCRs)
        guard unused.isEmpty else {
            return .fail(
                "SEAL includes PCR \(unused.map(String.init).joined(separator: ", ")), which \(flow.name) never "
                    + "extends (it stays zero; AEM refuses to seal to it)",
                fix:
                    "remove \(unused.map { "--pcr \($0)" }.joined(separator: " ")) from SEAL in "
                    + "\(context.layout.aemConfiguration)"
            )
        }
        if let transition = session.prediction.transitionSeal, !transition.coversMLE {
            return .fail(
                "PCR \(transition.leftOut.map { String($0.pcr) }.joined(separator: ", ")) cannot be predicted and "
                    + "holds Xen's measurement (legacy mapping): no seal ahead can cover Xen",
                fix: "reboot without staging and let AEM reseal as usual")
        }
        if let transition = session.prediction.transitionSeal {
            return .warning(
                "PCRs \(session.configuration.sealPCRs.map(String.init).joined(separator: ", ")) with \(flow.name): "
                    + "PCR \(transition.leftOut.map { String($0.pcr) }.joined(separator: ", ")) cannot be predicted, "
                    + "so the next boot gets a transition seal to PCR "
                    + "\(transition.sealedPCRs.map(String.init).joined(separator: ", "))",
                fix:
                    "nothing to fix: at the next boot AEM reseals to the full SEAL list; sudo aem-reseal verify checks it"
            )
        }
        return .pass(
            "PCRs \(session.configuration.sealPCRs.map(String.init).joined(separator: ", ")) with \(flow.name)")
    }
}
