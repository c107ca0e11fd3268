import AEMTestSupport
import Foundation
import Testing

@testable import AEMCore

/// The project's own generator and samples, evaluated as GRUB would.
@Suite struct ShippedGrubSnippetTests {
    @Test func generatedConfigurationDefaultsToTheAEMEntryWithEveryModule() throws {
        let tree = try BootTree()
        try tree.installXen("4.17.3", seed: 1)
        try tree.installXen("4.17.2", seed: 3)
        try tree.installKernel("6.6.21", seed: 10)
        try tree.installKernel("6.1.75", seed: 12)
        try tree.writeGrubConfiguration()
        let grub = try GrubConfiguration.load(
            GrubEvaluationSettings(bootDirectory: tree.boot, configurationFile: tree.boot + "/grub2/grub.cfg"))
        let selection = try #require(grub.defaultEntry())
        let entry = try grub.boot(selection)
        #expect(entry.title == "AEM Qubes, with Xen hypervisor")
        #expect(entry.isAEMEntry)
        #expect(entry.kernelArguments == ["placeholder", "logging=memory,serial"])
        #expect(
            entry.modules.map(\.path) == [
                "/xen-4.17.3.gz", "/vmlinuz-6.6.21", "/initramfs-6.6.21.img", "/GM45_GS45_PM45_SINIT_51.BIN",
            ])
        #expect(entry.modules[0].commandLine == tree.expectedXenCommandLine())
        #expect(entry.modules[1].commandLine == tree.expectedKernelCommandLine())
        #expect(entry.modules[2].commandLine == "")

        // Every Xen and kernel pair has an entry and a recovery entry in the submenus.
        let aem = grub.bootableEntries().filter(\.1.isAEMEntry)
        #expect(aem.count == 1 + 2 * 2 * 2)
        let older = try #require(
            grub.entry(
                named:
                    "gnulinux-advanced-\(BootTree.deviceID)>xen-hypervisor-4.17.2-\(BootTree.deviceID)>xen-gnulinux-6.1.75-recovery-\(BootTree.deviceID)"
            ))
        let recovery = try grub.boot(older)
        #expect(recovery.modules[0].path == "/xen-4.17.2.gz")
        #expect(recovery.modules[1].commandLine.contains(" single "))
    }

    @Test(arguments: ["qubes-r4.2-aem.cfg"])
    func sampleConfigurationsEvaluate(sample: String) throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write(
            "grub2/grub.cfg",
            try String(contentsOfFile: Fixtures.project("grub-snippets/samples/\(sample)"), encoding: .utf8))
        try directory.write(
            "grub2/grubenv",
            "# GRUB Environment Block\nsaved_entry=xen-gnulinux-simple-2f9e4a1c-0b7d-4e5a-9c3b-8d6f1e2a4b5c\n"
                + String(repeating: "#", count: 900))
        try FileManager.default.createDirectory(atPath: directory.path("aem"), withIntermediateDirectories: true)
        let grub = try GrubConfiguration.load(
            GrubEvaluationSettings(bootDirectory: directory.path, configurationFile: file))
        let entry = try grub.boot(try #require(grub.defaultEntry()))
        #expect(entry.isAEMEntry)
        #expect(entry.modules.count == 4)
        #expect(entry.modules[0].commandLine.hasPrefix("placeholder console=none"))

        // Without /aem on the boot partition the AEM entries do not exist.
        try FileManager.default.removeItem(atPath: directory.path("aem"))
        let plain = try GrubConfiguration.load(
            GrubEvaluationSettings(bootDirectory: directory.path, configurationFile: file))
        #expect(!(try plain.boot(try #require(plain.defaultEntry())).isAEMEntry))
    }
}
