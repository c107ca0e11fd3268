import AEMCore
import AEMTPM

/// A software TPM the boot simulator can launch a chain on: TPM 2.0 or 1.2.
public protocol DynamicLaunchTPM {
    /// GETSEC[SENTER]'s HASH_START: PCRs 17-22 reset, PCR 17 = H(0 || H(data)).
    func hashStart(_ data: String) throws
    /// Extends each PCR with its digests at `locality`, then goes back to
    /// locality 0. A TPM 1.2 takes the SHA-1 digest only.
    func extend(_ measurements: [(pcr: UInt32, digests: [Digest])], atLocality locality: UInt8) throws
}

extension SoftwareTPM: DynamicLaunchTPM {
    public func extend(_ measurements: [(pcr: UInt32, digests: [Digest])], atLocality locality: UInt8) throws {
        let connection = try connect()
        try connection.setLocality(locality)
        for measurement in measurements { try connection.extend(pcr: measurement.pcr, with: measurement.digests) }
        try connection.setLocality(0)
    }
}

extension SoftwareTPM12: DynamicLaunchTPM {
    public func extend(_ measurements: [(pcr: UInt32, digests: [Digest])], atLocality locality: UInt8) throws {
        try setLocality(locality)
        defer { try? setLocality(0) }
        let connection = try connect()
        for measurement in measurements {
            guard let sha1 = measurement.digests.first(where: { $0.algorithm == .sha1 }) else {
                throw Command.Failure(description: "a TPM 1.2 extends SHA-1 digests only (PCR \(measurement.pcr))")
            }
            try connection.extend(pcr: measurement.pcr, with: sha1)
        }
    }
}
