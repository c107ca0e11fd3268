import AEMCore
import AEMTPM
import Foundation

/// The checklist, in the order a user would fix things.
enum Checklist {
    static let items: [any ChecklistItem] = [
        TPMReadyItem(), AEMConfiguredItem(), DefaultEntryItem(), NewestXenItem(), SealFitsFlowItem(), BootRecordItem(),
        SelfCheckItem(), ProvenanceItem(), StagedSealItem(), PreviousSealItem(), MediaItem(), SealServiceItem(),
    ]
}

/// The TPM answers and AEM's storage root key exists.
struct TPMReadyItem: ChecklistItem {
    let id = "tpm"
    let title = "TPM reachable and AEM's SRK present"

    func check(_ context: ChecklistContext) -> ChecklistResult {
        TPMDeadline.guarding { probe(context) }
    }

    private func probe(_ context: ChecklistContext) -> ChecklistResult {
        if context.tpm.noTpm || context.tpm.pcrsFile != nil {
            return .warning(
                "not checked (--no-tpm or --pcrs-file)", fix: "run the checklist without them on the real system")
        }
        if context.tpm.version(context.layout) == .tpm12 {
            do {
                guard try TPM12Connection().hasSRK() else {
                    return .fail(
                        "tcsd knows no SRK: the TPM is not owned",
                        fix: "set AEM up on this TPM (anti-evil-maid-tpm-setup)")
                }
                return .pass("TPM 1.2 through tcsd, SRK registered")
            } catch {
                return .fail("cannot reach the TPM 1.2: \(error.description)", fix: "start tcsd (systemctl start tcsd)")
            }
        }
        let tcti = context.tpm.tcti ?? TPMConnection.defaultTCTI
        do {
            let connection = try TPMConnection(tcti: tcti)
            guard connection.hasPersistentKey() else {
                return .fail(
                    "the TPM has no key at 0x81000001", fix: "set AEM up on this TPM (anti-evil-maid-tpm-setup)")
            }
            return .pass("TPM at \(tcti), SRK at 0x81000001")
        } catch {
            return .fail(
                "cannot reach the TPM: \(error.description)",
                fix: "check that \(tcti) exists and that no other program holds it")
        }
    }
}

/// anti-evil-maid.conf, the label's folder and at least one secret.
struct AEMConfiguredItem: ChecklistItem {
    let id = "aem-configuration"
    let title = "AEM configured (configuration, label, secrets)"

    func check(_ context: ChecklistContext) -> ChecklistResult {
        do {
            guard try AEMConfigurationFile.load(context.layout) != nil else {
                return .fail(
                    "\(context.layout.aemConfiguration) is missing", fix: "install the anti-evil-maid package")
            }
        } catch {
            return .fail(
                error.description,
                fix: "make \(context.layout.aemConfiguration) a readable file with SEAL=\"--pcr 13 --pcr 17 --pcr 18\" "
                    + "(TPM 2.0)")
        }
        switch context.installation {
        case let .failure(error):
            return .fail(error.description, fix: "set AEM up: anti-evil-maid-install and anti-evil-maid-tpm-setup")
        case let .success(installation):
            let secrets = installation.presentSecrets()
            guard !secrets.isEmpty else {
                return .fail(
                    "no secret in \(installation.plaintextDirectory)",
                    fix:
                        "create \(installation.plaintextDirectory)/secret.txt (or .otp, .key) as "
                        + "the AEM README describes"
                )
            }
            return .pass("label \(installation.label), secrets: \(secrets.map(\.rawValue).joined(separator: ", "))")
        }
    }
}

/// GRUB boots an AEM entry by default, and every file it loads is there.
struct DefaultEntryItem: ChecklistItem {
    let id = "grub-entry"
    let title = "GRUB's default entry is the AEM entry, with every module present"

    func check(_ context: ChecklistContext) -> ChecklistResult {
        switch context.bootEntry {
        case let .failure(error):
            return .fail(
                error.description,
                fix: "make the AEM entry the default (grub2-set-default \"<AEM entry>\") or fix grub.cfg")
        case let .success((grub, entry)):
            let missing = entry.modules.map(\.path).filter { grub.partition.type(of: $0)?.type != .regular }
            guard missing.isEmpty else {
                return .fail(
                    "the entry loads files that do not exist: \(missing.joined(separator: ", "))",
                    fix: "regenerate grub.cfg: grub2-mkconfig -o /boot/grub2/grub.cfg")
            }
            return .pass("\"\(entry.titlePath)\" loads \(entry.modules.map(\.path).joined(separator: ", "))")
        }
    }
}

/// The entry loads the newest Xen on the boot partition.
struct NewestXenItem: ChecklistItem {
    let id = "newest-xen"
    let title = "The entry loads the newest installed Xen"

    func check(_ context: ChecklistContext) -> ChecklistResult {
        guard case let .success((_, entry)) = context.bootEntry, let xen = entry.modules.first else {
            return .fail("no AEM entry to look at", fix: "see the grub-entry item")
        }
        let names = ((try? BootPartition(path: context.layout.bootDirectory).directory.entries()) ?? []).filter {
            $0.type == .regular
        }.map(\.name)
        let versions = names.compactMap { name -> String? in
            guard name.hasPrefix("xen-"), !name.hasPrefix("xen-syms"), name.hasSuffix(".gz") else { return nil }
            return String(name.dropFirst(4).dropLast(3))
        }
        guard let newest = versions.max(by: VersionOrder.less) else {
            return .fail("no xen-*.gz on \(context.layout.bootDirectory)", fix: "reinstall the xen-hypervisor package")
        }
        let loaded = ComponentVersions.version(fromPath: xen.path) ?? xen.path
        guard loaded == newest else {
            return .fail(
                "the entry loads Xen \(loaded) but \(newest) is installed",
                fix: "regenerate grub.cfg: grub2-mkconfig -o /boot/grub2/grub.cfg, then run aem-reseal stage again")
        }
        return .pass("Xen \(newest)")
    }
}

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
                fix: "nothing to fix: at the next boot AEM reseals to the full SEAL list; aem-reseal verify checks it")
        }
        return .pass(
            "PCRs \(session.configuration.sealPCRs.map(String.init).joined(separator: ", ")) with \(flow.name)")
    }
}

/// The running boot is recorded: without it an update that replaces a
/// booted file can be sealed ahead only while that file stays on /boot.
struct BootRecordItem: ChecklistItem {
    let id = "boot-record"
    let title = "This boot is recorded (aem-reseal record)"

    func check(_ context: ChecklistContext) -> ChecklistResult {
        guard let record = BootRecordAdvice(layout: context.layout).record else {
            return .warning(BootRecordAdvice.missing, fix: BootRecordAdvice.fix)
        }
        return .pass("recorded at \(record.recordedAt): \(record.modules.count) module(s) from \(record.logSource)")
    }
}

/// The prediction proves its model on this boot.
struct SelfCheckItem: ChecklistItem {
    let id = "self-check"
    let title = "The prediction's self-check passes"

    func check(_ context: ChecklistContext) -> ChecklistResult {
        switch context.session {
        case let .failure(error):
            return .fail(error.description, fix: "fix the input named, then run aem-reseal predict")
        case let .success(session):
            let check = session.prediction.selfCheck
            switch check.status {
            case .ok: return .pass("ok: \(check.verifiedModules.count) module(s) prove the model on this boot")
            case .unconfirmed:
                return .warning(
                    "unconfirmed: every module changed, none could prove the model",
                    fix: "nothing to fix; verify after the reboot")
            case .unavailable:
                return .fail("no live PCRs to compare with", fix: "run the checklist with the TPM (no --no-tpm)")
            case .mismatch:
                return .fail(
                    "mismatch: \(check.problems.first?.text ?? "")",
                    fix: "run aem-reseal predict and fix what it reports")
            }
        }
    }
}

/// Nothing an evil maid could have put on /boot is in the next boot's
/// chain: each file is this boot's own or vouched for.
struct ProvenanceItem: ChecklistItem {
    let id = "provenance"
    let title = "Every file of the next boot is this boot's own or vouched for"

    func check(_ context: ChecklistContext) -> ChecklistResult {
        guard case let .success(session) = context.session else {
            return .fail("no prediction to look at", fix: "see the self-check item")
        }
        let unvouched = session.provenance.unvouched
        guard unvouched.isEmpty else {
            return .fail(
                unvouched.map(ProvenanceText.refusal).joined(separator: "; "),
                fix:
                    "reinstall the package the file should come from, or let dracut or grub2-mkconfig write it "
                    + "again; if you put it there yourself, run sudo aem-reseal stage --vouch-for "
                    + unvouched.map(\.file.grubPath).joined(separator: " --vouch-for "))
        }
        let vouched = session.provenance.all.filter {
            if case .vouched = $0.provenance { return true }
            return false
        }
        return .pass(
            vouched.isEmpty
                ? "every file is this boot's own"
                : vouched.map { "\($0.file.grubPath): \(ProvenanceText.summary($0.provenance))" }.joined(
                    separator: "; "))
    }
}

/// A staged seal exists and still matches what is on disk now.
struct StagedSealItem: ChecklistItem {
    let id = "staged-seal"
    let title = "A staged seal matches a fresh prediction"

    func check(_ context: ChecklistContext) -> ChecklistResult {
        guard case let .success(session) = context.session, case let .success(installation) = context.installation
        else {
            return .fail("no prediction or AEM installation to compare with", fix: "see the items above")
        }
        let prediction = session.prediction
        guard let staged = context.stagedState else {
            if prediction.changedSealedPCRs.isEmpty {
                return .pass(
                    "nothing staged, and the next boot's sealed PCRs equal this boot's: the current seal keeps working")
            }
            return .fail(
                "the next boot changes sealed PCR "
                    + "\(prediction.changedSealedPCRs.map(String.init).joined(separator: ", ")) but no seal is staged",
                fix: "run sudo aem-reseal stage")
        }
        let active: StoredSealedSet?
        do {
            active = try installation.installer().readActive()
        } catch {
            return .fail("the active set cannot be read: \(error)", fix: "run sudo aem-reseal stage again")
        }
        guard let active, active.fingerprint == staged.setFingerprint else {
            return .fail(
                "the active set in \(installation.sealedSetDirectory) is not the one staged",
                fix: "run sudo aem-reseal stage again")
        }
        let bank = prediction.flow.sealBank
        let sealed = prediction.transitionSeal?.sealedPCRs ?? session.configuration.sealPCRs
        let fresh = prediction.predicted.restricted(to: Set(sealed))
        let differing = sealed.filter { fresh[bank, $0] != staged.sealedTo?[bank, $0] }
        guard differing.isEmpty else {
            return .fail(
                "the files on disk changed since staging (another update or grub2-mkconfig?): PCR "
                    + "\(differing.map(String.init).joined(separator: ", ")) no longer matches the seal",
                fix: "run sudo aem-reseal stage again")
        }
        // The sealed files themselves must carry the fresh prediction.
        if let problem = SealedSetPolicy.mismatch(in: active, pcrs: sealed, bank: bank, values: prediction.predicted) {
            return .fail(problem, fix: "run sudo aem-reseal stage again")
        }
        return .pass(
            "staged \(staged.stagedAt.map { ISO8601DateFormatter().string(from: $0) } ?? ""), sealed to the PCRs the "
                + "next boot will produce\(staged.forced ? " (FORCED)" : "")"
        )
    }
}

/// The set that unseals on the current chain is kept for rollback.
struct PreviousSealItem: ChecklistItem {
    let id = "previous-seal"
    let title = "The previous seal is kept for rollback"

    func check(_ context: ChecklistContext) -> ChecklistResult {
        guard case let .success(installation) = context.installation else {
            return .fail("AEM is not set up", fix: "see the aem-configuration item")
        }
        guard context.stagedState != nil else { return .pass("nothing staged: the active seal is the current one") }
        let previous = installation.previousSetDirectory
        let previousSet: StoredSealedSet?
        do {
            previousSet = try installation.installer().readPrevious()
        } catch {
            return .fail(
                "\(previous) cannot be read: \(error)",
                fix: "reseal with stock AEM after this boot (anti-evil-maid-seal), then run aem-reseal stage")
        }
        guard let previousSet, previousSet.isComplete else {
            return .fail(
                "\(previous) is missing or incomplete",
                fix: "reseal with stock AEM after this boot (anti-evil-maid-seal), then run aem-reseal stage")
        }
        // Complete is not enough: rollback must bring back a set that opens
        // on this boot, checked against the live PCRs.
        guard case let .success(session) = context.session, let live = session.livePCRs else {
            return .fail(
                "cannot read the live PCRs to check that \(previous) opens on this boot",
                fix: "run the checklist with the TPM available")
        }
        if let problem = SealedSetPolicy.mismatch(in: previousSet, opening: live) {
            return .fail(
                "\(previous) does not open on this boot (\(problem)): rollback would not bring back a working seal",
                fix: "reseal with stock AEM after this boot (anti-evil-maid-seal), then run sudo aem-reseal stage again"
            )
        }
        return .pass("\(previous), which opens on this boot's PCRs")
    }
}

/// The AEM media holds the active set.
struct MediaItem: ChecklistItem {
    let id = "media"
    let title = "The AEM media holds the same sealed set"

    func check(_ context: ChecklistContext) -> ChecklistResult {
        guard case let .success(installation) = context.installation else {
            return .fail("AEM is not set up", fix: "see the aem-configuration item")
        }
        switch installation.media(explicit: context.system.media) {
        case let .notMounted(reason):
            return .fail(
                "\(reason); the boot reads the sealed set from the media",
                fix:
                    "plug in and mount the AEM device, then run sudo aem-reseal stage (or just this checklist if "
                    + "it is already up to date)"
            )
        case let .mounted(media):
            let mediaInstaller = installation.mediaInstaller(media)
            let onMedia: String?
            let onDisk: String?
            do {
                onMedia = try mediaInstaller.readActive()?.fingerprint
                onDisk = try installation.installer().readActive()?.fingerprint
            } catch {
                return .fail("\(error)", fix: "remove what is named, then run sudo aem-reseal stage")
            }
            guard onMedia != nil, onMedia == onDisk else {
                return .fail(
                    "\(mediaInstaller.activeDirectory) differs from \(installation.sealedSetDirectory)",
                    fix: "run sudo aem-reseal stage --media \(media.mountPoint)")
            }
            return .pass(mediaInstaller.activeDirectory)
        }
    }
}

/// AEM reseals to the new boot after it (stock AEM's own service).
struct SealServiceItem: ChecklistItem {
    let id = "seal-service"
    let title = "anti-evil-maid-seal.service is enabled"

    func check(_ context: ChecklistContext) -> ChecklistResult {
        let roots = ["etc/systemd/system", "usr/lib/systemd/system", "lib/systemd/system"]
        for root in roots {
            let folder = context.layout.path(root)
            let wants = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter {
                $0.hasSuffix(".wants")
            }
            for want in wants
            where FileManager.default.fileExists(atPath: "\(folder)/\(want)/anti-evil-maid-seal.service")
                || (try? FileManager.default.destinationOfSymbolicLink(
                    atPath: "\(folder)/\(want)/anti-evil-maid-seal.service")) != nil
            {
                return .pass("\(root)/\(want)")
            }
        }
        return .fail(
            "not enabled: after the reboot AEM would not reseal to the new boot",
            fix: "sudo systemctl enable anti-evil-maid-seal.service")
    }
}

/// Version order of `sort -V` for names like 4.17.10 and 4.17.3.
enum VersionOrder {
    static func less(_ a: String, _ b: String) -> Bool {
        let left = a.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        let right = b.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        for (x, y) in zip(left, right) where x != y { return x < y }
        return left.count < right.count
    }
}
