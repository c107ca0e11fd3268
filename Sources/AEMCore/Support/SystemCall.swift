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
