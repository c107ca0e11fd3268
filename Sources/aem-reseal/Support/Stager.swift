import AEMCore
import AEMTPM
import ArgumentParser
import Foundation

/// The install half of `stage`: seal, swap the new set in, copy it to the
/// media, record the cycle and guide the user.
struct Stager {
    var installation: AEMInstallation
    var session: PredictionSession
    var versions: ComponentVersions
    var mediaOption: String?
    var force: Bool
    var style: Style

    var layout: SystemLayout { installation.layout }
    var prediction: Prediction { session.prediction }

    func stage(srkPasswordFile: String?, interactive: Bool, confirm: Bool, json: Bool) throws {
        let state = (try? ResealState.load(from: layout.stateFile)) ?? nil
        let installer = installation.installer

        // Is the active set itself an unverified staged set? Then the
        // previous set (sealed to the running boot) is already kept.
        let activeID = SealedSet.identifier(at: installation.sealedSetDirectory)
        let activeIsStaged = state.map { [.staged, .installing, .mismatch].contains($0.phase) && $0.setID != nil && $0.setID == activeID } ?? false
        do {
            try installer.recover(pendingIdentifier: state?.phase == .installing ? state?.setID : nil, keepReplacedSet: !activeIsStaged)
        } catch {
            throw failure("cleaning up after an interrupted run: \(error.description)")
        }

        if confirm {
            let changing = prediction.changedSealedPCRs
            let question = "Seal the AEM secrets to the predicted PCRs\(changing.isEmpty ? "" : " (PCR \(changing.map(String.init).joined(separator: ", ")) will change)") and install them now?"
            guard Prompt.confirm(question) else {
                throw failure("nothing was changed (not confirmed; use --yes to skip the question)", status: ExitStatus.needsUser)
            }
        }

        let password: SecretBytes
        do {
            password = try SRKPassword.obtain(layout: layout, file: srkPasswordFile, interactive: interactive).0
        } catch {
            var pending = state ?? ResealState(phase: .pending, label: installation.label, tpmID: installation.tpmID)
            pending.phase = .pending
            pending.message = "\(error); run `aem-reseal stage` from a terminal after the update"
            try? pending.save(to: layout.stateFile)
            throw failure(
                "\(error). Nothing was sealed; the update is pending: run `sudo aem-reseal stage` in a dom0 terminal before rebooting (`aem-reseal status` shows this).",
                status: ExitStatus.needsUser)
        }

        FaultPoints.hit("seal:begin")
        let connection: TPMConnection
        do {
            connection = try TPMConnection(tcti: session.tcti)
        } catch {
            throw failure("cannot open the TPM to seal: \(error.description)", status: ExitStatus.tpmUnavailable)
        }
        let set: SealedSet
        do {
            set = try SealedSetBuilder(
                installation: installation, sealBank: prediction.flow.sealBank, sealPCRs: session.configuration.sealPCRs,
                values: prediction.predicted
            ).build(connection: connection, srkPassword: password)
        } catch let error as SealedSetBuilder.Failure {
            throw failure(error.description, status: error.status)
        }

        // Journal the set before swapping it in: a crash can then be finished or undone.
        var record = state ?? ResealState(phase: .installing, label: installation.label, tpmID: installation.tpmID)
        record.phase = .installing
        record.setID = set.identifier
        do {
            try record.save(to: layout.stateFile)
            try installer.stage(set)
            try installer.install(keepReplacedSet: !activeIsStaged)
        } catch {
            throw failure("installing the new set: \(error); the active set is complete (old or new) — run `aem-reseal stage` again or `aem-reseal rollback`")
        }

        let media = copyToMedia(activeIsStaged: activeIsStaged, pending: &record)
        record.phase = .staged
        record.label = installation.label
        record.tpmID = installation.tpmID
        record.setFingerprint = SealedSet.fingerprint(at: installation.sealedSetDirectory)
        record.stagedInBoot = layout.bootTime().map { Int64($0.timeIntervalSince1970) }
        record.stagedAt = Date()
        record.forced = force
        record.selfCheck = prediction.selfCheck.status.rawValue
        record.flow = prediction.flow.name
        record.sealBank = prediction.flow.sealBank.rawValue
        record.sealPCRs = session.configuration.sealPCRs
        record.sealedTo = prediction.predicted.restricted(to: Set(session.configuration.sealPCRs))
        record.predicted = prediction.predicted
        record.modules = prediction.modules.map { module in
            ResealState.Module(
                path: module.image.grubPath, role: module.role.rawValue, version: versions.new(module), fileSha256: module.image.fileDigest.hex,
                measurement: Dictionary(uniqueKeysWithValues: module.predicted.map { ($0.algorithm.rawValue, $0.hex) }),
                changed: !module.sameAsCurrentBoot)
        }
        record.media = media
        record.message = nil
        do {
            try record.save(to: layout.stateFile)
        } catch {
            throw failure("the new set is installed, but recording it in \(layout.stateFile) failed: \(error)")
        }

        let guidance = StageGuidance(installation: installation, prediction: prediction, versions: versions, media: media, forced: force, style: style)
        if json {
            try JSONOutput.print(StageDocument(state: record, sealedSet: installation.sealedSetDirectory))
        } else {
            Terminal.standardOutput.write(guidance.render())
        }
    }

    /// Copies the active set to the mounted AEM media with the same swap.
    private func copyToMedia(activeIsStaged: Bool, pending record: inout ResealState) -> ResealState.Media {
        switch installation.mediaMountPoint(explicit: mediaOption) {
        case let .notMounted(reason):
            return ResealState.Media(path: nil, copied: false, detail: reason, fingerprint: nil)
        case let .mounted(mountPoint):
            let installer = installation.mediaInstaller(mountPoint: mountPoint)
            do {
                let mediaActive = SealedSet.identifier(at: installer.activeDirectory)
                let mediaIsStaged = record.setID != nil && mediaActive != nil && mediaActive == record.setID
                try installer.recover(pendingIdentifier: record.setID, keepReplacedSet: !(activeIsStaged || mediaIsStaged))
                var files = [(name: String, bytes: [UInt8])]()
                let names = try FileManager.default.contentsOfDirectory(atPath: installation.sealedSetDirectory).sorted()
                for name in names where name != SealedSet.identifierFile && !name.hasPrefix(".") {
                    files.append((name, try FileBytes.read(installation.sealedSetDirectory + "/" + name)))
                }
                try installer.stage(SealedSet(identifier: record.setID ?? "", files: files))
                // A stale copy on the media (still the original) is kept for rollback.
                try installer.install(keepReplacedSet: !activeIsStaged)
                return ResealState.Media(
                    path: mountPoint, copied: true, detail: "copied to \(installer.activeDirectory)",
                    fingerprint: SealedSet.fingerprint(at: installer.activeDirectory))
            } catch {
                return ResealState.Media(path: mountPoint, copied: false, detail: "copying to \(mountPoint) failed: \(error)", fingerprint: nil)
            }
        }
    }
}
