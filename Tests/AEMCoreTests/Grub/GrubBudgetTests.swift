import AEMTestSupport
import Foundation
import Testing

@testable import AEMCore

/// One budget bounds the attacker's work across the whole evaluation: the
/// bytes of script read, the statements run, the environment blocks read.
/// Each hostile input is refused with `limitExceeded` well within 10 s.
@Suite struct GrubBudgetTests {
    static func refusal(_ script: String, files: [String: [UInt8]]) throws -> (GrubError?, Duration) {
        let directory = try TemporaryDirectory()
        try directory.write("grub2/grub.cfg", script)
        for (name, bytes) in files { try directory.write(name, bytes) }
        let settings = GrubEvaluationSettings(
            bootDirectory: directory.path, configurationFile: directory.path("grub2/grub.cfg"))
        let clock = ContinuousClock()
        let start = clock.now
        var error: GrubError?
        do {
            let grub = try GrubConfiguration.load(settings)
            _ = try grub.boot(try #require(grub.defaultEntry()))
        } catch let refused as GrubError {
            error = refused
        }
        return (error, clock.now - start)
    }

    /// 400 `source` of a 4 MiB comment file took 70 s before: the bytes
    /// read together are bounded, not only the statements.
    @Test func sourcingABigFileOverAndOverIsRefusedByItsBytes() throws {
        let comments = Array(String(repeating: "# " + String(repeating: "x", count: 1021) + "\n", count: 4096).utf8)
        #expect(comments.count == 4 << 20)
        let script = String(repeating: "source $prefix/comments.cfg\n", count: 400) + "menuentry A { multiboot2 /a }\n"
        let (error, elapsed) = try Self.refusal(script, files: ["grub2/comments.cfg": comments])
        guard case let .limitExceeded(file, line, what, limit)? = error else {
            Issue.record("\(String(describing: error))")
            return
        }
        #expect(what == "the bytes of script read in one evaluation" && limit == 16 << 20)
        #expect(file.hasSuffix("grub2/grub.cfg") && line == 4)
        #expect(elapsed < .seconds(10), "\(elapsed)")
    }

    /// `load_env -f` 29 700 times took 206 s before: environment reads are
    /// counted, in a loop as on many lines.
    @Test(arguments: [true, false])
    func readingAnEnvironmentBlockOverAndOverIsRefused(inALoop: Bool) throws {
        let block = Array("# GRUB Environment Block\nx=1\n".utf8) + [UInt8](repeating: 0x23, count: 994)
        let script =
            inALoop
            ? "for i in " + (1...29_700).map(String.init).joined(separator: " ")
                + "; do load_env -f $prefix/env; done\n"
            : String(repeating: "load_env -f $prefix/env\n", count: 29_700)
        let (error, elapsed) = try Self.refusal(
            script + "menuentry A { multiboot2 /a }\n", files: ["grub2/env": block])
        guard case let .limitExceeded(_, _, what, limit)? = error else {
            Issue.record("\(String(describing: error))")
            return
        }
        #expect(what == "the number of environment blocks read" && limit == 256)
        #expect(elapsed < .seconds(10), "\(elapsed)")
    }

    /// The entry's own run continues the evaluation's budget: what the
    /// menu spent is not given back.
    @Test func theChosenEntrySpendsFromTheSameBudget() throws {
        let block = Array("# GRUB Environment Block\n".utf8) + [UInt8](repeating: 0x23, count: 999)
        let reads = String(repeating: "load_env -f $prefix/env\n", count: 200)
        let script = reads + "menuentry A {\n" + reads + " multiboot2 /a\n}\n"
        let (error, _) = try Self.refusal(script, files: ["grub2/env": block])
        guard case let .limitExceeded(_, _, what, _)? = error else {
            Issue.record("\(String(describing: error))")
            return
        }
        #expect(what == "the number of environment blocks read")
    }
}
