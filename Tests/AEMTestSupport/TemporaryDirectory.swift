import Foundation

/// A scratch folder removed when the value is released.
public final class TemporaryDirectory: @unchecked Sendable {
    public let url: URL
    public var path: String { url.path }
    private let removeOnRelease: Bool

    public init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("aem-reseal-test-\(UUID().uuidString)")
        removeOnRelease = true
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// Works in an existing folder and leaves it in place (the demo).
    public init(keeping path: String) throws {
        url = URL(fileURLWithPath: path)
        removeOnRelease = false
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit {
        if removeOnRelease { try? FileManager.default.removeItem(at: url) }
    }

    public func path(_ relative: String) -> String { url.appendingPathComponent(relative).path }

    @discardableResult
    public func write(_ relative: String, _ bytes: [UInt8], mode: Int = 0o644) throws -> String {
        let file = url.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: file)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: file.path)
        return file.path
    }

    @discardableResult
    public func write(_ relative: String, _ text: String, mode: Int = 0o644) throws -> String {
        try write(relative, Array(text.utf8), mode: mode)
    }

    public func read(_ relative: String) throws -> [UInt8] {
        Array(try Data(contentsOf: url.appendingPathComponent(relative)))
    }

    /// Sets a file's modification time (seconds since 1970).
    public func touch(_ relative: String, modified: Date) throws {
        try FileManager.default.setAttributes([.modificationDate: modified], ofItemAtPath: path(relative))
    }
}
