import AEMCore
import AEMTPM
import Foundation

/// "Boots" a tboot chain on a software TPM: a simulated SENTER (HASH_START),
/// SINIT's and tboot's extends at locality 2, AEM's PCR 13 extend at
/// locality 0, and the DRTM log of it all.
///
/// Module measurements are computed with Python (hashlib, gzip, lzma, the
/// lzop tool), not with the code under test, so a test that compares
/// `predict` with the PCRs of a simulated boot compares two independent
/// computations.
public struct SimulatedChain: Codable, Sendable {
    public enum Flow: String, Codable, Sendable {
        /// TPM 2.0: policy to PCR 17 and 18, every module to PCR 17, SHA-256 only.
        case detailsAuthorities = "tboot-da"
        /// TPM 1.2 mapping: policy to 17, Xen to 18, others to 19, SHA-1.
        case legacy = "tboot-legacy"
    }

    public struct Module: Codable, Sendable {
        /// The file on this machine.
        public var file: String
        /// The command line tboot sees (as GRUB builds it).
        public var commandLine: String
        /// How GRUB loads it: gzip, xz, lzop or raw.
        public var loaded: String

        public init(file: String, commandLine: String, loaded: String) {
            self.file = file
            self.commandLine = commandLine
            self.loaded = loaded
        }
    }

    public var flow: Flow
    /// What SENTER hashes into PCR 17.
    public var sinitData: String
    public var modules: [Module]
    /// The LUKS header dump AEM measures into PCR 13.
    public var luksHeader: String

    public init(flow: Flow, sinitData: String = "aem-reseal simulated SINIT", modules: [Module], luksHeader: String = "LUKS header") {
        self.flow = flow
        self.sinitData = sinitData
        self.modules = modules
        self.luksHeader = luksHeader
    }
}

public enum BootSimulator {
    /// SINIT's own events: (PCR, type, seed of its digests).
    static let sinitEvents: [(UInt32, UInt32, UInt8)] = [
        (17, 0x40A, 11), (17, 0x40B, 12), (17, 0x40C, 13), (17, 0x412, 14), (18, 0x410, 15), (18, 0x413, 16), (18, 0x414, 17),
    ]

    /// tboot's default policies, serialized (see the reference, section 3).
    static let policyDA = "02000b01000000000000000300ff00000000000081110000000000008316001000004000"
    static let policyLegacy = "02000401000000000000000300ff00000000000081130000000000008316001000004000"

    /// Boots the chain on `tpm` (which must be freshly reset) and returns
    /// the DRTM log: TCG format for the DA flow, a TXT event container for
    /// the legacy one.
    public static func boot(_ chain: SimulatedChain, on tpm: SoftwareTPM) throws -> [UInt8] {
        let banks: [HashAlgorithm] = chain.flow == .detailsAuthorities ? [.sha1, .sha256] : [.sha1]
        let tbootBank: HashAlgorithm = chain.flow == .detailsAuthorities ? .sha256 : .sha1

        try tpm.hashStart(chain.sinitData)
        var events = [(pcr: UInt32, type: UInt32, digests: [Digest], data: [UInt8])]()
        let dataHash = { (bank: HashAlgorithm) throws -> String in try Python.hash(bank.rawValue, Array(chain.sinitData.utf8)) }
        let hashStart = try banks.map { bank in
            Digest(algorithm: bank, hex: try Python.extend(bank: bank.rawValue, start: String(repeating: "00", count: bank.digestSize), measurements: [try dataHash(bank)]))!
        }
        events.append((17, 0x402, hashStart, Array(chain.sinitData.utf8)))
        for (pcr, type, seed) in sinitEvents {
            events.append((pcr, type, banks.map { Digest(algorithm: $0, bytes: testBytes($0.digestSize, seed: seed)) }, []))
        }

        let policyScript = """
            import hashlib, sys
            bank, policy = sys.argv[1], bytes.fromhex(sys.argv[2])
            print(hashlib.new(bank, b'\\x01\\x00\\x00\\x00' + hashlib.new(bank, policy).digest()).hexdigest())
            """
        let policy = try Command.check(
            "python3", ["-c", policyScript, tbootBank.rawValue, chain.flow == .detailsAuthorities ? policyDA : policyLegacy]
        ).trimmingCharacters(in: .whitespacesAndNewlines)
        let policyDigest = Digest(algorithm: tbootBank, hex: policy)!
        events.append((17, 0x501, [policyDigest], []))
        if chain.flow == .detailsAuthorities { events.append((18, 0x501, [policyDigest], [])) }
        for (index, module) in chain.modules.enumerated() {
            let digest = Digest(algorithm: tbootBank, hex: try moduleMeasurement(module, bank: tbootBank))!
            let pcr: UInt32 = chain.flow == .detailsAuthorities ? 17 : (index == 0 ? 18 : 19)
            events.append((pcr, 0x501, [digest], []))
        }

        let connection = try tpm.connect()
        try connection.setLocality(2)
        for event in events where event.type != 0x402 { try connection.extend(pcr: event.pcr, with: event.digests) }
        try connection.setLocality(0)
        let luks = Digest(algorithm: tbootBank, hex: try Python.hash(tbootBank.rawValue, Array(chain.luksHeader.utf8)))!
        try connection.extend(pcr: 13, with: [luks])

        var log = LogBuilder()
        if chain.flow == .detailsAuthorities {
            log.specIDHeader(algorithms: [(0x04, 20), (0x0B, 32)])
            for event in events {
                log.tcg2Record(pcr: event.pcr, type: event.type, digests: event.digests.map { ($0.algorithm.tpmAlgorithmID, $0.bytes) }, data: event.data)
            }
            return log.bytes
        }
        var records = LogBuilder()
        for event in events { records.tcg12Record(pcr: event.pcr, type: event.type, digest: event.digests[0].bytes, data: event.data) }
        log.txtContainerHeader(size: 0x5000, eventsOffset: 48, nextOffset: UInt32(48 + records.bytes.count))
        log.raw(records.bytes)
        log.raw([UInt8](repeating: 0, count: 0x5000 - log.bytes.count))
        return log.bytes
    }

    /// H(H(cmdline) || H(loaded image)) with Python, decompressing as GRUB would.
    public static func moduleMeasurement(_ module: SimulatedChain.Module, bank: HashAlgorithm) throws -> String {
        let script = """
            import gzip, hashlib, lzma, subprocess, sys
            bank, path, loaded = sys.argv[1], sys.argv[2], sys.argv[3]
            cmdline = sys.stdin.buffer.read()
            data = open(path, 'rb').read()
            if loaded == 'gzip':
                data = gzip.decompress(data)
            elif loaded == 'xz':
                data = lzma.decompress(data, format=lzma.FORMAT_XZ)
            elif loaded == 'lzop':
                data = subprocess.run(['lzop', '-dc', path], check=True, capture_output=True).stdout
            h = lambda b: hashlib.new(bank, b).digest()
            print(hashlib.new(bank, h(cmdline) + h(data)).hexdigest())
            """
        return try Command.check("python3", ["-c", script, bank.rawValue, module.file, module.loaded], stdin: module.commandLine)
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
