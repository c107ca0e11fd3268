import AEMTestSupport
import Foundation
import Testing

@testable import AEMCore

/// The MLE measurement of a real tboot (Debian's tboot package, installed
/// by make deps) against tboot's own lcp2_mlehash, the oracle.
@Suite struct MLEMeasurementTests {
    static let tboot = "/boot/tboot.gz"
    static let oracle = "/usr/sbin/lcp2_mlehash"

    /// lcp2_mlehash prints the digest as space-separated hex pairs.
    static func oracleDigest(_ file: String, bank: HashAlgorithm, commandLine: String) throws -> String {
        let printed = try Command.check(oracle, ["--create", "--alg", bank.rawValue, "--cmdline", commandLine, file])
        return printed.split(whereSeparator: \.isWhitespace).joined()
    }

    @Test(arguments: [
        "", "placeholder logging=memory,serial", "placeholder logging=memory,serial min_ram=0x2000000 extpol=sha256",
        String(repeating: "x", count: 510),
    ])
    func realTbootMatchesLcp2Mlehash(commandLine: String) throws {
        #expect(FileManager.default.isExecutableFile(atPath: Self.oracle), "make deps installs Debian's tboot package")
        let stored = Array(try Data(contentsOf: URL(fileURLWithPath: Self.tboot)))
        let banks: [HashAlgorithm] = [.sha1, .sha256, .sha384, .sha512]
        let ours = try MLEMeasurement.digests(ofFile: stored, commandLine: commandLine, banks: banks)
        for bank in banks {
            #expect(
                ours[bank]?.hex == (try Self.oracleDigest(Self.tboot, bank: bank, commandLine: commandLine)), "\(bank)")
        }
        // The command line is measured: a different one gives another digest.
        let changed = commandLine.isEmpty ? "z" : String(commandLine.dropLast()) + "z"
        let other = try MLEMeasurement.digests(ofFile: stored, commandLine: changed, banks: [.sha256])
        #expect(other[.sha256] != ours[.sha256])
    }

    @Test func hostileFilesAreRefusedNotCrashed() throws {
        let stored = Array(try Data(contentsOf: URL(fileURLWithPath: Self.tboot)))
        let sparse = try MLEMeasurement.unzipIfNeeded(stored)
        let elf = sparse.copy(0..<sparse.count)
        func refused(_ bytes: [UInt8], _ commandLine: String = "") -> MLEMeasurementError? {
            #expect(throws: MLEMeasurementError.self) {
                try MLEMeasurement.digests(ofFile: bytes, commandLine: commandLine, banks: [.sha256])
            }
        }
        _ = refused(Array(stored.prefix(100)))
        _ = refused(Array(elf.prefix(60)))
        // A command line longer than the MLE's area is not modelled.
        #expect(refused(stored, String(repeating: "x", count: 511)) == .commandLineTooLong(limit: 510))
        // The first program header's memory size made huge.
        var wild = elf
        let table = Int(wild[28]) | Int(wild[29]) << 8
        for i in 0..<4 { wild[table + 20 + i] = 0xFF }
        _ = refused(wild)
        // No MLE header anywhere.
        var noHeader = elf
        var index = 0
        while index + 16 <= noHeader.count {
            if noHeader[index..<(index + 16)].elementsEqual(MLEMeasurement.headerUUID) { noHeader[index] ^= 0xFF }
            index += 1
        }
        #expect(refused(noHeader) == .noMLEHeader)
    }
}
