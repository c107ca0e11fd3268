import AEMTestSupport
import Foundation
import Testing

/// The bundled example stays consistent: its recorded boot replays to its
/// recorded PCRs and every module reproduces its measurement.
@Suite struct ExampleTests {
    @Test func bundledExamplePredictsWithItsRecordedPCRs() throws {
        let example = try Fixtures.scratchCopy(of: "Examples/qubes-r4.2-tpm2")
        let root = example.path
        let result = try CLI.run([
            "predict", "--root", root, "--pcrs-file", root + "/current-boot/pcrs.yaml",
            "--event-log", root + "/current-boot/drtm.log", "--tboot-log", root + "/current-boot/txt-stat.txt",
            "--json",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try result.json()
        #expect((json["selfCheck"] as? [String: Any])?["status"] as? String == "ok")
        #expect((json["selfCheck"] as? [String: Any])?["verifiedModules"] as? [Int] == [0, 1, 2])
        #expect((json["changed"] as? [String: [Int]])?.isEmpty == true)
    }
}
