import Foundation

/// GRUB 2's own script engine, run as a user program (Debian's `grub-emu`):
/// the oracle for the project's GRUB evaluation.
///
/// `grub-emu -d DIR -r host` reads `DIR/grub.cfg`, with the host's file
/// system as GRUB's root. The loaders (`multiboot2`, `module2`, ...) do not
/// exist in grub-emu, so GRUB functions of those names, defined before the
/// configuration, receive exactly the words GRUB would hand the loader and
/// print them. After the entry GRUB fails to boot (no loader): that
/// message ends the run.
public enum GrubEmu {
    /// What GRUB did with a configuration: the entry it booted and the
    /// loader commands that entry ran, word for word.
    public struct Boot: Equatable, Sendable, CustomStringConvertible {
        public var title: String?
        public var commands: [LoaderCall]

        public init(title: String?, commands: [LoaderCall]) {
            self.title = title
            self.commands = commands
        }

        /// Whether two titles are the same but for whitespace: GRUB's
        /// console word-wraps a long title and loses the space it breaks at.
        public func sameTitle(as other: Boot) -> Bool {
            title?.filter { !$0.isWhitespace } == other.title?.filter { !$0.isWhitespace }
        }

        public var description: String {
            "booted \(title.map { "\"\($0)\"" } ?? "nothing")"
                + commands.map { "\n  \($0.name) " + $0.arguments.map { "[\($0)]" }.joined(separator: " ") }.joined()
        }
    }

    public struct LoaderCall: Equatable, Sendable {
        public var name: String
        public var arguments: [String]

        public init(name: String, arguments: [String]) {
            self.name = name
            self.arguments = arguments
        }
    }

    /// One run: what GRUB booted, and whether it rejected a statement of
    /// the configuration as a syntax error (GRUB skips such a statement and
    /// goes on; the project refuses the whole configuration instead).
    public struct Run: Sendable {
        public var boot: Boot
        public var reportedSyntaxError: Bool
    }

    public static let executable = "/usr/bin/grub-emu"

    /// The loader commands the prelude turns into printing functions.
    public static let loaderNames = ["multiboot", "multiboot2", "module", "module2", "linux", "initrd"]

    private static let commandMarker = "@@AEM-CMD@@"
    private static let argumentMarker = "@@AEM-ARG@@["
    private static let spaceToken = "@@SP@@"

    /// Defines the printing loader functions; goes before the configuration.
    ///
    /// GRUB's console is 80 columns and word-wraps at spaces, dropping the
    /// space it breaks at, so printed words with spaces cannot be read back
    /// exactly. Each argument is printed with its spaces spelled as
    /// `@@SP@@` (split off with GRUB's own `regexp`); a space-free line is
    /// only ever cut hard at 79 columns, which `parse` undoes exactly.
    /// GRUB's loop variables are global: their names are ones no
    /// configuration uses.
    public static let prelude: String =
        loaderNames.map { name in
            """
            function \(name) { echo "\(commandMarker)\(name)"; for aem_emu_arg in "$@"; do
              aem_emu_out=
              aem_emu_rest="$aem_emu_arg"
              while regexp --set=1:aem_emu_head --set=2:aem_emu_rest -- '^([^ ]*) (.*)$' "$aem_emu_rest"; do
                aem_emu_out="${aem_emu_out}${aem_emu_head}\(spaceToken)"
              done
              echo "\(argumentMarker)${aem_emu_out}${aem_emu_rest}]"
            done; }
            """
        }.joined(separator: "\n") + "\n"

    /// Boots at once and never pauses output (`pager=1` would wait for a
    /// key); goes after the configuration (after everything that sets
    /// `default`, so it changes no choice).
    public static let epilogue = "\nset timeout=0\nset timeout_style=menu\nunset pager\n"

    /// Runs GRUB on `folder/grub.cfg` (already holding prelude and epilogue),
    /// with the host's file system as GRUB's root: `root` is `host`.
    public static func run(folder: String, timeout: TimeInterval = 10) throws -> Run {
        try run(arguments: ["-d", folder, "-r", "host"], timeout: timeout)
    }

    /// A boot partition GRUB reads with its own ext2 driver, as it reads
    /// /boot: the files of a folder in an ext2 image that grub-emu sees as
    /// the disk `(hd0)`, `prefix` `(hd0)/grub2`. Unlike the host file
    /// system, it takes `save_env`'s writes, which stay in the image.
    public final class Disk: @unchecked Sendable {
        private let scratch: TemporaryDirectory
        /// The image file.
        public var image: String { scratch.path("disk.img") }

        /// Makes the image from `folder` (its `grub2/grub.cfg` already
        /// holding prelude and epilogue), with a file-system UUID and label
        /// when given.
        public init(folder: String, uuid: String? = nil, label: String? = nil) throws {
            scratch = try TemporaryDirectory()
            let size = max(try Self.bytes(in: folder) * 2 + (256 << 10), 512 << 10)
            try Command.check("truncate", ["-s", String(size), image])
            let identity = (uuid.map { ["-U", $0] } ?? []) + (label.map { ["-L", $0] } ?? [])
            try Command.check(
                "mkfs.ext2",
                ["-q", "-F", "-b", "1024", "-N", "64", "-E", "nodiscard"] + identity + ["-d", folder, image])
            try scratch.write("device.map", "(hd0) \(image)\n")
        }

        /// Runs GRUB on the image's `/grub2/grub.cfg`.
        public func run(timeout: TimeInterval = 10) throws -> Run {
            try GrubEmu.run(
                arguments: ["-m", scratch.path("device.map"), "-r", "hd0", "-d", "/grub2"], timeout: timeout)
        }

        /// A file of the image as it is now, read with debugfs.
        public func read(_ path: String) throws -> [UInt8] {
            let result = try Command.run("/usr/sbin/debugfs", ["-R", "cat \(path)", image])
            guard result.status == 0 else {
                throw Command.Failure(description: "debugfs cat \(path): \(result.stderr)")
            }
            return result.stdoutBytes
        }

        private static func bytes(in folder: String) throws -> Int {
            var total = 0
            let enumerator = FileManager.default.enumerator(atPath: folder)
            while let name = enumerator?.nextObject() as? String {
                let attributes = try FileManager.default.attributesOfItem(atPath: folder + "/" + name)
                total += (attributes[.size] as? Int ?? 0) + 1024
            }
            return total
        }
    }

    /// Runs grub-emu with `arguments` (where it finds its configuration).
    static func run(arguments: [String], timeout: TimeInterval) throws -> Run {
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw Command.Failure(description: "\(executable) is missing: install Debian's grub-emu (make deps does)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        // Enter, for each "Press any key to continue" GRUB shows after an
        // error in an entry or submenu it runs (a user at the machine goes
        // on) and for a submenu's menu, which has no timeout of its own
        // (Enter boots its highlighted, default, entry).
        let keys = Pipe()
        process.standardInput = keys
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        keys.fileHandleForWriting.write(Data(repeating: 0x0A, count: 16))
        try? keys.fileHandleForWriting.close()
        let pid = process.processIdentifier
        let watchdog = DispatchWorkItem { kill(pid, SIGKILL) }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog)
        var output = Data()
        let reader = pipe.fileHandleForReading
        while true {
            let chunk = reader.availableData
            if chunk.isEmpty { break }
            output.append(chunk)
            let text = String(decoding: output, as: UTF8.self)
            if text.contains("Failed to boot") || text.contains("grub>") { break }
        }
        watchdog.cancel()
        kill(pid, SIGKILL)
        process.waitUntilExit()
        // The Enters left over would boot the entry again after its failure.
        var text = String(decoding: output, as: UTF8.self)
        if let end = text.range(of: "Failed to boot") { text = String(text[..<end.upperBound]) }
        return Run(boot: parse(text), reportedSyntaxError: text.contains("error: syntax error"))
    }

    /// Rejoins lines GRUB cut at 79 columns, then reads the markers.
    static func parse(_ output: String) -> Boot {
        let physical = stripTerminalCodes(output).split(separator: "\n", omittingEmptySubsequences: false).map {
            stripProgress(String($0))
        }
        var lines = [String]()
        var previousLength = 0
        for line in physical {
            if previousLength == 79, !lines.isEmpty, !line.hasPrefix(commandMarker), !line.hasPrefix(argumentMarker) {
                lines[lines.count - 1] += line
            } else {
                lines.append(line)
            }
            previousLength = line.count
        }
        var title: String?
        var commands = [LoaderCall]()
        var pendingTitle: String?
        for line in lines {
            // GRUB word-wraps a long title; the wrapped parts are joined with
            // one space (see `Boot.sameTitle`).
            if let partial = pendingTitle {
                pendingTitle = partial + " " + line
            } else if let start = line.range(of: "Booting `") {
                pendingTitle = String(line[start.upperBound...])
            }
            if let candidate = pendingTitle {
                // A submenu prints its own line before its entry's: the last one wins.
                if candidate.hasSuffix("'") {
                    title = String(candidate.dropLast())
                    pendingTitle = nil
                }
                continue
            }
            if line.hasPrefix(commandMarker) {
                commands.append(LoaderCall(name: String(line.dropFirst(commandMarker.count)), arguments: []))
            } else if line.hasPrefix(argumentMarker), line.hasSuffix("]"), !commands.isEmpty {
                let spelled = String(line.dropFirst(argumentMarker.count).dropLast())
                commands[commands.count - 1].arguments.append(spelled.replacingOccurrences(of: spaceToken, with: " "))
            }
        }
        return Boot(title: title, commands: commands)
    }

    /// GRUB's file progress display (`  [ grubenv  1.00KiB  100%  0.00B/s ]`),
    /// printed before what a command then prints when it reads a file from
    /// a disk.
    private static func stripProgress(_ line: String) -> String {
        var rest = Substring(line)
        while true {
            let trimmed = rest.drop { $0 == " " }
            guard trimmed.hasPrefix("[ "), let close = trimmed.firstIndex(of: "]"),
                trimmed[..<close].hasSuffix("B/s ")
            else { return String(rest) }
            rest = trimmed[trimmed.index(after: close)...]
        }
    }

    /// Removes carriage returns and ANSI control sequences (`ESC [ ... letter`).
    /// Works on scalars: "\r\n" is one Swift Character.
    private static func stripTerminalCodes(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var iterator = text.unicodeScalars.makeIterator()
        while let scalar = iterator.next() {
            if scalar == "\r" { continue }
            if scalar == "\u{1B}" {
                guard iterator.next() == "[" else { continue }
                while let next = iterator.next(), !(("a"..."z").contains(next) || ("A"..."Z").contains(next)) {}
                continue
            }
            out.append(scalar)
        }
        return String(out)
    }
}
