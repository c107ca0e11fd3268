// Fuzz targets for every parser of untrusted input (tboot's LZ77 chunks
// are reached through the eventlog target's memory-log seeds). One libFuzzer entry
// point serves them all; AEM_FUZZ_TARGET picks the parser. Fuzz/run builds
// this with -sanitize=fuzzer,address and runs each target for a bounded time.
import AEMCore
import AEMTPM
import Foundation

enum FuzzTarget: String, CaseIterable {
    case eventlog
    case tbootText = "tboot-text"
    case grubCfg = "grub-cfg"
    case grubenv, tpm2b
    case tssFile = "tss-file"
    case state
    case pcrFile = "pcr-file"
    case aemConf = "aem-conf"
    case modules

    static let selected: FuzzTarget = {
        guard let name = ProcessInfo.processInfo.environment["AEM_FUZZ_TARGET"], let target = FuzzTarget(rawValue: name)
        else {
            fatalError("set AEM_FUZZ_TARGET to one of: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return target
    }()

    /// A scratch folder for parsers that read files.
    static let scratch: String = {
        let path = NSTemporaryDirectory() + "/aem-fuzz-\(getpid())"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    func run(_ bytes: [UInt8]) {
        switch self {
        case .eventlog:
            if let decoded = try? EventLogDecoder.decode(bytes) { _ = EventLogReplay.replay(decoded.log) }
        case .tbootText:
            if let decoded = try? EventLogDecoder.decode(Array("TBOOT: ".utf8) + bytes) {
                _ = EventLogReplay.replay(decoded.log)
            }
        case .grubCfg:
            // As read from /boot: bytes, not text (invalid UTF-8 and NUL
            // are the evaluator's to find).
            let file = Self.scratch + "/grub.cfg"
            guard FileManager.default.createFile(atPath: file, contents: Data(bytes)) else { return }
            var settings = GrubEvaluationSettings(bootDirectory: Self.scratch, configurationFile: file)
            settings.bootPartitionUUID = "2b7f5d3e-9c41-4f0a-8e6d-1a2b3c4d5e6f"
            if let grub = try? GrubConfiguration.load(settings) {
                for (selection, _) in grub.bootableEntries().prefix(8) {
                    if let entry = try? grub.boot(selection) {
                        _ = entry.modules.map(\.commandLine)
                        _ = entry.unknownInfluences.map(\.description)
                        _ = entry.environmentWrites.count
                    }
                }
                _ = grub.defaultEntry()
            }
        case .grubenv:
            _ = try? GrubEnvironmentBlock.parse(bytes, file: "grubenv")
            // save_env's edits, as GRUB makes them in place.
            if var block = GrubEnvironmentBlock(bytes: bytes) {
                for (name, value) in block.variables.prefix(4) {
                    _ = block.set(name, value + "\\x\n")
                    block.delete(name)
                    _ = block.set(name, "")
                }
                _ = block.set("fuzz_new", String(repeating: "v", count: bytes.count % 64))
                _ = block.variables
            }
        case .tpm2b:
            _ = try? SealedObject.inspect(marshalledPublic: bytes)
            _ = try? SealedObject.checkPrivate(bytes)
        case .tssFile:
            if let file = try? TSSSealedFile.parse(bytes) { _ = try? TPM12StoredData.parse(file.sealedKeyBlob) }
            _ = try? TPM12StoredData.parse(bytes)
        case .state:
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            _ = try? decoder.decode(ResealState.self, from: Data(bytes))
        case .pcrFile:
            _ = try? PCRValuesFile.parse(bytes)
        case .aemConf:
            _ = try? AEMConfiguration.parse(String(decoding: bytes, as: UTF8.self))
        case .modules:
            // The first byte picks the decompressor, as a magic would.
            let file = Self.scratch + "/module"
            guard let kind = bytes.first else { return }
            let magic: [UInt8]
            switch kind % 3 {
            case 0: magic = [0x1F, 0x8B, 0x08, 0x00]
            case 1: magic = [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]
            default: magic = [0x89, 0x4C, 0x5A, 0x4F, 0x00, 0x0D, 0x0A, 0x1A, 0x0A]
            }
            _ = FileManager.default.createFile(atPath: file, contents: Data(magic + bytes.dropFirst()))
            guard let opened = try? FileBytes.open(file, limit: 64 << 20) else { return }
            _ = try? ModuleImageLoader(
                banks: [.sha256], maximumLoadedSize: 64 << 20, chunkSize: 4096, budget: .prediction()
            ).load(
                opened, grubPath: "/module", noUnzip: false)
        }
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafeRawPointer, _ size: Int) -> CInt {
    FuzzTarget.selected.run(Array(UnsafeRawBufferPointer(start: data, count: size)))
    return 0
}
