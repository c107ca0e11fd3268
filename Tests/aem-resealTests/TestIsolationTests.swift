import AEMTestSupport
import Foundation
import Testing

/// The test suites share one machine: its loopback ports, its loop devices
/// and the mount table each new mount namespace copies. These check the
/// mechanisms that keep suites run side by side (in one `swift test` and in
/// several) from colliding, with real processes, mounts and `flock`.
@Suite(.serialized) struct TestIsolationTests {
    /// Whether another process (util-linux's flock, not this code) could
    /// take the machine-wide lock `name` right now.
    static func anotherProcessCanTake(_ name: String) throws -> Bool {
        try Command.run("flock", ["--nonblock", try MachineLocks.path(name), "true"]).status == 0
    }

    /// Runs `script` in `sandbox` on another thread; returns once the
    /// script has started (the sandbox is set up), with a wait for its end.
    static func startInBackground(_ script: String, in sandbox: Dom0Sandbox) throws -> DispatchGroup {
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            _ = try? sandbox.run(["sh", "-c", ": >/tmp/started; " + script])
            group.leave()
        }
        let started = sandbox.dom0Tmp + "/started"
        for _ in 0..<1500 {
            guard !FileManager.default.fileExists(atPath: started) else { break }
            usleep(20_000)
        }
        guard FileManager.default.fileExists(atPath: started) else {
            throw Command.Failure(description: "the sandbox did not start within 30 s")
        }
        return group
    }

    @Test func reservedPortsAreHeldForOtherProcessesUntilReleased() throws {
        var reservation: PortReservation? = try PortReservation(count: 2)
        let first = try #require(reservation?.first)
        #expect(first >= 20000 && first + 1 < 32768, "below the ephemeral range")
        #expect(try !Self.anotherProcessCanTake("port-\(first)"))
        #expect(try !Self.anotherProcessCanTake("port-\(first + 1)"))
        // Nobody in this process gets them either.
        let others = try (0..<50).map { _ in try PortReservation(count: 2) }
        for other in others { #expect(other.first > first + 1 || other.first + 1 < first) }
        reservation = nil
        #expect(try Self.anotherProcessCanTake("port-\(first)"))
        #expect(try Self.anotherProcessCanTake("port-\(first + 1)"))
    }

    /// A new mount namespace copies another test's mounted media, and the
    /// copy keeps the file system alive read-write: that test's read-only
    /// mount at its next boot fails ("already mounted or mount point
    /// busy", issue 30's race). A sandbox drops such copies before its
    /// command runs.
    @Test func aSandboxHoldsNoOtherTestsMediaWhileItRuns() throws {
        let other = try TemporaryDirectory()
        let media = try LoopDevice.ext4(in: other, name: "media", label: "other", uuid: UUID().uuidString)
        try FileManager.default.createDirectory(atPath: other.path("ro"), withIntermediateDirectories: true)
        func mountReadOnly() throws -> CLI.Result {
            let result = try Command.run("mount", ["-o", "ro", media.device, other.path("ro")])
            if result.status == 0 { try Command.check("umount", [other.path("ro")]) }
            return result
        }

        // Unmounting and mounting read-only under the namespace lock, as a
        // test's boot does by entering its initramfs sandbox: no other
        // suite's sandbox is between its copy and its dropping meanwhile.
        func unmountAndMountReadOnly() throws -> CLI.Result {
            try MachineLocks.withLock("mount-namespace") {
                try media.unmount()
                return try mountReadOnly()
            }
        }

        // The hazard: a plain copy of the mount table holds the media.
        try media.mount(at: other.path("mounted"))
        let copy = try Process.run(
            URL(fileURLWithPath: "/usr/bin/unshare"), arguments: ["--mount", "--propagation", "private", "sleep", "3"])
        usleep(500_000)
        let underACopy = try unmountAndMountReadOnly()
        copy.waitUntilExit()
        #expect(underACopy.status != 0 && underACopy.stderr.contains("already mounted"), "\(underACopy.stderr)")

        // A sandbox, set up while the media was mounted, holds no copy of it.
        try media.mount(at: other.path("mounted"))
        let sandbox = try Dom0Sandbox(tree: try BootTree())
        let running = try Self.startInBackground("sleep 3", in: sandbox)
        let underASandbox = try unmountAndMountReadOnly()
        running.wait()
        #expect(underASandbox.status == 0, "\(underASandbox.stderr)")
    }

    /// Sandboxes enter one at a time (the copy and the dropping of other
    /// tests' mounts under the machine-wide lock), and release the lock
    /// before their command runs.
    @Test func aSandboxEntersUnderTheNamespaceLockAndReleasesIt() throws {
        let sandbox = try Dom0Sandbox(tree: try BootTree())
        let holder = try Process.run(
            URL(fileURLWithPath: "/usr/bin/flock"), arguments: [try MachineLocks.path("mount-namespace"), "sleep", "2"])
        for _ in 0..<250 {
            guard try Self.anotherProcessCanTake("mount-namespace") else { break }
            usleep(20_000)
        }
        #expect(try !Self.anotherProcessCanTake("mount-namespace"), "flock holds it")
        let start = Date()
        let waited = try sandbox.run(["true"])
        #expect(waited.status == 0, "\(waited.stderr)")
        #expect(Date().timeIntervalSince(start) > 1.5, "the sandbox waited for the lock's holder")
        holder.waitUntilExit()

        // Other suites' sandboxes take the lock for a moment as they enter:
        // within 4 s of this one's command, it is free at some point.
        let running = try Self.startInBackground("sleep 5", in: sandbox)
        var released = false
        for _ in 0..<100 where !released {
            released = try Self.anotherProcessCanTake("mount-namespace")
            if !released { usleep(40_000) }
        }
        #expect(released, "released while the command runs")
        running.wait()
    }
}
