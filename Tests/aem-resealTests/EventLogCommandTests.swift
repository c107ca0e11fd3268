import AEMTestSupport
import Foundation
import Testing

@Suite struct EventLogCommandTests {
    @Test func replayJSONKeepsTheInterfaceKeys() throws {
        let result = try CLI.run(["eventlog", "replay", "--json", Fixtures.path("tboot/tpm2-da.eventlog-tcg.bin")])
        #expect(result.status == 0)
        let json = try result.json()
        #expect(json["format"] as? String == "tcg2")
        #expect(json["events"] as? Int == 19)
        let pcrs = try #require(json["pcrs"] as? [String: [String: String]])
        #expect(pcrs["sha256"]?["17"] == "38e62bf496501f025632d84988f10f2056d266376ceb19ee7737e344fe64f960")
        #expect(pcrs["sha1"]?["18"] == "c4ccc6d2db76c91a4b281ca0fef939740ba7ce3b")
    }

    @Test(arguments: [
        ("tboot/tpm12-legacy.memlog.bin", "tboot-memlog"), ("tboot/tpm12-legacy.txt-stat.txt", "tboot-text"),
        ("tboot/tpm12-legacy.eventlog-txt12.bin", "txt12"), ("eventlogs/srtm/event-uefi-sha1-log.bin", "tcg1"),
    ])
    func replayNamesTheFormat(file: String, format: String) throws {
        let result = try CLI.run(["eventlog", "replay", "--json", Fixtures.path(file)])
        #expect(result.status == 0)
        #expect(try result.json()["format"] as? String == format)
    }

    @Test func showListsEveryEventWithDigestsAndData() throws {
        let result = try CLI.run(["eventlog", "show", Fixtures.path("tboot/tpm12-legacy.eventlog-txt12.bin")])
        #expect(result.status == 0)
        #expect(result.stdout.contains("TXT_HASH_START"))
        #expect(result.stdout.contains("e111e06e367208a2c2c0c164a05ca933732ba39c"))
        #expect(result.stdout.contains("\"4f3463d5fd7539ef"))
        let rows = result.stdout.split(separator: "\n").filter { $0.contains("TXT_") || $0.contains("TBOOT_") }
        #expect(rows.count == 9)

        let json = try CLI.run(["eventlog", "show", "--json", Fixtures.path("tboot/tpm12-legacy.eventlog-txt12.bin")])
            .json()
        let events = try #require(json["events"] as? [[String: Any]])
        #expect(events.count == 9)
        #expect(events[0]["typeName"] as? String == "TXT_HASH_START")
        #expect((events[0]["digests"] as? [String: String])?["sha1"] == "e111e06e367208a2c2c0c164a05ca933732ba39c")
    }

    @Test func warningsGoToStandardError() throws {
        let result = try CLI.run(["eventlog", "replay", Fixtures.path("eventlogs/srtm/event-arch-linux.bin")])
        #expect(result.status == 0)
        #expect(result.stderr.contains("event 24"))
        #expect(!result.stdout.contains("event 24"))
    }

    @Test func malformedInputsExitTwoWithAMessage() throws {
        let dir = try TemporaryDirectory()
        let original = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("tboot/tpm2-da.eventlog-tcg.bin")))
        var oversized = [UInt8](original)
        // The data size of the last event: make it far larger than the file.
        oversized.replaceSubrange((oversized.count - 4)..<oversized.count, with: [0xF0, 0xFF, 0xFF, 0x7F])
        let cases: [(String, [UInt8], String)] = [
            ("truncated.bin", Array(original.prefix(original.count - 10)), "truncated event log at offset"),
            ("oversized.bin", oversized, "data size of event"),
            ("garbage.bin", Array("this is just some text\n".utf8), "unrecognized event log format"),
            ("empty.bin", [], "empty"),
        ]
        for (name, bytes, message) in cases {
            let path = try dir.write(name, bytes)
            for command in ["show", "replay"] {
                let result = try CLI.run(["eventlog", command, path])
                #expect(result.status == 2, "\(name) \(command)")
                #expect(result.stderr.contains(message), "\(name): \(result.stderr)")
                #expect(result.stdout.isEmpty)
            }
        }
        let missing = try CLI.run(["eventlog", "replay", dir.path + "/missing.bin"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("No such file"))
    }
}
