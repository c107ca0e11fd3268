import Synchronization

/// The work one run may spend on input an attacker controls (/boot is
/// writable while the machine is off): bytes read and decompressed from
/// its files. Every reader of such input charges the one budget of its
/// run, so no planted file, nor many of them together, can make a run
/// long: when it is spent the run stops with `WorkBudgetExceeded`, a
/// refusal that names what spent it, never a silent cut.
///
/// The limits sit far above what a genuine boot costs (Xen, a kernel and
/// an initramfs load a few hundred MB; `docs/reliability.md` has the
/// figures) and keep a hostile run within seconds.
public final class WorkBudget: Sendable {
    /// What a budget counts.
    public enum Resource: String, Sendable, Equatable {
        /// Bytes read from files and produced by decompressing them.
        case bytes
    }

    private let limits: [Resource: Int64]
    private let spent = Mutex<[Resource: Int64]>([:])
    /// The budget this one is a part of: what is spent here is spent there too.
    private let parent: WorkBudget?

    /// A budget of at most `limits` per resource, a part of `parent`.
    public init(limits: [Resource: Int64], within parent: WorkBudget? = nil) {
        self.limits = limits
        self.parent = parent
    }

    /// A budget of at most `bytes` bytes read and decompressed, a part of `parent`.
    public convenience init(bytes: Int64, within parent: WorkBudget? = nil) {
        self.init(limits: [.bytes: bytes], within: parent)
    }

    /// One prediction: every module, the MLE and the search for booted
    /// files together (a genuine boot loads a few hundred MB).
    public static func prediction() -> WorkBudget { WorkBudget(bytes: 4 << 30) }

    /// No bound (for inputs the user names, and for tests of other limits).
    public static func unbounded() -> WorkBudget { WorkBudget(limits: [:]) }

    /// Charges `amount` of `resource` spent on `path`; throws once the
    /// total passes the limit.
    public func spend(_ amount: Int, of resource: Resource = .bytes, on path: String) throws(WorkBudgetExceeded) {
        try parent?.spend(amount, of: resource, on: path)
        let total = spent.withLock { spent in
            spent[resource, default: 0] += Int64(amount)
            return spent[resource]!
        }
        if let limit = limits[resource], total > limit {
            throw WorkBudgetExceeded(resource: resource, limit: limit, path: path)
        }
    }

    /// What is left of `resource`; nil when it is not bounded.
    public func remaining(_ resource: Resource = .bytes) -> Int64? {
        guard let limit = limits[resource] else { return nil }
        return max(0, limit - spent.withLock { $0[resource, default: 0] })
    }
}

/// A run's `WorkBudget` was spent: `limit` of `resource`, the last of it
/// on `path`. A refusal, like any hostile input.
public struct WorkBudgetExceeded: Error, Sendable, Equatable, CustomStringConvertible {
    public var resource: WorkBudget.Resource
    public var limit: Int64
    /// The file whose reading passed the limit.
    public var path: String

    public var description: String {
        switch resource {
        case .bytes:
            return "reading \(path) passed this run's bound of \(limit) bytes read and decompressed from /boot "
                + "(hostile input?); nothing was predicted from it"
        }
    }
}
