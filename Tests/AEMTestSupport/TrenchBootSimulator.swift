import AEMCore
import Foundation

/// "Boots" a TrenchBoot chain on Intel TXT with a TPM 2.0 on a software
/// TPM, in the order the launch makes its measurements: GRUB's `slaunch`
/// runs SENTER (HASH_START at locality 4); SINIT measures Xen as the MLE
/// (event 0x404, PCR 17) and logs its own events; Xen, at locality 2,
/// measures GRUB's multiboot2 information (MBI) and the TXT OS-MLE data
/// into PCR 18 and every multiboot2 module, as loaded, into PCR 17 (event
/// 0x502 each); AEM measures the LUKS header into PCR 13.
///
/// The expected values come from outside the code under test: Xen's MLE
/// digest from tboot's `lcp2_mlehash` (the same MLE header rules), module
/// digests from Python's hashlib after decompressing as GRUB does.
public struct SimulatedTrenchBootChain: Sendable {
    public enum Vendor: String, Sendable {
        /// SENTER: SINIT measures Xen (0x404) and logs its own events.
        case intel
        /// SKINIT: the SKL logs itself, Xen's entry point and Xen.
        case amd
    }

    public var vendor: Vendor
    /// Intel with a TPM 1.2 SINIT lacking details/authorities: SINIT's MLE
    /// measurement goes to PCR 18 instead of 17.
    public var legacyMapping = false
    /// `/boot/xen-*.gz` (an ELF with an MLE header, e.g. `SyntheticXen`).
    public var xen: String
    /// The dom0 kernel and initramfs, as `module2` loads them.
    public var modules: [SimulatedChain.Module]
    public var sinitData: String
    /// GRUB's boot information, different at every boot.
    public var mbi: [UInt8]
    /// The LUKS header dump AEM measures into PCR 13; nil when Qubes' own
    /// unseal runs and measures the real header.
    public var luksHeader: String?

    public init(
        vendor: Vendor = .intel, xen: String, modules: [SimulatedChain.Module],
        sinitData: String = "aem-reseal simulated SINIT", mbi: [UInt8],
        luksHeader: String? = "LUKS header"
    ) {
        self.vendor = vendor
        self.xen = xen
        self.modules = modules
        self.sinitData = sinitData
        self.mbi = mbi
        self.luksHeader = luksHeader
    }
}

public enum TrenchBootSimulator {
    /// A TPM 1.2 logs and extends SHA-1 only, in a TXT event container.
    static func banks(for tpm: some DynamicLaunchTPM) -> [HashAlgorithm] {
        tpm is SoftwareTPM12 ? [.sha1] : [.sha1, .sha256]
    }

    /// Boots the chain on `tpm` (freshly reset) and returns the DRTM log
    /// (crypto-agile, SHA-1 and SHA-256, as Xen writes it).
    public static func boot(_ chain: SimulatedTrenchBootChain, on tpm: some DynamicLaunchTPM) throws -> [UInt8] {
        let banks = banks(for: tpm)
        try tpm.hashStart(chain.sinitData)
        var events = [(pcr: UInt32, type: UInt32, digests: [Digest], data: [UInt8])]()
        func digests(_ bytes: [UInt8]) throws -> [Digest] {
            try banks.map { Digest(algorithm: $0, hex: try Python.hash($0.rawValue, bytes))! }
        }
        let mle = try BootSimulator.mleDigests(of: chain.xen, commandLine: "", banks: banks)
        if chain.vendor == .amd {
            // SKINIT measured the SKL (here: sinitData); the SKL logs that,
            // Xen's entry point and Xen, then Xen its MBI and modules.
            events.append((17, 0x502, try digests(Array(chain.sinitData.utf8)), Array("SKINIT".utf8)))
            events.append((17, 0x502, try digests(try mleEntryPoint(chain.xen)), Array("DLME entry offset".utf8)))
            events.append((17, 0x502, mle, Array("DLME".utf8)))
            events.append((18, 0x502, try digests(chain.mbi), []))
            for module in chain.modules {
                events.append((17, 0x502, try digests(try loadedModule(module)), Array("Measured MB2 module".utf8)))
            }
            try tpm.extend(
                events.filter { $0.data != Array("SKINIT".utf8) }.map { ($0.pcr, $0.digests) }, atLocality: 2)
            return try finish(events, chain: chain, on: tpm)
        }
        events.append(
            (17, 0x402, try BootSimulator.hashStartDigests(chain.sinitData, banks: banks), Array(chain.sinitData.utf8)))
        events.append((chain.legacyMapping ? 18 : 17, 0x404, mle, []))
        events += BootSimulator.sinitOwnEvents(banks: banks)
        // Xen's own measurements (locality 2).
        events.append((18, 0x502, try digests(chain.mbi), []))
        events.append((18, 0x502, try digests(Array(chain.mbi.prefix(88))), Array("Measured TXT OS-MLE data".utf8)))
        for module in chain.modules {
            let loaded = try loadedModule(module)
            events.append((17, 0x502, try digests(loaded), Array("Measured MB2 module".utf8)))
        }
        try tpm.extend(events.filter { $0.type != 0x402 }.map { ($0.pcr, $0.digests) }, atLocality: 2)
        return try finish(events, chain: chain, on: tpm)
    }

    /// AEM's PCR 13 extend (unless Qubes' own unseal makes it), and the
    /// log of it all.
    static func finish(
        _ events: [(pcr: UInt32, type: UInt32, digests: [Digest], data: [UInt8])], chain: SimulatedTrenchBootChain,
        on tpm: some DynamicLaunchTPM
    ) throws -> [UInt8] {
        if let header = chain.luksHeader {
            let luksBank: HashAlgorithm = tpm is SoftwareTPM12 ? .sha1 : .sha256
            let luks = Digest(algorithm: luksBank, hex: try Python.hash(luksBank.rawValue, Array(header.utf8)))!
            try tpm.extend([(13, [luks])], atLocality: 0)
        }

        if tpm is SoftwareTPM12, chain.vendor == .amd {
            // The SKL's TPM 1.2 log: a TCG 1.2 "Spec ID Event00" header event
            // whose vendor info is a TXT event container header, then the
            // events as TCG 1.2 records.
            var container = LogBuilder()
            container.txtContainerHeader(size: 0x8000, eventsOffset: 48, nextOffset: 48)
            var spec = LogBuilder()
            spec.ascii("Spec ID Event00")
            spec.u8(0)
            spec.u32(0)
            spec.raw([2, 1, 1, 1, UInt8(container.bytes.count)])
            spec.raw(container.bytes)
            var log = LogBuilder()
            log.tcg12Record(pcr: 0, type: 0x3, digest: [UInt8](repeating: 0, count: 20), data: spec.bytes)
            for event in events {
                log.tcg12Record(pcr: event.pcr, type: event.type, digest: event.digests[0].bytes, data: event.data)
            }
            log.raw([UInt8](repeating: 0, count: 0x8000 - log.bytes.count))
            return log.bytes
        }
        if tpm is SoftwareTPM12 {
            var records = LogBuilder()
            for event in events {
                records.tcg12Record(pcr: event.pcr, type: event.type, digest: event.digests[0].bytes, data: event.data)
            }
            var log = LogBuilder()
            log.txtContainerHeader(size: 0x5000, eventsOffset: 48, nextOffset: UInt32(48 + records.bytes.count))
            log.raw(records.bytes)
            log.raw([UInt8](repeating: 0, count: 0x5000 - log.bytes.count))
            return log.bytes
        }
        var log = LogBuilder()
        log.specIDHeader(algorithms: [(0x04, 20), (0x0B, 32)])
        for event in events {
            log.tcg2Record(
                pcr: event.pcr, type: event.type,
                digests: event.digests.map { ($0.algorithm.tpmAlgorithmID, $0.bytes) }, data: event.data)
        }
        return log.bytes
    }

    /// The 4 bytes of the MLE header's entry_point (offset 24 from its UUID), by Python.
    static func mleEntryPoint(_ xen: String) throws -> [UInt8] {
        let script = """
            import gzip, sys
            data = gzip.decompress(open(sys.argv[1], 'rb').read())
            uuid = bytes.fromhex('5aac82906f47a7740f5c55a2cb51b642')
            sys.stdout.buffer.write(data[data.index(uuid) + 24:data.index(uuid) + 28])
            """
        let result = try Command.run("python3", ["-c", script, xen])
        guard result.status == 0, result.stdoutBytes.count == 4 else {
            throw Command.Failure(description: "python3: \(result.stderr)")
        }
        return result.stdoutBytes
    }

    /// The module's bytes as GRUB's module2 loads them (decompressed), by Python.
    static func loadedModule(_ module: SimulatedChain.Module) throws -> [UInt8] {
        let script = """
            import gzip, lzma, subprocess, sys
            path, loaded = sys.argv[1], sys.argv[2]
            data = open(path, 'rb').read()
            if loaded == 'gzip':
                data = gzip.decompress(data)
            elif loaded == 'xz':
                data = lzma.decompress(data, format=lzma.FORMAT_XZ)
            elif loaded == 'lzop':
                data = subprocess.run(['lzop', '-dc', path], check=True, capture_output=True).stdout
            sys.stdout.buffer.write(data)
            """
        let result = try Command.run("python3", ["-c", script, module.file, module.loaded])
        guard result.status == 0 else { throw Command.Failure(description: "python3: \(result.stderr)") }
        return result.stdoutBytes
    }
}
