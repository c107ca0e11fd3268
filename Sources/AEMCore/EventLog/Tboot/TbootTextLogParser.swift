import Foundation

/// Reads tboot's memory log text (as `txt-stat` prints it, or as recovered
/// from the memory image) and recovers the post-launch event log and the
/// module verification lines.
///
/// tboot dumps the TXT event log once before GETSEC[SENTER] (still empty)
/// and once after SINIT returns, then prints each event it appends. The
/// dump starts at an `EVENT_LOG_POINTER:`/`EVENT_LOG_PTR:` line, so the post-
/// launch events are all event blocks after the last such line. tboot's
/// `printk` prefixes a line with `TBOOT: ` only when the previous output
/// ended with a newline, so hex rows and long command lines continue on
/// unprefixed lines.
struct TbootTextLogParser {
    private struct Line {
        /// The line without the `TBOOT: ` prefix.
        var content: Substring
        var offset: Int
        var raw: Substring
        var trimmed: Substring { content.drop { $0 == " " || $0 == "\t" } }
    }

    private let lines: [Line]
    private let format: EventLogFormat
    private let limits: EventLogLimits
    private var position = 0

    init(text: [UInt8], format: EventLogFormat, limits: EventLogLimits) {
        let string = String(decoding: text, as: UTF8.self)
        var lines = [Line]()
        var offset = 0
        for raw in string.split(separator: "\n", omittingEmptySubsequences: false) {
            let withoutCR = raw.hasSuffix("\r") ? raw.dropLast() : raw
            let content = withoutCR.hasPrefix("TBOOT: ") ? withoutCR.dropFirst(7) : withoutCR
            lines.append(Line(content: content, offset: offset, raw: withoutCR))
            offset += raw.utf8.count + 1
        }
        self.lines = lines
        self.format = format
        self.limits = limits
    }

    /// Whether bytes look like tboot log text.
    static func matches(_ bytes: [UInt8]) -> Bool {
        let head = String(decoding: bytes.prefix(1 << 16), as: UTF8.self)
        return head.contains("TBOOT: ")
    }

    /// Whether bytes are txt-stat output that holds the TXT registers but no
    /// tboot log, as after a TrenchBoot launch or a launch that failed.
    static func isTXTStatWithoutTbootLog(_ bytes: [UInt8]) -> Bool {
        let head = String(decoding: bytes.prefix(1 << 16), as: UTF8.self)
        return head.contains("Intel(r) TXT Configuration Registers:") && !matches(bytes)
    }

    mutating func parse() throws(EventLogError) -> TbootLog {
        guard
            let dumpStart = lines.lastIndex(where: {
                $0.content.contains("EVENT_LOG_POINTER:") || $0.content.contains("EVENT_LOG_PTR:")
            })
        else {
            throw .missingSection(
                "the tboot log holds no event-log dump (no EVENT_LOG_POINTER line): was tboot built without TXT "
                    + "support, or is this not a tboot log?"
            )
        }
        let version = lines.first {
            $0.content.range(of: #"^\s+\d{4}-\d\d-\d\d \d\d:\d\d .* \d+\.\d+"#, options: .regularExpression) != nil
        }
        .map { String($0.content.split(separator: " ").last ?? "") }

        var events = [MeasurementEvent]()
        var modules = [TbootModuleVerification]()
        var dumpFormat: EventLogFormat?
        var declaredBanks = [HashAlgorithm]()
        var legacyBank: HashAlgorithm?

        position = dumpStart + 1
        while position < lines.count {
            let line = lines[position]
            let text = line.trimmed
            if text.hasPrefix("Wrong Event Log") {
                throw .invalidField(
                    offset: line.offset, field: "the event tboot dumped", found: "\"Wrong Event Log.\"",
                    expected: "a readable event")
            } else if text == "Event Log Container:" {
                dumpFormat = dumpFormat ?? .txt12
                position += 1
            } else if text == "TCG Event Log Header:" {
                dumpFormat = .tcg2
                declaredBanks = try parseTCGHeader()
            } else if text.hasPrefix("Log Descrption:") || text.hasPrefix("Log Description:") {
                dumpFormat = .txt2Legacy
                legacyBank = try parseLegacyDescriptor()
            } else if text == "TCG Event:" {
                guard events.count < limits.maximumEvents else {
                    throw .limitExceeded(
                        offset: line.offset, what: "the number of events", value: events.count + 1,
                        limit: limits.maximumEvents)
                }
                events.append(try parseTCGEvent(sequence: events.count))
            } else if text == "Event:" {
                guard events.count < limits.maximumEvents else {
                    throw .limitExceeded(
                        offset: line.offset, what: "the number of events", value: events.count + 1,
                        limit: limits.maximumEvents)
                }
                let container = (dumpFormat ?? .txt12) == .txt12
                events.append(try parseLegacyEvent(sequence: events.count, bank: container ? .sha1 : legacyBank))
            } else if text.hasPrefix("verifying module \"") {
                modules.append(try parseModuleVerification(index: modules.count))
            } else {
                position += 1
            }
        }
        let measured = events.filter(\.affectsPCR)
        guard !measured.isEmpty else {
            throw .missingSection(
                "the last event-log dump in the tboot log holds no events: the measured launch failed, or the log was "
                    + "reset before it; give the binary DRTM log instead"
            )
        }
        let banks = declaredBanks.isEmpty ? Array(Set(measured.flatMap(\.banks))).sorted() : declaredBanks
        let log = EventLog(format: format, events: events, banks: banks, recordsDynamicLaunch: true)
        return TbootLog(eventLog: log, dumpFormat: dumpFormat ?? .txt12, modules: modules, version: version)
    }

    // MARK: Blocks

    private mutating func parseTCGHeader() throws(EventLogError) -> [HashAlgorithm] {
        let start = lines[position]
        position += 1
        var banks = [HashAlgorithm]()
        while position < lines.count {
            let text = lines[position].trimmed
            if text.hasPrefix("algorithm_id:") {
                let value = try number(field: "algorithm_id", in: lines[position])
                if let bank = HashAlgorithm(tpmAlgorithmID: UInt16(truncatingIfNeeded: value)) { banks.append(bank) }
            }
            position += 1
            if text.hasPrefix("vendor_info:") { break }
        }
        guard !banks.isEmpty else {
            throw .invalidField(
                offset: start.offset, field: "the TCG event log header", found: "no algorithm_id lines",
                expected: "the banks of the log")
        }
        return banks.sorted()
    }

    private mutating func parseLegacyDescriptor() throws(EventLogError) -> HashAlgorithm? {
        position += 1
        while position < lines.count {
            let text = lines[position].trimmed
            if text.hasPrefix("Alg:") {
                let id = try number(field: "Alg", in: lines[position])
                position += 1
                return HashAlgorithm(tpmAlgorithmID: UInt16(truncatingIfNeeded: id))
            }
            if text.hasSuffix("Event:") || text.hasPrefix("Log Descr") { return nil }
            position += 1
        }
        return nil
    }

    /// `TCG Event:` / `pcr_index:` / `event_type:` / `count:` / per digest an
    /// algorithm line and a hex line / `event_data: N bytes` and hex rows.
    private mutating func parseTCGEvent(sequence: Int) throws(EventLogError) -> MeasurementEvent {
        let first = position
        position += 1
        let pcr = UInt32(truncatingIfNeeded: try field("pcr_index"))
        let type = EventType(UInt32(truncatingIfNeeded: try field("event_type")))
        guard EventLogQuirks.isValidPCRIndex(pcr, type: type) else {
            throw .invalidField(
                offset: lines[first].offset, field: "pcr_index of event \(sequence)", found: String(pcr),
                expected: EventLogQuirks.validPCRIndices)
        }
        let count = try field("count")
        guard count <= UInt64(limits.maximumDigestsPerEvent) else {
            throw .limitExceeded(
                offset: lines[first].offset, what: "the digest count of event \(sequence)", value: Int(count),
                limit: limits.maximumDigestsPerEvent)
        }
        var digests = [Digest]()
        for _ in 0..<Int(count) {
            guard position < lines.count else { throw truncatedBlock(first, "a digest of event \(sequence)") }
            let nameLine = lines[position]
            let name = nameLine.trimmed.split(separator: ":").first.map(String.init) ?? ""
            guard let bank = HashAlgorithm(name: name == "SM3" ? "sm3_256" : name) else {
                throw .invalidField(
                    offset: nameLine.offset, field: "a digest algorithm of event \(sequence)",
                    found: "\"\(nameLine.trimmed)\"", expected: "SHA1:, SHA256:, SHA384:, SHA512: or SM3:")
            }
            position += 1
            let bytes = try hexBytes(count: bank.digestSize, what: "the \(bank) digest of event \(sequence)")
            digests.append(Digest(algorithm: bank, bytes: bytes))
        }
        let data = try eventData(label: "event_data", sequence: sequence)
        return event(sequence: sequence, first: first, pcr: pcr, type: type, digests: digests, data: data)
    }

    /// `Event:` / `PCRIndex:` / `Type:` / `Digest: hex` / `Data: N bytes` and hex rows.
    private mutating func parseLegacyEvent(sequence: Int, bank: HashAlgorithm?) throws(EventLogError)
        -> MeasurementEvent
    {
        let first = position
        position += 1
        let pcr = UInt32(truncatingIfNeeded: try field("PCRIndex"))
        let type = EventType(UInt32(truncatingIfNeeded: try field("Type")))
        guard EventLogQuirks.isValidPCRIndex(pcr, type: type) else {
            throw .invalidField(
                offset: lines[first].offset, field: "PCRIndex of event \(sequence)", found: String(pcr),
                expected: EventLogQuirks.validPCRIndices)
        }
        guard position < lines.count, lines[position].trimmed.hasPrefix("Digest:") else {
            throw truncatedBlock(first, "the Digest line of event \(sequence)")
        }
        let digestLine = lines[position]
        let digestBytes = try hexTokens(
            digestLine.trimmed.dropFirst("Digest:".count), line: digestLine, what: "the digest of event \(sequence)")
        position += 1
        let algorithm: HashAlgorithm
        if let bank, bank.digestSize == digestBytes.count {
            algorithm = bank
        } else if let byLength = HashAlgorithm.allCases.first(where: { $0.digestSize == digestBytes.count }) {
            algorithm = byLength
        } else {
            throw .invalidField(
                offset: digestLine.offset, field: "the digest of event \(sequence)",
                found: "\(digestBytes.count) bytes", expected: "20, 32, 48 or 64 bytes")
        }
        let data = try eventData(label: "Data", sequence: sequence)
        return event(
            sequence: sequence, first: first, pcr: pcr, type: type,
            digests: [Digest(algorithm: algorithm, bytes: digestBytes)], data: data)
    }

    /// `verifying module "` then 80-character chunks on unprefixed lines,
    /// the last ending in `"...`; then `OK : <digest>` (fixed hash policy).
    private mutating func parseModuleVerification(index: Int) throws(EventLogError) -> TbootModuleVerification {
        let first = lines[position]
        let afterQuote = first.trimmed.dropFirst("verifying module \"".count)
        var commandLine = ""
        position += 1
        if afterQuote.hasSuffix("\"...") {
            commandLine = String(afterQuote.dropLast(4))
        } else {
            commandLine = String(afterQuote)
            var closed = false
            while position < lines.count, !closed {
                var chunk = lines[position].raw
                position += 1
                if chunk.hasSuffix("\"...") {
                    chunk = chunk.dropLast(4)
                    closed = true
                }
                commandLine += chunk
            }
            guard closed else {
                throw .invalidField(
                    offset: first.offset, field: "the command line of module \(index)", found: "no closing \"...",
                    expected: "the end of the command line")
            }
        }
        var digest: Digest?
        var scan = position
        while scan < lines.count {
            let text = lines[scan].trimmed
            if text.hasPrefix("verifying module") || text.hasPrefix("all modules are verified") { break }
            if text.hasPrefix("OK :") {
                let bytes = try hexTokens(text.dropFirst(4), line: lines[scan], what: "the digest of module \(index)")
                if let algorithm = HashAlgorithm.allCases.first(where: { $0.digestSize == bytes.count }) {
                    digest = Digest(algorithm: algorithm, bytes: bytes)
                }
                break
            }
            scan += 1
        }
        return TbootModuleVerification(index: index, commandLine: commandLine, digest: digest)
    }

    // MARK: Helpers

    private func event(sequence: Int, first: Int, pcr: UInt32, type: EventType, digests: [Digest], data: [UInt8])
        -> MeasurementEvent
    {
        let raw = lines[first..<position].map(\.raw).joined(separator: "\n")
        return MeasurementEvent(
            sequence: sequence, offset: lines[first].offset, raw: Array(raw.utf8), pcr: pcr, type: type,
            digests: digests, data: data)
    }

    private func truncatedBlock(_ first: Int, _ what: String) -> EventLogError {
        .truncated(offset: lines[first].offset, expected: what, needed: 1, available: 0)
    }

    /// Reads `<name>: <decimal or 0x hex>` from the current line.
    private mutating func field(_ name: String) throws(EventLogError) -> UInt64 {
        guard position < lines.count else {
            throw .truncated(offset: lines.last?.offset ?? 0, expected: "the \(name) line", needed: 1, available: 0)
        }
        let line = lines[position]
        guard line.trimmed.hasPrefix(name + ":") else {
            throw .invalidField(
                offset: line.offset, field: "the line after the event start", found: "\"\(line.trimmed)\"",
                expected: "\(name): <value>")
        }
        position += 1
        return try number(field: name, in: line)
    }

    private func number(field name: String, in line: Line) throws(EventLogError) -> UInt64 {
        let valueText = line.trimmed.dropFirst(name.count + 1).trimmingSpaces
        let parsed: UInt64?
        if valueText.hasPrefix("0x") || valueText.hasPrefix("0X") {
            parsed = UInt64(valueText.dropFirst(2), radix: 16)
        } else {
            parsed = UInt64(valueText.split(separator: " ").first ?? "")
        }
        guard let parsed else {
            throw .invalidField(offset: line.offset, field: name, found: "\"\(valueText)\"", expected: "a number")
        }
        return parsed
    }

    /// `<label>: N bytes` then N bytes of hex on the following rows.
    private mutating func eventData(label: String, sequence: Int) throws(EventLogError) -> [UInt8] {
        guard position < lines.count, lines[position].trimmed.hasPrefix(label + ":") else {
            throw .truncated(
                offset: lines[min(position, lines.count - 1)].offset,
                expected: "the \(label) line of event \(sequence)", needed: 1, available: 0)
        }
        let line = lines[position]
        let size = try number(field: label, in: line)
        guard size <= UInt64(min(limits.maximumEventDataBytes, 1 << 20)) else {
            throw .limitExceeded(
                offset: line.offset, what: "the data size of event \(sequence)", value: Int(clamping: size),
                limit: 1 << 20)
        }
        position += 1
        return try hexBytes(count: Int(size), what: "the data of event \(sequence)")
    }

    /// Collects `count` bytes from the following lines made only of hex pairs.
    private mutating func hexBytes(count: Int, what: String) throws(EventLogError) -> [UInt8] {
        var bytes = [UInt8]()
        while bytes.count < count {
            guard position < lines.count else {
                throw .truncated(
                    offset: lines.last?.offset ?? 0, expected: what, needed: count - bytes.count, available: 0)
            }
            let line = lines[position]
            let row = try hexTokens(line.trimmed, line: line, what: what)
            guard !row.isEmpty else {
                throw .truncated(offset: line.offset, expected: what, needed: count - bytes.count, available: 0)
            }
            bytes += row
            position += 1
        }
        guard bytes.count == count else {
            throw .invalidField(
                offset: lines[position - 1].offset, field: what, found: "\(bytes.count) bytes",
                expected: "\(count) bytes")
        }
        return bytes
    }

    /// Parses `xx xx xx ` into bytes; empty for an empty line.
    private func hexTokens(_ text: Substring, line: Line, what: String) throws(EventLogError) -> [UInt8] {
        var bytes = [UInt8]()
        for token in text.split(whereSeparator: { $0 == " " || $0 == "\t" }) {
            guard token.count == 2, let value = UInt8(token, radix: 16) else {
                throw .invalidField(offset: line.offset, field: what, found: "\"\(token)\"", expected: "hex bytes")
            }
            bytes.append(value)
        }
        return bytes
    }
}

extension Substring {
    /// The text without leading and trailing spaces and tabs.
    var trimmingSpaces: Substring {
        let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isBlank($0) }), let last = lastIndex(where: { !isBlank($0) }) else {
            return self[endIndex...]
        }
        return self[first...last]
    }
}

extension TbootTextLogParser: EventLogEncoding {
    static let displayName = "tboot log text"

    static func decode(_ bytes: [UInt8], limits: EventLogLimits) throws(EventLogError) -> EventLogDecoder.Decoded {
        var parser = TbootTextLogParser(text: bytes, format: .tbootText, limits: limits)
        let tboot = try parser.parse()
        return EventLogDecoder.Decoded(log: tboot.eventLog, tboot: tboot)
    }
}
