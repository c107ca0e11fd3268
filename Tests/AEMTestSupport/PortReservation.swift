import Foundation

/// Consecutive loopback ports held by one test object for as long as it
/// lives, for the daemon it starts there (swtpm, tcsd, a relay). Checking
/// that a port is free and the daemon binding it are two steps: test
/// processes side by side could pick the same port between them. So each
/// port is also a machine-wide lock (`MachineLocks`), taken before the
/// check and kept until the object is released. The ports lie below the
/// kernel's ephemeral range (`ip_local_port_range`, from 32768), where no
/// outgoing connection takes one.
public final class PortReservation: @unchecked Sendable {
    /// The first port; the others follow it.
    public let first: Int
    public let count: Int
    private let locks: [Int32]

    /// Where ports are chosen: below the ephemeral range.
    static let range = 20000..<32000

    /// Reserves `count` consecutive free ports.
    public init(count: Int) throws {
        for _ in 0..<1000 {
            let port = Int.random(in: Self.range.lowerBound..<(Self.range.upperBound - count))
            var taken = [Int32]()
            for candidate in port..<(port + count) {
                guard let lock = try MachineLocks.take("port-\(candidate)") else { break }
                taken.append(lock)
            }
            if taken.count == count, (port..<(port + count)).allSatisfy(LoopbackPorts.isFree) {
                first = port
                self.count = count
                locks = taken
                return
            }
            for lock in taken { close(lock) }
        }
        throw Command.Failure(description: "no \(count) adjacent free ports on loopback")
    }

    deinit { for lock in locks { close(lock) } }
}
