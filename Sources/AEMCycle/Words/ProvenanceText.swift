import AEMCore

/// Provenance in words, for the report, the refusal and the checklist.
public enum ProvenanceText {
    /// What the file is, as the user knows it: `dom0 kernel /vmlinuz-6.6.99`.
    public static func name(_ file: BootFile) -> String {
        switch file.kind {
        case let .module(role): return "\(role.displayName) \(file.grubPath)"
        case .measuredLaunchEnvironment: return "MLE \(file.grubPath)"
        case .launchModule: return "launch module \(file.grubPath)"
        case .grubConfiguration: return "GRUB configuration \(file.grubPath)"
        case .grubEnvironment: return "GRUB environment block \(file.grubPath)"
        }
    }

    /// One line: where the file comes from.
    public static func summary(_ provenance: Provenance) -> String {
        switch provenance {
        case let .booted(evidence): return "the file this boot used (\(evidence))"
        case .carriedOver:
            return "measured by the launch itself: its events are replayed from this boot's log, so another file "
                + "keeps the seal closed"
        case let .vouched(voucher, detail): return "vouched for by \(voucher.rawValue): \(detail)"
        case let .unvouched(reasons): return "NOT VOUCHED FOR: " + reasons.joined(separator: "; ")
        }
    }

    /// An unvouched file as the refusal names it.
    public static func refusal(_ file: FileProvenance) -> String {
        "\(name(file.file)) (SHA-256 \(file.file.sha256.hex.prefix(16))…): \(summary(file.provenance))"
    }

    /// The `status` and `voucher` words of `--json`.
    public static func status(_ provenance: Provenance) -> String {
        switch provenance {
        case .booted: return "booted"
        case .carriedOver: return "carried-over"
        case .vouched: return "vouched"
        case .unvouched: return "unvouched"
        }
    }
}
