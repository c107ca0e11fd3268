/// Why `RunLock` could not be taken.
public enum RunLockError: Error, Sendable, CustomStringConvertible {
    /// Another run held the lock for the whole wait; `holder` is what it
    /// wrote into the lock file (command and pid).
    case busy(holder: String)
    /// The lock's folder or file could not be made or opened (a link in
    /// its place is refused, never followed).
    case lockFile(FileAccessError)

    public var description: String {
        switch self {
        case let .busy(holder):
            return
                "another aem-reseal run (\(holder)) is changing the sealed secrets; wait for it to finish and try again"
        case let .lockFile(error): return error.description
        }
    }
}
