import Foundation
import SystemPackage

/// Finds the current boot's DRTM log: the files the user named, else
/// tboot's memory log through /dev/mem, else TrenchBoot's log where Xen's
/// console says it reserved it (through /dev/mem), else the latest boot
/// record of this boot. Says what it tried when nothing works.
public struct CurrentBootLogLocator: Sendable {
    public var layout: SystemLayout
    public var eventLogFile: String?
    public var tbootLogFile: String?
    /// Xen's console messages of this boot (`xl dmesg`), if they could be read.
    public var xenConsole: String?
    /// This boot's `btime`, naming its record folder (nil: none).
    public var bootTime: Int64?

    /// Physical address and sizes of tboot's memory log (0x8000 before tboot 1.11.4).
    static let memoryLogAddress: off_t = 0x60000
    static let memoryLogSize = 0x10000

    public init(
        layout: SystemLayout, bootTime: Int64?, eventLogFile: String?, tbootLogFile: String?, xenConsole: String? = nil
    ) {
        self.layout = layout
        self.bootTime = bootTime
        self.eventLogFile = eventLogFile
        self.tbootLogFile = tbootLogFile
        self.xenConsole = xenConsole
    }

    /// Throws `CurrentBootLogError`: a named file that cannot be read or
    /// decoded, or no log anywhere (with every place tried).
    public func locate() throws(CurrentBootLogError) -> CurrentBootLog {
        // The record `aem-reseal record` made during this boot, if any.
        let recordFolder = bootTime.map { layout.bootRecords + "/\($0)" }
        let currentRecord: BootRecord?
        do {
            currentRecord = try recordFolder.flatMap(BootRecord.load(in:))
        } catch {
            throw .unreadableRecord(folder: recordFolder!, detail: "\(error)")
        }
        if let eventLogFile {
            let (bytes, decoded) = try decodeFile(eventLogFile)
            var tboot = decoded.tboot
            if let tbootLogFile { tboot = try decodeFile(tbootLogFile).1.tboot }
            return CurrentBootLog(
                log: decoded.log, tboot: tboot, record: currentRecord, source: eventLogFile, bytes: bytes)
        }
        if let tbootLogFile {
            let (bytes, decoded) = try decodeFile(tbootLogFile)
            return CurrentBootLog(
                log: decoded.log, tboot: decoded.tboot, record: currentRecord, source: tbootLogFile, bytes: bytes)
        }

        var attempts = ["--event-log and --tboot-log: not given"]
        switch readMemoryLog() {
        case let .success(bytes):
            do {
                let decoded = try EventLogDecoder.decode(bytes)
                return CurrentBootLog(
                    log: decoded.log, tboot: decoded.tboot, record: currentRecord,
                    source: "tboot memory log (\(layout.physicalMemory) at 0x60000)", bytes: bytes)
            } catch {
                attempts.append("tboot memory log at \(layout.physicalMemory) 0x60000: \(error.description)")
            }
        case let .failure(reason):
            attempts.append("tboot memory log at \(layout.physicalMemory) 0x60000: \(reason)")
        }

        if let range = xenConsole.flatMap(SlaunchEventLogRange.parse(console:)) {
            let place =
                "TrenchBoot event log at \(layout.physicalMemory) "
                + "0x\(String(range.start, radix: 16))-0x\(String(range.end, radix: 16)) "
                + "(Xen's SLAUNCH reservation)"
            switch readMemory(at: off_t(range.start), count: Int(range.end - range.start)) {
            case let .success(bytes):
                do {
                    let decoded = try EventLogDecoder.decode(bytes)
                    return CurrentBootLog(
                        log: decoded.log, tboot: nil, record: currentRecord, source: place, bytes: bytes)
                } catch {
                    attempts.append("\(place): \(error.description)")
                }
            case let .failure(reason):
                attempts.append("\(place): \(reason)")
            }
        } else {
            attempts.append(
                "TrenchBoot event log: Xen's console has no \"SLAUNCH: reserving event log\" line "
                    + "(not a TrenchBoot boot)"
            )
        }

        if let record = currentRecord, let folder = recordFolder {
            let path = folder + "/" + record.logFile
            do {
                let (bytes, decoded) = try decodeFile(path)
                return CurrentBootLog(
                    log: decoded.log, tboot: decoded.tboot, record: record, source: "boot record \(path)", bytes: bytes)
            } catch {
                attempts.append("boot record: \(error)")
            }
        } else {
            attempts.append("boot records in \(layout.bootRecords): none for the current boot")
        }
        throw .notFound(attempts: attempts)
    }

    private func decodeFile(_ path: String) throws(CurrentBootLogError) -> ([UInt8], EventLogDecoder.Decoded) {
        let bytes: [UInt8]
        do {
            bytes = try FileBytes.read(path)
        } catch {
            throw .unreadable(error)
        }
        do {
            return (bytes, try EventLogDecoder.decode(bytes))
        } catch {
            throw .malformed(path: path, error)
        }
    }

    /// Reads the tboot log region; on a real dom0 this needs root and a
    /// kernel that lets /dev/mem reach reserved low memory.
    func readMemoryLog() -> Result<[UInt8], PhysicalMemoryReadError> {
        let read = readMemory(at: Self.memoryLogAddress, count: Self.memoryLogSize)
        guard case let .success(buffer) = read else { return read }
        guard TbootMemoryLogImage.matches(buffer) else {
            return .failure(.noTbootLog)
        }
        return .success(buffer)
    }

    /// Reads `count` bytes of physical memory at `address` (fewer at the end of a file).
    func readMemory(at address: off_t, count: Int) -> Result<[UInt8], PhysicalMemoryReadError> {
        var buffer = [UInt8](repeating: 0, count: count)
        let read: Int
        do {
            let descriptor = try systemCall {
                try FileDescriptor.open(FilePath(layout.physicalMemory), .readOnly, options: .closeOnExec)
            }
            defer { try? descriptor.close() }  // closing after use
            read = try systemCall {
                try buffer.withUnsafeMutableBytes { try descriptor.read(fromAbsoluteOffset: Int64(address), into: $0) }
            }
        } catch {
            return .failure(.system(error))
        }
        guard read > 0 else { return .failure(.nothingThere) }
        buffer.removeLast(buffer.count - read)
        return .success(buffer)
    }
}
