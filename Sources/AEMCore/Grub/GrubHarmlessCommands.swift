/// The one list of GRUB commands the evaluation runs as doing nothing that
/// matters: none can change which entry is chosen, which files it loads or
/// their command lines, and none sets a variable (checked in GRUB 2.06's
/// grub-core). Every command that is neither here nor modelled by the
/// interpreter is an unknown (`GrubUnknown.Kind.unmodelledCommand`).
///
/// Whether such a command succeeds is modelled only where GRUB's source
/// shows it always does; any other status that a condition or `$?` reads
/// is an unknown in that position (`unmodelledStatus`): `loadfont` fails
/// without its font file, so `if loadfont unicode` can decide a branch.
enum GrubHarmlessCommands {
    struct Rule: Sendable {
        /// Why it is harmless, and what its status depends on.
        var reason: String
        /// GRUB's source returns success in every case.
        var alwaysSucceeds: Bool
    }

    static let rules: [String: Rule] = [
        "echo": Rule(reason: "prints its words; always returns 0 (commands/echo.c)", alwaysSucceeds: true),
        "clear": Rule(reason: "clears the screen; always returns 0 (normal/main.c)", alwaysSucceeds: true),
        "insmod": Rule(
            reason: "loads a module (the interpreter still models commands by name); fails when it is missing. "
                + "Modules that define variables are not harmless (variableModules)", alwaysSucceeds: false),
        "terminal_output": Rule(reason: "chooses the output terminal; fails for an unknown one", alwaysSucceeds: false),
        "terminal_input": Rule(reason: "chooses the input terminal; fails for an unknown one", alwaysSucceeds: false),
        "loadfont": Rule(reason: "loads a menu font; fails when the file is missing or no font", alwaysSucceeds: false),
        "background_image": Rule(reason: "sets the menu's background; fails on a bad image", alwaysSucceeds: false),
        "background_color": Rule(
            reason: "sets the menu's background colour; fails on a bad one", alwaysSucceeds: false),
        "play": Rule(reason: "plays a tune on the PC speaker; fails on bad arguments", alwaysSucceeds: false),
        "serial": Rule(reason: "sets up a serial port; fails when there is none", alwaysSucceeds: false),
        "sleep": Rule(reason: "waits; a key press ends --interruptible with failure", alwaysSucceeds: false),
        "keystatus": Rule(reason: "asks which modifier keys are held: its status is the user's", alwaysSucceeds: false),
        "lsmod": Rule(reason: "lists loaded modules", alwaysSucceeds: false),
        "ls": Rule(reason: "lists devices or files; fails on a missing one", alwaysSucceeds: false),
        "cat": Rule(reason: "prints a file; fails on a missing one", alwaysSucceeds: false),
        "help": Rule(reason: "prints help", alwaysSucceeds: false),
        "videoinfo": Rule(reason: "lists video modes", alwaysSucceeds: false),
        "list_env": Rule(reason: "prints an environment block; fails on a missing one", alwaysSucceeds: false),
        "password_pbkdf2": Rule(reason: passwordReason, alwaysSucceeds: false),
        "password": Rule(reason: passwordReason, alwaysSucceeds: false),
        "hashsum": Rule(reason: hashReason, alwaysSucceeds: false),
        "md5sum": Rule(reason: hashReason, alwaysSucceeds: false),
        "sha1sum": Rule(reason: hashReason, alwaysSucceeds: false),
        "sha256sum": Rule(reason: hashReason, alwaysSucceeds: false),
        "sha512sum": Rule(reason: hashReason, alwaysSucceeds: false),
        "crc": Rule(reason: hashReason, alwaysSucceeds: false),
    ]

    private static let passwordReason =
        "defines a user (grub2-setpassword's user.cfg): GRUB may then ask for the password before an entry runs, "
        + "which changes neither the entry nor what it loads; fails on bad arguments"

    private static let hashReason =
        "prints or checks (-c) file hashes and sets nothing; the files may change between now and the boot, "
        + "so whether a check succeeds is never modelled"

    /// Modules whose loading gives variables values this evaluator does
    /// not model: `insmod` of one is an unknown for those variables (nil:
    /// for everything, as the module changes how files are opened or adds
    /// network variables). `datehook` makes `$YEAR`...`$WEEKDAY` the time
    /// of the boot; `gettext` computes `$locale_dir`.
    static let variableModules: [String: [String]?] = [
        "datehook": ["YEAR", "MONTH", "DAY", "HOUR", "MINUTE", "SECOND", "WEEKDAY"],
        "gettext": ["locale_dir", "secondary_locale_dir", "lang"],
        "pgp": nil, "verifiers": nil, "shim_lock": nil, "net": nil, "efinet": nil, "emunet": nil, "pxe": nil,
        "http": nil, "tftp": nil,
    ]
}
