import AEMCore
import Foundation

/// A self-check problem in words: what it concerns, both values and why it
/// matters. The same fields make `selfCheck.problems[]` of `predict --json`.
extension SelfCheckProblem {
    /// What the problem concerns: a module, the log, a PCR.
    public var component: String {
        switch self {
        case .noSharedBank, .logDoesNotReplay: return "DRTM log replay"
        case let .unchangedModuleDiffers(mismatch): return mismatch.module.displayName
        case let .commandLineDisagreesWithTboot(module, _, _, _): return module.displayName
        case let .unchangedMLEDiffers(launcher, path, _, _, _), let .mleUnproven(launcher, path, _, _, _, _):
            return launcher == .tboot ? "tboot \(path)" : "Xen \(path) (the MLE/DLME)"
        case let .dlmeEntryPointDiffers(path, _, _, _): return "\(path) (the DLME)"
        case .moduleCountChanged: return "the boot entry's modules"
        case .sinitModulesChanged: return "SINIT ACM / LCP modules"
        case .luksDevicesChanged: return "PCR 13 (LUKS headers)"
        }
    }

    /// The value the log, the TPM or the boot record holds, when one is compared.
    public var expected: String? {
        switch self {
        case let .logDoesNotReplay(_, live, _, _): return live.hex
        case let .unchangedModuleDiffers(mismatch): return mismatch.logged.hex
        case let .commandLineDisagreesWithTboot(_, printed, _, _): return printed
        case let .unchangedMLEDiffers(_, _, logged, _, _), let .mleUnproven(_, _, _, logged, _, _): return logged?.hex
        case let .moduleCountChanged(logged, _, _): return "\(logged) measured module(s)"
        case let .sinitModulesChanged(recorded, _, _): return Self.list(recorded)
        case let .luksDevicesChanged(before, _): return before.joined(separator: " ")
        case .noSharedBank, .dlmeEntryPointDiffers: return nil
        }
    }

    /// The value the model computed, when one is compared.
    public var found: String? {
        switch self {
        case let .logDoesNotReplay(_, _, replayed, _): return replayed.hex
        case let .unchangedModuleDiffers(mismatch): return mismatch.recomputed.hex
        case let .commandLineDisagreesWithTboot(_, _, computed, _): return computed
        case let .unchangedMLEDiffers(_, _, _, recomputed, _), let .mleUnproven(_, _, _, _, recomputed, _):
            return recomputed?.hex
        case let .dlmeEntryPointDiffers(_, _, entryPoint, _): return entryPoint.map { String(format: "0x%x", $0) }
        case let .moduleCountChanged(_, now, _): return "\(now.count): " + now.joined(separator: ", ")
        case let .sinitModulesChanged(_, now, _): return Self.list(now)
        case let .luksDevicesChanged(_, after): return after.joined(separator: " ")
        case .noSharedBank: return nil
        }
    }

    /// The problem and what to do about it.
    public var message: String {
        switch self {
        case let .noSharedBank(live, log):
            return "the live PCRs (banks \(Self.banks(live))) share no bank with the log (\(Self.banks(log)))"
        case .logDoesNotReplay:
            return
                "the current boot's log does not replay to the live PCR value: the log is incomplete or not this boot's"
        case let .unchangedModuleDiffers(mismatch):
            return "unchanged since the current boot (\(mismatch.imageChange.evidence); command line "
                + "\(mismatch.commandLineChange.evidence)) but its recomputed measurement differs from the log: "
                + "the model (decompression: \(mismatch.compression.rawValue), command line) does not fit this machine"
        case let .commandLineDisagreesWithTboot(_, _, _, reproducesLog):
            return reproducesLog
                ? "the logged measurement is reproduced with a command line other than the one tboot printed "
                    + "at this boot: the tboot log text and the DRTM log disagree"
                : "the command line GRUB would pass differs from the one tboot printed at this boot, "
                    + "though the boot record says it did not change"
        case let .unchangedMLEDiffers(launcher, _, _, _, _):
            return "unchanged per the boot record, but it does not recompute to the MLE measurement "
                + "\(launcher.mleMeasurer) logged at this boot: the MLE model does not fit this machine"
        case let .mleUnproven(launcher, _, change, _, _, _):
            return "\(change.evidence): \(Self.mleUnprovenWhy(launcher)) cannot be proven on this machine, so the "
                + "next boot's PCRs are not known and nothing is sealed. What you can do, in order: "
                + "(1) before the next update, let `sudo aem-reseal record` run during a boot (the package's unit "
                + "runs it at every boot, and installing the package ran it once); "
                + "(2) keep the booted \(launcher.mleName) on /boot under another name when updating (or put it back), "
                + "then stage again; (3) or accept one unproven boot, as stock AEM does at every update: reboot, type the "
                + "disk passphrase only if you trust the chain by other means, and let AEM reseal"
        case .dlmeEntryPointDiffers:
            return "its MLE header's entry point does not reproduce the \"DLME entry offset\" this boot logged: "
                + "the entry-point model does not fit this machine"
        case let .moduleCountChanged(logged, now, _):
            return "the boot entry now loads \(now.count) measured module(s) but the current boot measured \(logged): "
                + "the chain changed shape. tboot's events for it are predicted, but nothing on this machine proves "
                + "them, so the secret may not appear at the next boot. Reseal with stock AEM after the reboot, "
                + "or --force to seal to this prediction"
        case .sinitModulesChanged:
            return "changed since this boot: SINIT's own measurements will change in ways no file on this machine "
                + "predicts, so a seal to this prediction would not open and the secret would not appear at the "
                + "next boot. Reboot without resealing, check the chain by other means, then reseal with stock AEM "
                + "(or --force, knowing the seal will not open)"
        case .luksDevicesChanged:
            return "the next boot's dom0 command line unlocks another set of LUKS devices (rd.luks.uuid) than this "
                + "boot's: AEM will measure other headers into PCR 13, which is carried over from this boot, so the "
                + "secret would not appear at the next boot. Restore the rd.luks.uuid list, or reseal with stock AEM "
                + "after the reboot (--force seals anyway, knowing the seal will not open)"
        }
    }

    /// The whole problem as lines for the terminal.
    public var text: String {
        var text = "\(component): \(message)"
        if let pcr, let bank { text += " [PCR \(pcr), \(bank)]" }
        if let expected { text += "\n    expected \(expected)" }
        if let found { text += "\n    found    \(found)" }
        if !events.isEmpty { text += "\n    log events: \(events.map(String.init).joined(separator: ", "))" }
        return text
    }

    /// The measurement that needs proof, in the flow's own words.
    private static func mleUnprovenWhy(_ launcher: DynamicLaunchLoader) -> String {
        switch launcher {
        case .tboot: return "SINIT's measurement of the new tboot"
        case .trenchBoot:
            return "the dynamic launch's measurement of the new Xen (under TrenchBoot Xen itself is the MLE, or "
                + "the DLME on AMD; there is no tboot)"
        }
    }

    private static func banks(_ banks: [HashAlgorithm]) -> String { banks.map(\.rawValue).joined(separator: ", ") }

    private static func list(_ modules: [RecordedModule]) -> String {
        modules.map { "\($0.path) (SHA-256 \($0.fileSHA256.prefix(16))…)" }.sorted().joined(separator: ", ")
    }
}

extension SelfCheckProblem.ModuleReference {
    /// "Xen /xen-4.17.4.gz", "initramfs /initramfs-6.6.21.img".
    public var displayName: String { "\(role.displayName) \(path)" }
}
