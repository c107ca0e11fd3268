/// What a path on the boot partition is, for `-d`, `-e`, `-f` and `-s`.
enum GrubFileKind: Equatable {
    case directory
    case emptyFile
    case nonEmptyFile
}
