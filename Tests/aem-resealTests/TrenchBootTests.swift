import AEMCore
import AEMTestSupport
import Foundation
import Testing

/// TrenchBoot on Intel TXT with a TPM 2.0, against swtpm: the predicted
/// PCR 17 equals what the simulated next boot extends (the TPM is the
/// judge; Xen's MLE digest comes from lcp2_mlehash, the modules from
/// Python), PCR 18 is said to be unpredictable, and the transition seal
/// (PCR 13 and 17) opens with stock AEM's commands on the new boot.
@Suite(.serialized) struct TrenchBootTests {
    static let kernel = "6.6.21"

    struct World: @unchecked Sendable {
        var tree: BootTree
        var tpm: SoftwareTPM
        var log: String

        func run(_ command: String, _ extra: [String] = []) throws -> CLI.Result {
            try CLI.run([command, "--root", tree.root, "--tcti", tpm.tcti, "--event-log", log] + extra)
        }

        /// Power cycle and boot `xen` and `kernel` through TrenchBoot.
        func reboot(xen: String, kernel: String = TrenchBootTests.kernel, mbiSeed: UInt8) throws {
            try tpm.powerCycle()
            try tree.startBoot()
            _ = try TrenchBootSimulator.boot(tree.trenchBootChain(xen: xen, kernel: kernel, mbiSeed: mbiSeed), on: tpm)
        }

        /// PCR values read with tpm2_pcrread.
        func livePCR(_ bank: String, _ pcr: UInt32) throws -> String {
            let yaml = try tpm.tool("tpm2_pcrread", ["\(bank):\(pcr)"])
            let line = try #require(yaml.split(separator: "\n").first { $0.trimmingCharacters(in: .whitespaces).hasPrefix("\(pcr):") })
            return String(line.split(separator: ":").last!.trimmingCharacters(in: .whitespaces).dropFirst(2)).lowercased()
        }
    }

    /// Booted Xen 4.17.3 and dom0 6.6.21 through TrenchBoot, with stock
    /// AEM's seal (13, 17, 18) on disk and media.
    static func booted() throws -> World {
        let tree = try BootTree()
        try tree.installTrenchBootXen("4.17.3", seed: 1)
        try tree.installKernel(kernel, seed: 10)
        try tree.writeTrenchBootGrubConfiguration(xen: "4.17.3", kernel: kernel)
        try tree.installAEM(srkPassword: "pw")
        let tpm = try SoftwareTPM()
        try StockAEM.provisionSRK(on: tpm, password: "pw")
        let log = try tree.directory.write(
            "drtm.log", try TrenchBootSimulator.boot(tree.trenchBootChain(xen: "4.17.3", kernel: kernel, mbiSeed: 1), on: tpm))
        try StockAEM.seal(on: tpm, plaintext: tree.plaintextSecrets, sealed: tree.sealedSet, pcrs: [13, 17, 18], srkPassword: "pw")
        try tree.copySealedSetToMedia()
        return World(tree: tree, tpm: tpm, log: log)
    }

    enum Update: String, CaseIterable, Sendable {
        case xen, kernel, initramfs

        /// Applies the update; returns the (xen, kernel) the entry now boots.
        func apply(to tree: BootTree) throws -> (String, String) {
            switch self {
            case .xen:
                try tree.installTrenchBootXen("4.17.4", seed: 2)
                try tree.writeTrenchBootGrubConfiguration(xen: "4.17.4", kernel: TrenchBootTests.kernel)
                return ("4.17.4", TrenchBootTests.kernel)
            case .kernel:
                try tree.installKernel("6.6.22", seed: 20)
                try tree.writeTrenchBootGrubConfiguration(xen: "4.17.3", kernel: "6.6.22")
                return ("4.17.3", "6.6.22")
            case .initramfs:
                try tree.rebuildInitramfs(TrenchBootTests.kernel, seed: 77)
                return ("4.17.3", TrenchBootTests.kernel)
            }
        }
    }

    @Test(arguments: Update.allCases)
    func predictedPCR17IsWhatTheNextBootExtends(update: Update) throws {
        let world = try Self.booted()
        let (xen, kernel) = try update.apply(to: world.tree)
        let predict = try world.run("predict", ["--json"])
        #expect(predict.status == 0, "\(predict.stderr)")
        let json = try predict.json()
        #expect(json["flow"] as? String == "trenchboot-intel")
        #expect((json["selfCheck"] as? [String: Any])?["status"] as? String == "ok", "\(predict.stdout)")
        let pcrs = try #require(json["pcrs"] as? [String: [String: [String: String]]])
        #expect((json["unpredictablePcrs"] as? [String: String])?["18"]?.contains("multiboot2 information") == true)
        #expect(pcrs["sha256"]?["18"]?["predicted"] == nil)

        try world.reboot(xen: xen, kernel: kernel, mbiSeed: 2)
        for bank in ["sha1", "sha256"] {
            let predicted = try #require(pcrs[bank]?["17"]?["predicted"], "\(bank)")
            #expect(predicted == (try world.livePCR(bank, 17)), "\(update) \(bank)")
        }
    }
}
