// aem-demo-helper: the parts of `make demo` that stand in for a real
// machine. It builds the example dom0 tree, "boots" its AEM chain on a
// running swtpm (as SINIT, tboot and AEM would extend the PCRs), and
// installs updates. Test tooling: never part of the installed tool.
import AEMTestSupport
import Foundation

func usage() -> Never {
    FileHandle.standardError.write(
        Data(
            """
            usage: aem-demo-helper make-example DIR
                   aem-demo-helper boot DIR PORT XEN KERNEL LOG [TBOOT-TEXT]
                   aem-demo-helper reboot DIR PORT XEN KERNEL LOG [TBOOT-TEXT]
                   aem-demo-helper install-xen DIR VERSION SEED
                   aem-demo-helper regenerate-grub DIR

            """.utf8))
    exit(64)
}

let arguments = Array(CommandLine.arguments.dropFirst())
guard let command = arguments.first else { usage() }
do {
    switch (command, arguments.count) {
    case ("make-example", 2):
        let tree = try BootTree(seal: "--pcr 13 --pcr 17 --pcr 18", at: arguments[1], sizeDivisor: 8)
        try tree.installXen("4.17.3", seed: 1)
        try tree.installKernel("6.6.21-1.qubes.fc37.x86_64", seed: 10)
        try tree.writeGrubConfiguration()
        try tree.directory.write("sys/hypervisor/version/major", "4\n")
        try tree.directory.write("sys/hypervisor/version/minor", "17\n")
        try tree.directory.write("sys/hypervisor/version/extra", ".3\n")
        try tree.directory.write("proc/sys/kernel/osrelease", "6.6.21-1.qubes.fc37.x86_64\n")
        try tree.installAEM(srkPassword: "", secrets: ["txt": Array(BootTree.secretText.utf8)])
        try tree.directory.write(
            "usr/lib/systemd/system/basic.target.wants/anti-evil-maid-seal.service",
            "# stock AEM's seal service, enabled\n")
    case ("boot", 6), ("boot", 7), ("reboot", 6), ("reboot", 7):
        let tree = try BootTree(opening: arguments[1])
        guard let port = Int(arguments[2]) else { usage() }
        let tpm = try SoftwareTPM(attachingTo: port)
        if command == "reboot" { try tpm.powerCycle() }
        try tree.startBoot()
        let boot = try BootSimulator.simulate(
            tree.chain(flow: .detailsAuthorities, xen: arguments[3], kernel: arguments[4]), on: tpm)
        try Data(boot.log).write(to: URL(fileURLWithPath: arguments[5]))
        if arguments.count == 7 { try Data(boot.tbootText).write(to: URL(fileURLWithPath: arguments[6])) }
    case ("install-xen", 4):
        let tree = try BootTree(opening: arguments[1])
        guard let seed = UInt8(arguments[3]) else { usage() }
        try tree.installXen(arguments[2], seed: seed)
        try tree.writeGrubConfiguration()
    case ("regenerate-grub", 2):
        try BootTree(opening: arguments[1]).writeGrubConfiguration()
    default:
        usage()
    }
} catch {
    FileHandle.standardError.write(Data("aem-demo-helper: \(error)\n".utf8))
    exit(1)
}
