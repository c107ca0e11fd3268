import Foundation

/// `/var/lib/aem-reseal/state.json`: where the update cycle stands and
/// what was predicted and sealed, for `checklist`, `verify`, `status` and
/// `rollback`. Written atomically; no secret is ever in it.
public struct ResealState: Sendable, Codable, Equatable {
    /// Raw values appear in `status --json`.
    public enum Phase: String, Sendable, Codable {
        /// A set was built; the swap had not completed when this was written.
        case installing
        /// A set sealed to the predicted values is active; reboot pending.
        case staged
        /// `stage` could not seal unattended (e.g. no SRK password cached).
        case pending
        /// After the reboot the live PCRs equalled the prediction.
        case verified
        /// After the reboot the live PCRs differed from the prediction.
        case mismatch
        /// The previous set was put back.
        case rolledBack = "rolled-back"
    }

    public struct Module: Sendable, Codable, Equatable {
        public var path: String
        public var role: String
        public var version: String?
        public var fileSha256: String
        public var measurement: [String: String]
        public var changed: Bool

        public init(
            path: String, role: String, version: String?, fileSha256: String, measurement: [String: String],
            changed: Bool
        ) {
            self.path = path
            self.role = role
            self.version = version
            self.fileSha256 = fileSha256
            self.measurement = measurement
            self.changed = changed
        }
    }

    public struct Media: Sendable, Codable, Equatable {
        public var path: String?
        public var copied: Bool
        public var detail: String
        /// Fingerprint of the set copied there.
        public var fingerprint: String?

        public init(path: String?, copied: Bool, detail: String, fingerprint: String?) {
            self.path = path
            self.copied = copied
            self.detail = detail
            self.fingerprint = fingerprint
        }
    }

    public var version: Int = 1
    public var phase: Phase
    public var label: String
    public var tpmID: String
    public var updatedAt: Date
    /// Identifier of the staged set (in its `aem-reseal.id`).
    public var setID: String?
    /// Journal for an interrupted install: whether the set being replaced
    /// on disk, and on the media, must be kept as `previous`.
    public var keepReplacedSet: Bool?
    public var keepReplacedMediaSet: Bool?
    /// Fingerprint of the staged set's files.
    public var setFingerprint: String?
    /// The boot (its `btime`) during which the set was staged.
    public var stagedInBoot: Int64?
    public var stagedAt: Date?
    public var forced: Bool
    /// The files sealed to on the user's word alone (`--vouch-for`).
    public var userVouched: [String]?
    public var selfCheck: String?
    public var flow: String?
    /// The bank the set is sealed in (`sha256` on TPM 2.0, `sha1` on TPM 1.2).
    public var sealBank: HashAlgorithm?
    public var sealPCRs: [UInt32]
    /// A transition seal (`TransitionSeal`): the SEAL PCRs left out for
    /// the next boot, which stock AEM reseals to during it.
    public var transitionLeftOutPCRs: [UInt32]?
    /// The values the set is sealed to (seal bank, SEAL PCRs).
    public var sealedTo: PCRValues?
    /// Every predicted value (all banks), for `verify`.
    public var predicted: PCRValues?
    /// The Xen and dom0 command lines the next boot was predicted with,
    /// for `verify` after a transition seal (which does not cover them).
    public var predictedCommandLines: BootedCommandLines?
    public var modules: [Module]
    public var media: Media?
    public var message: String?
    /// When and against which boot `verify` last ran.
    public var verifiedInBoot: Int64?
    public var verification: [String: [String: String]]?

    /// `sealPcrs` is spelled as in every `--json` document (`docs/json.md`).
    private enum CodingKeys: String, CodingKey {
        case version, phase, label, tpmID, updatedAt, setID, keepReplacedSet, keepReplacedMediaSet, setFingerprint
        case stagedInBoot, stagedAt, forced, userVouched, selfCheck, flow, sealBank
        case sealPCRs = "sealPcrs"
        case transitionLeftOutPCRs = "transitionLeftOutPcrs"
        case sealedTo, predicted, predictedCommandLines
        case modules, media, message, verifiedInBoot, verification
    }

    public init(phase: Phase, label: String, tpmID: String) {
        self.phase = phase
        self.label = label
        self.tpmID = tpmID
        updatedAt = Date()
        forced = false
        sealPCRs = []
        modules = []
    }

    /// The set an interrupted `stage` was installing, as its journal names
    /// it for `SealedSetInstaller.recover`; nil when no install was cut short.
    public var interruptedSetID: String? { phase == .installing ? setID : nil }

    /// The state, nil when there is none; a file that exists but cannot be
    /// read (without root: the folder is 0700) throws, never passes for
    /// "nothing pending".
    public static func load(from path: String) throws -> ResealState? {
        do {
            return try StoredJSON.read(ResealState.self, from: path)
        } catch let error as FileAccessError
            where [.system(.noSuchFileOrDirectory), .system(.notDirectory)].contains(error.reason)
        {
            return nil
        }
    }

    public func save(to path: String) throws {
        var copy = self
        copy.updatedAt = Date()
        try StoredJSON.write(copy, to: path)
    }
}
