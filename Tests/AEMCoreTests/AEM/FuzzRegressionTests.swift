import AEMTestSupport
import Foundation
import Testing

@testable import AEMCore

/// Inputs on which a fuzz target once crashed (Fuzz/run): each must now
/// give a clear error.
@Suite struct FuzzRegressionTests {
    static func input(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: Fixtures.project("Tests/AEMCoreTests/Regressions/" + name))))
    }

    /// A YAML line that is only ":" split into no parts and indexed past them.
    @Test func pcrFileLineWithOnlyAColon() throws {
        let error = #expect(throws: PCRValuesFileError.self) {
            try PCRValuesFile.parse(try Self.input("pcr-file-colon-line.yaml"))
        }
        #expect(error?.description.contains("line 2") == true)
        #expect(throws: PCRValuesFileError.self) { try PCRValuesFile.parse(Array("sha1:\n:\n".utf8)) }
    }
}
