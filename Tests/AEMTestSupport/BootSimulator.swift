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
    /// tboot as SINIT measures it (event 0x404), valued by tboot's own
    /// lcp2_mlehash; nil: the simulated SINIT logs no MLE event.
    public var mle: Module?
    public var modules: [Module]
    /// The LUKS header dump AEM measures into PCR 13; nil when Qubes' own
    /// unseal runs and measures the real header.
    public var luksHeader: String?

    public init(
        flow: Flow, sinitData: String = "aem-reseal simulated SINIT", mle: Module? = nil, modules: [Module],
        luksHeader: String? = "LUKS header"
    ) {
        self.flow = flow
        self.sinitData = sinitData
        self.mle = mle
        self.modules = modules
        self.luksHeader = luksHeader
    }
}

public enum BootSimulator {
    /// SINIT's own events: (PCR, type, seed of its digests).
    static let sinitEvents: [(UInt32, UInt32, UInt8)] = [
        (17, 0x40A, 11), (17, 0x40B, 12), (17, 0x40C, 13), (17, 0x412, 14), (18, 0x410, 15), (18, 0x413, 16),
        (18, 0x414, 17),
    ]

    /// What SINIT logs as HASH_START: the PCR 17 value SENTER leaves,
    /// `H(0 || H(data))`, by Python.
    static func hashStartDigests(_ data: String, banks: [HashAlgorithm]) throws -> [Digest] {
        try banks.map { bank in
            Digest(
                algorithm: bank,
                hex: try Python.extend(
                    bank: bank.rawValue, start: String(repeating: "00", count: bank.digestSize),
                    measurements: [try Python.hash(bank.rawValue, Array(data.utf8))]))!
        }
    }

    /// SINIT's measurement of an MLE file, by tboot's own `lcp2_mlehash`.
    static func mleDigests(of file: String, commandLine: String, banks: [HashAlgorithm]) throws -> [Digest] {
        try banks.map { bank in
            let printed = try Command.check(
                "/usr/sbin/lcp2_mlehash", ["--create", "--alg", bank.rawValue, "--cmdline", commandLine, file])
            return Digest(algorithm: bank, hex: printed.split(whereSeparator: \.isWhitespace).joined())!
        }
    }

    /// SINIT's own events after the MLE's (`sinitEvents`), in `banks`.
    static func sinitOwnEvents(banks: [HashAlgorithm]) -> [(
        pcr: UInt32, type: UInt32, digests: [Digest], data: [UInt8]
    )] {
        sinitEvents.map { pcr, type, seed in
            (pcr, type, banks.map { Digest(algorithm: $0, bytes: testBytes($0.digestSize, seed: seed)) }, [])
        }
    }

    /// tboot's default policies, serialized (see the reference, section 3).
    static let policyDA = "02000b01000000000000000300ff00000000000081110000000000008316001000004000"
    static let policyLegacy = "02000401000000000000000300ff00000000000081130000000000008316001000004000"

    /// What a simulated boot leaves behind.
    public struct Boot: Sendable {
        /// The binary DRTM log: TCG format for the DA flow, a TXT event
        /// container for the legacy one.
        public var log: [UInt8]
        /// tboot's memory log as txt-stat prints it: the post-launch dump
        /// and the module lines.
        public var tbootText: [UInt8]
    }

    /// Boots the chain on `tpm` (which must be freshly reset) and returns
    /// the DRTM log.
    public static func boot(_ chain: SimulatedChain, on tpm: some DynamicLaunchTPM) throws -> [UInt8] {
        try simulate(chain, on: tpm).log
    }

    /// Boots the chain and returns the binary log and tboot's text log.
    /// `printedCommandLines` replaces what tboot prints for each module
    /// (to model a log that disagrees with the configuration).
    public static func simulate(
        _ chain: SimulatedChain, on tpm: some DynamicLaunchTPM, printedCommandLines: [String]? = nil
    ) throws -> Boot {
        let banks: [HashAlgorithm] = chain.flow == .detailsAuthorities ? [.sha1, .sha256] : [.sha1]
        let tbootBank: HashAlgorithm = chain.flow == .detailsAuthorities ? .sha256 : .sha1

        try tpm.hashStart(chain.sinitData)
        var events = [(pcr: UInt32, type: UInt32, digests: [Digest], data: [UInt8])]()
        events.append((17, 0x402, try hashStartDigests(chain.sinitData, banks: banks), Array(chain.sinitData.utf8)))
        if let mle = chain.mle {
            // The MLE measurement, by the oracle: PCR 17 with details/authorities, 18 with the legacy mapping.
            events.append(
                (
                    chain.flow == .detailsAuthorities ? 17 : 18, 0x404,
                    try mleDigests(of: mle.file, commandLine: mle.commandLine, banks: banks), []
                ))
        }
        events += sinitOwnEvents(banks: banks)

        let policyScript = """
            import hashlib, sys
            bank, policy = sys.argv[1], bytes.fromhex(sys.argv[2])
            print(hashlib.new(bank, b'\\x01\\x00\\x00\\x00' + hashlib.new(bank, policy).digest()).hexdigest())
            """
        let policy = try Command.check(
            "python3",
            ["-c", policyScript, tbootBank.rawValue, chain.flow == .detailsAuthorities ? policyDA : policyLegacy]
        ).trimmingCharacters(in: .whitespacesAndNewlines)
        let policyDigest = Digest(algorithm: tbootBank, hex: policy)!
        events.append((17, 0x501, [policyDigest], []))
        if chain.flow == .detailsAuthorities { events.append((18, 0x501, [policyDigest], [])) }
        for (index, module) in chain.modules.enumerated() {
            let digest = Digest(algorithm: tbootBank, hex: try moduleMeasurement(module, bank: tbootBank))!
            let pcr: UInt32 = chain.flow == .detailsAuthorities ? 17 : (index == 0 ? 18 : 19)
            events.append((pcr, 0x501, [digest], []))
        }

        try tpm.extend(events.filter { $0.type != 0x402 }.map { ($0.pcr, $0.digests) }, atLocality: 2)
        if let header = chain.luksHeader {
            let luks = Digest(algorithm: tbootBank, hex: try Python.hash(tbootBank.rawValue, Array(header.utf8)))!
            try tpm.extend([(13, [luks])], atLocality: 0)
        }

        let moduleDigests = events.filter { $0.type == 0x501 }.suffix(chain.modules.count).map { $0.digests[0] }
        let text = tbootText(
            flow: chain.flow, events: events.map { ($0.pcr, $0.type, $0.digests, $0.data) },
            modules: zip(printedCommandLines ?? chain.modules.map(\.commandLine), moduleDigests).map { ($0, $1) })

        var log = LogBuilder()
        if chain.flow == .detailsAuthorities {
            log.specIDHeader(algorithms: [(0x04, 20), (0x0B, 32)])
            for event in events {
                log.tcg2Record(
                    pcr: event.pcr, type: event.type,
                    digests: event.digests.map { ($0.algorithm.tpmAlgorithmID, $0.bytes) }, data: event.data)
            }
            return Boot(log: log.bytes, tbootText: text)
        }
        var records = LogBuilder()
        for event in events {
            records.tcg12Record(pcr: event.pcr, type: event.type, digest: event.digests[0].bytes, data: event.data)
        }
        log.txtContainerHeader(size: 0x5000, eventsOffset: 48, nextOffset: UInt32(48 + records.bytes.count))
        log.raw(records.bytes)
        log.raw([UInt8](repeating: 0, count: 0x5000 - log.bytes.count))
        return Boot(log: log.bytes, tbootText: text)
    }

    /// tboot's printk output for the post-launch dump, the module checks and
    /// the events it appends (reference, section 4: prefix "TBOOT: " only
    /// after a newline, hex rows of 16 bytes, command lines in 80-byte chunks).
    static func tbootText(
        flow: SimulatedChain.Flow, events: [(UInt32, UInt32, [Digest], [UInt8])], modules: [(String, Digest)]
    ) -> [UInt8] {
        func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x ", $0) }.joined() }
        func data(label: String, rowIndent: String, _ bytes: [UInt8]) -> String {
            var out = "TBOOT: \(label): \(bytes.count) bytes"
            if bytes.isEmpty { return out + "\n" }
            for row in stride(from: 0, to: bytes.count, by: 16) {
                out += "\n\(rowIndent)\(hex(Array(bytes[row..<min(row + 16, bytes.count)])))"
            }
            return out + "\n"
        }
        func event(_ e: (UInt32, UInt32, [Digest], [UInt8])) -> String {
            if flow == .detailsAuthorities {
                var out =
                    "TBOOT: \t\t\t TCG Event:\nTBOOT: \t\t\t      pcr_index: \(e.0)\nTBOOT: \t\t\t     event_type: 0x\(String(e.1, radix: 16))\n"
                out += "TBOOT: \t\t\t          count: \(e.2.count)\n"
                for digest in e.2 {
                    out += "TBOOT: \(digest.algorithm == .sha1 ? "SHA1" : "SHA256"): \nTBOOT: \(hex(digest.bytes))\n"
                }
                return out + data(label: "\t\t\t     event_data", rowIndent: "\t\t\t     ", e.3)
            }
            var out =
                "TBOOT: \t\t\t Event:\nTBOOT: \t\t\t     PCRIndex: \(e.0)\nTBOOT: \t\t\t         Type: 0x\(String(e.1, radix: 16))\n"
            out += "TBOOT: \t\t\t       Digest: \(hex(e.2[0].bytes))\n"
            return out + data(label: "\t\t\t         Data", rowIndent: "\t\t\t         ", e.3)
        }
        var text =
            "TBOOT: *********************** TBOOT ***********************\nTBOOT:    2025-04-17 16:00 +0100 1.11.10\n"
        text += "TBOOT: SINIT ACM successfully returned...\n"
        if flow == .detailsAuthorities {
            text += "TBOOT: \t TCG EVENT_LOG_PTR:\nTBOOT: \t TCG Event Log Header:\nTBOOT: \t\t       pcr_index: 0\n"
            text += "TBOOT: \t\t\t\t   algorithm_id: 0x4 \nTBOOT: \t\t\t\t    digest_size: 20\n"
            text +=
                "TBOOT: \t\t\t\t   algorithm_id: 0xb \nTBOOT: \t\t\t\t    digest_size: 32\nTBOOT: \t\t\t       vendor_info: 0 bytes\n"
        } else {
            text += "TBOOT: \t\t EVENT_LOG_POINTER:\nTBOOT: \t\t\t Event Log Container:\n"
        }
        let sinit = events.filter { $0.1 != 0x501 }
        let tboot = events.filter { $0.1 == 0x501 }
        for e in sinit { text += event(e) }
        text += "TBOOT: verifying policy \n"
        for (commandLine, digest) in modules {
            text += "TBOOT: verifying module \""
            var rest = Substring(commandLine)
            while !rest.isEmpty {
                text += "\n" + rest.prefix(80)
                rest = rest.dropFirst(80)
            }
            text += "\"...\nTBOOT: \t OK : \(hex(digest.bytes))\n"
        }
        text += "TBOOT: all modules are verified\n"
        for e in tboot { text += event(e) }
        return Array(text.utf8)
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
        return try Command.check(
            "python3", ["-c", script, bank.rawValue, module.file, module.loaded], stdin: module.commandLine
        )
        .trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
