import AEMCore
import Foundation

/// Xen's console messages of this boot, where Xen prints its command line
/// and TrenchBoot's Xen says where it reserved the DRTM event log: Qubes'
/// copy of the hypervisor console (`/var/log/xen/console/hypervisor.log`,
/// under --root) when it holds either, else on the real system `xl dmesg`,
/// as TrenchBoot AEM's own dump script reads it.
enum XenConsole {
    /// The console's text; nil when neither the copy nor `xl dmesg` has
    /// it (the locator then says so among the places it tried). A copy
    /// that exists but cannot be read is an error.
    static func read(_ layout: SystemLayout) throws(CycleError) -> String? {
        let copy = layout.path("var/log/xen/console/hypervisor.log")
        let bytes: [UInt8]?
        do {
            bytes = try FileBytes.readIfPresent(copy, limit: 16 << 20)
        } catch {
            throw .unreadable(.xenConsole, path: copy, detail: "\(error.reason)")
        }
        // The locator and BootedCommandLines parse it; here it only matters whether the copy has them.
        if let bytes {
            let text = String(decoding: bytes, as: UTF8.self)
            if text.contains(SlaunchEventLogRange.marker) || text.contains(BootedCommandLines.xenMarker) { return text }
        }
        guard layout.root == "/", FileManager.default.isExecutableFile(atPath: "/usr/sbin/xl") else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/xl")
        process.arguments = ["dmesg"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        // xl that cannot start: no console, which the locator reports among the places it tried.
        guard (try? process.run()) != nil else { return nil }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return process.terminationStatus == 0 ? String(decoding: data, as: UTF8.self) : nil
    }
}
