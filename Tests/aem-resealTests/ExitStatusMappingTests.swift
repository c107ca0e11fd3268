import AEMCore
import AEMCycle
import AEMTestSupport
import Foundation
import Testing

@testable import aem_reseal

/// The one mapping from failures to exit statuses (`ExitStatus(for:)`),
/// run for every kind of failure and every refusal, against the table the
/// README documents (the interface scripts rely on).
struct ExitStatusMappingTests {
    /// The README's table: status by the first words of its meaning.
    static func documented(_ meaning: String) throws -> Int32 {
        let readme = try String(contentsOfFile: Fixtures.project("README.md"), encoding: .utf8)
        for line in readme.split(separator: "\n") where line.hasPrefix("| ") {
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            if cells.count >= 2, let status = Int32(cells[0]), cells[1].hasPrefix(meaning) { return status }
        }
        throw Command.Failure(description: "the README has no exit status for \"\(meaning)\"")
    }

    /// TrenchBoot's transition seal, as the flow gives it (PCR 18 left out).
    static let transition = TransitionSeal(flow: TrenchBootIntelFlow(), sealPCRs: [13, 17, 18])!

    /// One failure of each kind, with the meaning of the row it must end in.
    static let rows: [(CycleError, String)] = [
        (.badInput("x"), "bad input"),
        (.checkFailed("x"), "a check failed"),
        (.refused(.selfCheck(.mismatch), aemConfiguration: "/etc/anti-evil-maid.conf"), "a check failed"),
        (.refused(.selfCheck(.unavailable), aemConfiguration: "/etc/anti-evil-maid.conf"), "bad input"),
        (.refused(.transitionMissesMLE(transition, mlePCRs: [18]), aemConfiguration: "/c"), "a check failed"),
        (.refused(.noPredictedValue(pcr: 19, bank: .sha256), aemConfiguration: "/c"), "bad input"),
        (
            .refused(
                .unacceptableValue(
                    pcr: 19, value: Digest(algorithm: .sha256, bytes: [UInt8](repeating: 0, count: 32)),
                    neverExtended: true),
                aemConfiguration: "/c"), "bad input"
        ),
        (.tpm("x"), "TPM failure"),
        (.logDoesNotFitTPM("x"), "the current boot's DRTM log does not fit"),
        (.needsUser("x"), "an answer or password was needed"),
        (.declined("x"), "you answered no"),
        (.notOnMedia("x"), "sealed on dom0, but the AEM media"),
        (.writeFailed("x"), "a file could not be written"),
        (.busy("x"), "another aem-reseal run holds the lock"),
    ]

    @Test func everyFailureEndsInItsDocumentedStatus() throws {
        for (error, meaning) in Self.rows {
            #expect(ExitStatus(for: error).rawValue == (try Self.documented(meaning)), "\(error)")
        }
    }

    /// Every row of the table but success and usage (ArgumentParser's) is
    /// the status of some failure: no row is dead.
    @Test func everyRowIsReached() {
        let reached = Set(Self.rows.map { ExitStatus(for: $0.0) })
        #expect(Set(ExitStatus.allCases).subtracting(reached) == [.success, .usage])
    }

    /// Rewording keeps the kind, so added context never changes a status.
    @Test func rewordingKeepsTheStatus() {
        for (error, _) in Self.rows {
            #expect(ExitStatus(for: error.reworded("more context")) == ExitStatus(for: error), "\(error)")
        }
    }

    /// The TPM deadline exits from a signal handler, where no mapping can
    /// run: its status must be the TPM failure row.
    @Test func theTPMDeadlineExitsWithTheTPMFailureStatus() throws {
        #expect(TPMDeadline.exitStatus == (try Self.documented("TPM failure")))
    }
}
