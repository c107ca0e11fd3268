import AEMTestSupport
import Foundation
import Testing

@testable import AEMCore

/// The ordered list of event-log forms: each sample decodes in the format
/// its source says (the first form that claims it is the right one); input
/// no form claims is refused naming every form.
struct EventLogEncodingsTests {
    /// Samples (Tests/Fixtures, see its README) and the format their source says they are.
    static let samples: [(String, EventLogFormat)] = [
        ("eventlogs/srtm/event.bin", .tcg2),
        ("eventlogs/srtm/event-uefi-sha1-log.bin", .tcg1),
        ("eventlogs/srtm-unlabelled/debian-10.bin", .tcg1),
        ("tboot/tpm2-da.eventlog-tcg.bin", .tcg2),
        ("tboot/tpm12-legacy.eventlog-txt12.bin", .txt12),
        ("tboot/tpm12-legacy.memlog.bin", .tbootMemoryLog),
        ("tboot/tpm2-da-compressed.memlog.bin", .tbootMemoryLog),
        ("tboot/tpm2-da-compressed.txt-stat.txt", .tbootText),
    ]

    @Test(arguments: samples.map(\.0))
    func eachSampleIsClaimedByItsOwnForm(sample: String) throws {
        let bytes = try Fixtures.bytes(sample)
        let format = try #require(Self.samples.first { $0.0 == sample }?.1)
        let claiming = EventLogEncodings.all.filter { $0.matches(bytes) }.map { $0.displayName }
        #expect(!claiming.isEmpty)
        #expect(try EventLogDecoder.decode(bytes).log.format == format, "claimed by \(claiming)")
    }

    @Test func inputNoFormClaimsIsRefusedNamingEveryForm() {
        let text = Array("just some text, nothing like an event log at all\n".utf8)
        #expect(EventLogEncodings.encoding(of: text) == nil)
        do {
            _ = try EventLogDecoder.decode(text)
            Issue.record("decoded")
        } catch {
            for name in [
                "TCG crypto-agile log", "TCG 1.2 log", "TXT event container", "TXT legacy log",
                "tboot memory-log image", "tboot log text",
            ] {
                #expect(error.description.contains(name), "\(error.description)")
            }
        }
    }

    @Test func txtStatWithoutATbootLogSaysWhy() {
        let text = Array("Intel(r) TXT Configuration Registers:\n\tSTS: 0x0001\n".utf8)
        do {
            _ = try EventLogDecoder.decode(text)
            Issue.record("decoded")
        } catch {
            #expect(error.description.contains("tboot did not launch this boot"), "\(error.description)")
        }
    }
}
