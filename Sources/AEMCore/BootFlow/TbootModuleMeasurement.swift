/// How tboot measures a module (`hash_module`):
/// `H( H(command line) || H(image as loaded) )`, per hash algorithm, with
/// the command line hashed as the exact string the module received (tboot
/// stopped stripping the file name in 2015; GRUB 2 never passes it) and an
/// empty command line hashing the empty string.
public enum TbootModuleMeasurement {
    public static func digest(commandLine: String, imageDigest: Digest) -> Digest {
        let bank = imageDigest.algorithm
        let engine = DigestEngine(bank)
        engine.update(bank.hash(Array(commandLine.utf8)).bytes)
        engine.update(imageDigest.bytes)
        return engine.finalize()
    }
}
