import AEMTestSupport
import Foundation
import Testing

@testable import AEMCore

/// Event logs of real machines from go-attestation, each replayed to the PCR
/// values its source published: a TPM quote of the same boot (the dumps) or
/// the values go-attestation's own test verifies the log against.
@Suite struct RealWorldLogTests {
    /// go-attestation's dump shape: `Log.Raw` (base64 log) and `Log.PCRs`;
    /// the property names are its Go field names.
    // swift-format-ignore: AlwaysUseLowerCamelCase
    struct Dump: Decodable {
        struct Log: Decodable {
            struct PCR: Decodable {
                let Index: UInt32
                let Digest: String
                let DigestAlg: Int
            }
            let PCRs: [PCR]
            let Raw: String?
        }
        let Log: Log
    }

    static let tpmQuoteDumps = ["go-attestation/windows_gcp_shielded_vm.json", "go-attestation/linux_tpm12.json"]

    /// The published SHA-1 values by PCR (DigestAlg 3 is Go's crypto.SHA1).
    static func publishedSHA1(_ dump: Dump) throws -> [UInt32: String] {
        var values = [UInt32: String]()
        for pcr in dump.Log.PCRs where pcr.DigestAlg == 3 {
            let bytes = try #require(Data(base64Encoded: pcr.Digest))
            values[pcr.Index] = bytes.map { String(format: "%02x", $0) }.joined()
        }
        return values
    }

    static func dump(_ relative: String) throws -> Dump {
        try JSONDecoder().decode(Dump.self, from: Data(try Fixtures.bytes("eventlogs/" + relative)))
    }

    @Test(arguments: tpmQuoteDumps)
    func logReplaysToTheQuotedPCRs(path: String) throws {
        let dump = try Self.dump(path)
        let base64 = try #require(dump.Log.Raw)
        let raw = try #require(Data(base64Encoded: base64))
        let published = try Self.publishedSHA1(dump)

        let replayed = EventLogReplay.replay(try EventLogDecoder.decode(Array(raw)).log)
        let extended = replayed.pcrs(in: .sha1)
        #expect(extended.count >= 8, "\(path): the log extends \(extended)")
        for pcr in extended {
            #expect(replayed[.sha1, pcr]?.hex == published[pcr], "\(path) PCR \(pcr)")
        }
    }

    /// A real firmware log with EV_NO_ACTION events on PCR index 0xFFFFFFFF:
    /// accepted, never extended, and the rest replays to the published values.
    @Test func optionROMLogWithNoActionOnPCRFFFFFFFFReplays() throws {
        let decoded = try EventLogDecoder.decode(try Fixtures.bytes("eventlogs/go-attestation/option_rom_eventlog"))
        let oddIndex = decoded.log.events.filter { $0.pcr == 0xFFFF_FFFF }
        #expect(!oddIndex.isEmpty)
        #expect(oddIndex.allSatisfy { $0.type == .noAction && !$0.affectsPCR })

        let published = try Self.publishedSHA1(try Self.dump("go-attestation/option_rom_eventlog.pcrs.json"))
        #expect(published.count == 8)
        let replayed = EventLogReplay.replay(decoded.log)
        for (pcr, hex) in published {
            #expect(replayed[.sha1, pcr]?.hex == hex, "PCR \(pcr)")
        }
    }

    /// The index is only tolerated where it cannot matter.
    @Test func pcrFFFFFFFFOnAMeasuredEventIsRejected() throws {
        var bytes = try Fixtures.bytes("eventlogs/go-attestation/option_rom_eventlog")
        let decoded = try EventLogDecoder.decode(bytes)
        let measured = try #require(decoded.log.events.dropFirst().first { $0.affectsPCR })
        for i in 0..<4 { bytes[measured.offset + i] = 0xFF }
        #expect(throws: EventLogError.self) { try EventLogDecoder.decode(bytes) }
    }
}
