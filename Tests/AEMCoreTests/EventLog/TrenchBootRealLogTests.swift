import AEMTestSupport
import Foundation
import Testing

@testable import AEMCore

/// Real TrenchBoot AMD launches (drtm-tests, v0.5.3-rc1): the logs replay
/// to the PCR values `tpm2_pcrread` returned in those boots, the SKL's and
/// Xen's 0x502 events are named, and the Xen log is recognised as
/// TrenchBoot on AMD.
@Suite struct TrenchBootRealLogTests {
    static let logs = ["eventlog-xen-v0.5.3-rc1.hex", "eventlog-linux-v0.5.3-rc1.hex"]

    static func log(_ name: String) throws -> EventLog {
        let text = String(decoding: try Fixtures.bytes("eventlogs/trenchboot/" + name), as: UTF8.self)
        let bytes = try #require(Hex.decode(text.filter { !$0.isWhitespace }))
        return try EventLogDecoder.decode(bytes).log
    }

    @Test(arguments: logs)
    func replaysToThePublishedPCRs(name: String) throws {
        let expected = try JSONDecoder().decode(
            [String: [String: [String: String]]].self,
            from: Data(try Fixtures.bytes("eventlogs/trenchboot/expected-pcrs.json")))
        let published = try #require(expected[name])
        let replayed = EventLogReplay.replay(try Self.log(name))
        for (bank, pcrs) in published {
            for (pcr, value) in pcrs {
                #expect(
                    replayed[try #require(HashAlgorithm(name: bank)), try #require(UInt32(pcr))]?.hex == value,
                    "\(name) \(bank) PCR \(pcr)")
            }
        }
    }

    @Test func theSKLsAndXensEventsAreNamed() throws {
        let events = try Self.log("eventlog-xen-v0.5.3-rc1.hex").events.filter { $0.type == .slaunchMeasurement }
        #expect(
            events.map(SlaunchEventMeaning.describe) == [
                "SKL: itself, as SKINIT measured it", "SKL: Xen's entry point",
                "SKL: Xen, the dynamic launch measured environment",
                "Xen: GRUB's multiboot2 information (MBI)", "Xen: its command line",
                "Xen: a module's string (its command line)",
                "Xen: a multiboot2 module, as GRUB loaded it",
            ])
    }

    @Test func theXenLogIsTrenchBootOnAMD() throws {
        let (flow, layout) = try #require(BootFlows.detect(in: try Self.log("eventlog-xen-v0.5.3-rc1.hex")))
        #expect(flow.name == "trenchboot-amd")
        #expect(layout.moduleEvents.count == 1)
        #expect(flow.unpredictablePCRs[18] != nil)
    }
}
