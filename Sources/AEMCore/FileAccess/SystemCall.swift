import Glibc
import SystemPackage

/// Runs swift-system calls and gives their failure as a typed `Errno`.
///
/// `FileDescriptor`'s methods retry on EINTR by default and throw only
/// `Errno`, but most are declared with untyped `throws`; this narrows them
/// for the typed-throws code around them. The fallback is unreachable with
/// swift-system's own calls.
@inline(__always)
func systemCall<Result>(_ body: () throws -> Result) throws(Errno) -> Result {
    do {
        return try body()
    } catch let errno as Errno {
        throw errno
    } catch {
        throw .ioError
    }
}

/// Runs a C call swift-system lacks (`openat2`, `renameat2`, `flock`,
/// `mkdirat`, ...) that returns -1 and sets `errno` on failure: retried on
/// EINTR, its failure given as a typed `Errno`.
@inline(__always)
func valueOrErrno<Value: FixedWidthInteger>(_ call: () -> Value) throws(Errno) -> Value {
    while true {
        let value = call()
        if value != -1 { return value }
        let failure = Errno(rawValue: Glibc.errno)
        if failure != .interrupted { throw failure }
    }
}
