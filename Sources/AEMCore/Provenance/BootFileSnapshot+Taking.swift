import Foundation
import SystemPackage

extension BootFileSnapshot {
    /// Takes a snapshot of `partition`: every folder listed (names as
    /// bytes, no link followed, a file system mounted inside, such as a
    /// UEFI machine's `/boot/efi`, entered as a folder of its own), then
    /// every regular file hashed, smallest first, until a bound of
    /// `bounds` is reached; what is left is unknown. Within one boot,
    /// `reusing` (an earlier snapshot of the same boot) lends its digest to
    /// a file whose identity, size and change times are all unchanged: the
    /// kernel sets the change time on every write, and the running dom0 is
    /// trusted. Never across boots.
    public static func take(
        of partition: BootPartition, bootTime: Int64, reusing earlier: BootFileSnapshot? = nil,
        bounds: SnapshotBounds = SnapshotBounds()
    ) -> BootFileSnapshot {
        let start = bounds.now()
        var listing = SnapshotListing(bounds: bounds)
        listing.list(Place(folder: partition.directory, relative: ".", path: "/"), depth: 0)
        var snapshot = BootFileSnapshot(bootTime: bootTime, takenAt: Date(), files: [:], folders: listing.folders)
        let reusable = earlier?.bootTime == bootTime ? earlier : nil
        var hashed: Int64 = 0
        let regular = listing.files.sorted {
            ($0.entry.size, $0.place.path.bytes.count) < ($1.entry.size, $1.place.path.bytes.count)
        }
        for (place, listed) in listing.files where listed.type != .regular {
            snapshot.files[place.path] = listed
        }
        for (place, listed) in regular where listed.type == .regular {
            var entry = listed
            if let known = reusable?.files[place.path], known.sameFile(as: entry),
                case .sha256? = known.content
            {
                entry.content = known.content
            } else if bounds.now() - start > bounds.maximumDuration {
                entry.content = .unknown(SnapshotUnknown(.overTime, detail: "\(bounds.maximumDuration)"))
            } else if hashed + entry.size > bounds.maximumBytes {
                entry.content = .unknown(SnapshotUnknown(.overBytes, detail: "\(bounds.maximumBytes) bytes"))
            } else {
                entry.content = place.hash(until: start + bounds.maximumDuration, now: bounds.now)
                hashed += entry.size
            }
            snapshot.files[place.path] = entry
        }
        return snapshot
    }
}

/// One name the snapshot reaches: the folder it is opened in (the
/// partition, or a file system mounted inside it), its path there, and its
/// path in the snapshot.
struct Place {
    var folder: ConfinedDirectory
    var relative: FilePath
    var path: FilePath

    func child(_ name: FilePath.Component) -> Place {
        Place(folder: folder, relative: relative.appending(name), path: path.appending(name))
    }

    /// The file's SHA-256, read once in chunks; unknown when it cannot be
    /// read or `deadline` passes first.
    func hash(until deadline: ContinuousClock.Instant, now: () -> ContinuousClock.Instant)
        -> BootFileSnapshot.Entry
        .Content
    {
        let file: OpenedFile
        do {
            file = try folder.openFile(relative, limit: Int.max)
        } catch {
            return .unknown(SnapshotUnknown(.unreadable, detail: "\(error.reason)"))
        }
        let engine = DigestEngine(.sha256)
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 64)
        defer { chunk.deallocate() }
        var offset = 0
        while true {
            let count: Int
            do {
                count = try file.read(at: offset, into: chunk)
            } catch {
                return .unknown(SnapshotUnknown(.unreadable, detail: "\(error.reason)"))
            }
            if count == 0 { break }
            engine.update(UnsafeRawBufferPointer(rebasing: chunk[0..<count]))
            offset += count
            guard now() <= deadline else { return .unknown(SnapshotUnknown(.overTime)) }
        }
        return .sha256(engine.finalize().hex)
    }
}

/// The first pass of a snapshot: every folder listed, and every name that
/// is not a folder with what `fstatat` says of it.
struct SnapshotListing {
    let bounds: SnapshotBounds
    var folders: [FilePath: BootFileSnapshot.Listing] = [:]
    var files: [(place: Place, entry: BootFileSnapshot.Entry)] = []
    private var names = 0

    init(bounds: SnapshotBounds) { self.bounds = bounds }

    mutating func list(_ place: Place, depth: Int) {
        guard depth <= bounds.maximumDepth else {
            folders[place.path] = .unknown(SnapshotUnknown(.tooDeep, detail: "\(bounds.maximumDepth) levels"))
            return
        }
        var place = place
        let entries: [ConfinedDirectory.Entry]
        do {
            entries = try place.folder.entries(in: place.relative)
        } catch  where error.reason == .escapes && place.relative != "." {
            // Another file system is mounted here: entered as a folder of its own.
            do {
                place = Place(
                    folder: try place.folder.mountedFolder(at: place.relative), relative: ".", path: place.path)
                entries = try place.folder.entries(in: ".")
            } catch {
                folders[place.path] = .unknown(SnapshotUnknown(.notListed, detail: "\(error.reason)"))
                return
            }
        } catch {
            folders[place.path] = .unknown(SnapshotUnknown(.notListed, detail: "\(error.reason)"))
            return
        }
        guard names + entries.count <= bounds.maximumNames else {
            folders[place.path] = .unknown(SnapshotUnknown(.tooManyNames, detail: "\(bounds.maximumNames) names"))
            return
        }
        names += entries.count
        folders[place.path] = .complete
        for entry in entries {
            let child = place.child(entry.name)
            if entry.type == .directory {
                list(child, depth: depth + 1)
            } else {
                files.append((child, Self.describe(child, type: entry.type)))
            }
        }
    }

    /// What `fstatat` says of a name that is not a folder (a link itself,
    /// not its target); its content is learned later, for a regular file.
    private static func describe(_ place: Place, type: FileType) -> BootFileSnapshot.Entry {
        var entry = BootFileSnapshot.Entry(
            type: type, content: nil, size: 0, device: 0, inode: 0, changedNanoseconds: 0, modifiedNanoseconds: 0)
        do {
            let status = try place.relative.stat(relativeTo: place.folder.descriptor, flags: .symlinkNoFollow)
            entry.size = status.size
            entry.device = UInt64(status.deviceID.rawValue)
            entry.inode = UInt64(status.inode.rawValue)
            entry.changedNanoseconds = status.st_ctim.nanoseconds
            entry.modifiedNanoseconds = status.st_mtim.nanoseconds
        } catch {
            if type == .regular {
                entry.content = .unknown(SnapshotUnknown(.unreadable, detail: "\(error)"))
            }
        }
        return entry
    }
}

extension timespec {
    var nanoseconds: Int64 { Int64(tv_sec) * 1_000_000_000 + Int64(tv_nsec) }
}
