/// Why a boot module could not be loaded the way GRUB would load it.
public struct ModuleLoadError: Error, Equatable, Sendable, CustomStringConvertible {
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "module \(path): \(reason)" }
}
