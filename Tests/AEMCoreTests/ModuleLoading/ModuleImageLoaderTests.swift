import AEMTestSupport
import Foundation
import Testing

@testable import AEMCore

/// Modules loaded as GRUB loads them, checked against hashlib over the
/// original bytes and files compressed by the real gzip, xz and lzop tools.
@Suite struct ModuleImageLoaderTests {
    static let payload = Array("070701".utf8) + testBytes(700_000, seed: 42)

    static func compressed(_ tool: String, _ arguments: [String], _ bytes: [UInt8] = payload) throws -> [UInt8] {
        let result = try Command.run(tool, arguments, stdinBytes: bytes)
        guard result.status == 0 else { throw Command.Failure(description: result.stderr) }
        return result.stdoutBytes
    }

    static func load(
        _ bytes: [UInt8], noUnzip: Bool = false, banks: [HashAlgorithm] = [.sha256], limit: Int = 1 << 30,
        chunkSize: Int = 4096
    ) throws -> LoadedModuleImage {
        let directory = try TemporaryDirectory()
        let path = try directory.write("module", bytes)
        return try ModuleImageLoader(
            banks: banks, maximumLoadedSize: limit, chunkSize: chunkSize, budget: .unbounded()
        ).load(
            try FileBytes.open(path, limit: limit), grubPath: "/module", noUnzip: noUnzip)
    }

    static let tools: [(String, [String], ModuleCompression)] = [
        ("gzip", ["-c", "-6"], .gzip),
        ("gzip", ["-c", "-1", "-N"], .gzip),
        ("xz", ["-c", "--check=crc64"], .xz),
        ("xz", ["-c", "--check=crc32", "-0"], .xz),
        ("lzop", ["-c"], .lzop),
        ("lzop", ["-c", "-9", "--crc32"], .lzop),
        ("cat", [], .raw),
    ]

    /// 4 KiB buffers make every decoder cross buffer edges and lzop use its
    /// large-block path; 1 MiB buffers (the default) take lzop's blocks in place.
    @Test(arguments: tools, [4096, 1 << 20])
    func decompressesLikeGrubAndHashesEveryBankInOnePass(tool: (String, [String], ModuleCompression), chunkSize: Int)
        throws
    {
        let (tool, arguments, expected) = tool
        let stored = try Self.compressed(tool, arguments)
        let image = try Self.load(stored, banks: [.sha1, .sha256, .sha384], chunkSize: chunkSize)
        #expect(image.compression == expected)
        #expect(image.loadedSize == Self.payload.count)
        for bank in [HashAlgorithm.sha1, .sha256, .sha384] {
            #expect(image.imageDigests[bank]?.hex == (try Python.hash(bank.rawValue, Self.payload)))
        }
        #expect(image.fileDigest.hex == (try Python.hash("sha256", stored)))
        #expect(image.fileSize == stored.count)
    }

    /// gzip members built here byte by byte (deflate data from Python's
    /// zlib): the optional header fields GRUB's gzio accepts, and the
    /// trailer checks. Flag 0x02 is "continuation" to gzio (not RFC 1952's
    /// header CRC): GRUB loads such a file as stored, and so do we.
    @Test func gzipHeadersAndTrailersAreCheckedLikeGunzip() throws {
        func member(_ flags: Int, corrupt: String = "") throws -> [UInt8] {
            let script = """
                import sys, zlib, struct
                data = sys.stdin.buffer.read(); flags = \(flags)
                head = bytes([0x1f, 0x8b, 8, flags]) + struct.pack("<I", 0) + bytes([0, 3])
                if flags & 4: head += struct.pack("<H", 5) + b"extra"
                if flags & 8: head += b"xen-4.17.4\\0"
                if flags & 16: head += b"a comment\\0"
                if flags & 2: head += struct.pack("<H", zlib.crc32(head) & 0xFFFF ^ ("\(corrupt)" == "hcrc"))
                deflate = zlib.compressobj(6, zlib.DEFLATED, -15)
                body = deflate.compress(data) + deflate.flush()
                crc = zlib.crc32(data) ^ ("\(corrupt)" == "crc")
                size = (len(data) + ("\(corrupt)" == "size")) & 0xFFFFFFFF
                sys.stdout.buffer.write(head + body + struct.pack("<II", crc, size))
                """
            return try Self.compressed("python3", ["-c", script])
        }
        for flags in [0, 1, 4, 8, 16, 1 | 4 | 8 | 16] {
            let image = try Self.load(try member(flags), banks: [.sha256])
            #expect(image.compression == .gzip, "flags \(flags)")
            #expect(image.imageDigests[.sha256]?.hex == (try Python.hash("sha256", Self.payload)), "flags \(flags)")
        }
        let continuation = try member(2 | 8)
        #expect(try Self.load(continuation).imageDigests[.sha256]?.hex == (try Python.hash("sha256", continuation)))
        for corrupt in ["crc", "size"] {
            let error = #expect(throws: ModuleLoadError.self, "\(corrupt)") {
                try Self.load(try member(8, corrupt: corrupt))
            }
            #expect(error?.description.contains("corrupt") == true, "\(corrupt): \(String(describing: error))")
        }
        // An empty module, and deflate's stored blocks (level 0).
        #expect(try Self.load(try Self.compressed("gzip", ["-c"], [])).loadedSize == 0)
        let stored = try Self.compressed(
            "python3", ["-c", "import gzip, sys; sys.stdout.buffer.write(gzip.compress(sys.stdin.buffer.read(), 0))"])
        #expect(try Self.load(stored).imageDigests[.sha256]?.hex == (try Python.hash("sha256", Self.payload)))
    }

    @Test func noUnzipAndUnknownFormatsLoadAsStored() throws {
        let gzipped = try Self.compressed("gzip", ["-c"])
        let kept = try Self.load(gzipped, noUnzip: true)
        #expect(kept.compression == .raw)
        #expect(kept.imageDigests[.sha256]?.hex == (try Python.hash("sha256", gzipped)))

        // An early-microcode cpio in front of a compressed archive: no magic at the start.
        let prefixed = Array("070701".utf8) + testBytes(100, seed: 1) + gzipped
        let image = try Self.load(prefixed)
        #expect(image.compression == .raw)
        #expect(image.imageDigests[.sha256]?.hex == (try Python.hash("sha256", prefixed)))
    }

    @Test func gzipFlagsGrubRejectsFallBackToRaw() throws {
        var gzipped = try Self.compressed("gzip", ["-c", "-n"])
        gzipped[3] |= 0x20  // "encrypted": GRUB's gzio refuses it and loads the file as is
        let image = try Self.load(gzipped)
        #expect(image.compression == .raw)
    }

    @Test func brokenStreamsAreErrorsNamingTheModule() throws {
        let gzipped = try Self.compressed("gzip", ["-c"])
        let truncated = #expect(throws: ModuleLoadError.self) {
            try Self.load(Array(gzipped.prefix(gzipped.count / 2)))
        }
        #expect(truncated?.description.contains("module /module") == true)

        var corrupt = try Self.compressed("xz", ["-c"])
        corrupt[corrupt.count / 2] ^= 0xFF
        #expect(throws: ModuleLoadError.self) { try Self.load(corrupt) }

        var lzopCorrupt = try Self.compressed("lzop", ["-c"])
        lzopCorrupt[lzopCorrupt.count / 2] ^= 0xFF
        #expect(throws: ModuleLoadError.self) { try Self.load(lzopCorrupt) }

        let twoMembers = gzipped + (try Self.compressed("gzip", ["-c"], [1, 2, 3]))
        let member = #expect(throws: ModuleLoadError.self) { try Self.load(twoMembers) }
        #expect(member?.description.contains("multi-member") == true)
        #expect(member?.reason == .trailingData(.gzip))

        // Zero padding after the stream is fine.
        #expect(try Self.load(gzipped + [UInt8](repeating: 0, count: 512)).loadedSize == Self.payload.count)
    }

    @Test func decompressionBombIsRefused() throws {
        let bomb = try Self.compressed("gzip", ["-c", "-9"], [UInt8](repeating: 0, count: 4 << 20))
        #expect(bomb.count < 10_000)
        let error = #expect(throws: ModuleLoadError.self) { try Self.load(bomb, limit: 1 << 20) }
        #expect(error?.description.contains("decompression bomb") == true)
        #expect(error?.reason == .tooLarge(limit: 1 << 20))
    }

    /// The same opened file is loaded twice (a fingerprint, then in full)
    /// without its path being looked up again.
    @Test func anOpenedFileIsReadAgainFromItsStart() throws {
        let directory = try TemporaryDirectory()
        let bytes = try Self.compressed("gzip", ["-c"])
        let file = try FileBytes.open(try directory.write("module", bytes), limit: 1 << 30)
        let loader = ModuleImageLoader(banks: [.sha256], budget: .unbounded())
        let fingerprint = try loader.fingerprint(file, grubPath: "/module", noUnzip: false)
        let full = try loader.load(file, grubPath: "/module", noUnzip: false)
        #expect(fingerprint.fileDigest == HashAlgorithm.sha256.hash(bytes))
        #expect(full.fileDigest == fingerprint.fileDigest)
        #expect(full.imageDigests[.sha256] == HashAlgorithm.sha256.hash(Self.payload))
    }

    @Test func tbootDropsACMsAndPolicyData() throws {
        let tree = try BootTree()
        let acm = try ModuleImageLoader(banks: [.sha256], budget: .unbounded()).load(
            try FileBytes.open(tree.boot + "/GM45_GS45_PM45_SINIT_51.BIN", limit: 1 << 20), grubPath: "/sinit",
            noUnzip: false)
        #expect(acm.isAuthenticatedCodeModule && acm.isDroppedByTboot)
        let policy = try Self.load(Array("Intel(R) TXT LCP_POLICY_DATA".utf8) + [0, 0, 0, 0] + testBytes(200, seed: 3))
        #expect(policy.isLaunchControlPolicy)
        #expect(!(try Self.load(testBytes(4096, seed: 5))).isDroppedByTboot)
    }

    /// An xz module whose header declares a 768 MiB dictionary (the data
    /// needs 1 MiB): liblzma would allocate it all before decoding a byte.
    /// Refused by the decoder's memory limit; the same stream declaring
    /// xz -9's 64 MiB loads. Built with Python's lzma, the header patched
    /// and its CRC32 recomputed with zlib.
    @Test(arguments: [(35, false), (28, true)])
    func anXZDictionaryOverTheMemoryLimitIsRefused(dictionaryProperty: Int, loads: Bool) throws {
        let script = """
            import lzma, sys, zlib
            data = b"initramfs " * 1000
            x = bytearray(lzma.compress(data, format=lzma.FORMAT_XZ,
                                        filters=[{"id": lzma.FILTER_LZMA2, "dict_size": 1 << 20}]))
            size = (x[12] + 1) * 4
            assert x[14:17] == b"\\x21\\x01\\x10"
            x[16] = int(sys.argv[1])
            x[12 + size - 4:12 + size] = zlib.crc32(bytes(x[12:12 + size - 4])).to_bytes(4, "little")
            sys.stdout.buffer.write(x)
            """
        let crafted = try Command.run("python3", ["-c", script, String(dictionaryProperty)])
        #expect(crafted.status == 0, "\(crafted.stderr)")
        if loads {
            let image = try Self.load(crafted.stdoutBytes)
            #expect(image.compression == .xz)
            #expect(
                image.imageDigests[.sha256]
                    == HashAlgorithm.sha256.hash(Array(String(repeating: "initramfs ", count: 1000).utf8)))
        } else {
            let error = #expect(throws: ModuleLoadError.self) { try Self.load(crafted.stdoutBytes) }
            guard case let .corrupt(.xz, detail)? = error?.reason else {
                Issue.record("not refused as too large a dictionary: \(String(describing: error))")
                return
            }
            #expect(detail?.contains("more than 72 MiB") == true)
        }
    }

    /// Every byte read and decompressed is charged to the run's budget:
    /// past it, the load stops with a refusal naming the file.
    @Test func theWorkBudgetStopsALoad() throws {
        let directory = try TemporaryDirectory()
        let bytes = try Self.compressed("gzip", ["-c"])
        let file = try FileBytes.open(try directory.write("module", bytes), limit: 1 << 30)
        let loader = ModuleImageLoader(banks: [.sha256], budget: WorkBudget(bytes: Int64(Self.payload.count / 2)))
        let error = #expect(throws: ModuleLoadError.self) { try loader.load(file, grubPath: "/module", noUnzip: false) }
        guard case .budgetSpent? = error?.reason else {
            Issue.record("not a budget refusal: \(String(describing: error))")
            return
        }
        #expect(error?.description.contains("/module") == true)
    }
}
