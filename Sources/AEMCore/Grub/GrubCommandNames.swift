/// Names GRUB 2.06 (with Fedora's and Qubes' additions) resolves as
/// commands: a registered or autoloadable command is found before a script
/// function of the same name (grub-core/script/execute.c), so a function
/// called `regexp` never runs in GRUB. Gathered from grub-emu's and
/// i386-pc's `command.lst`, the core and normal-mode commands, and the
/// loaders; a call of a name here that the interpreter does not model is an
/// unknown, whatever function of that name the script defined.
enum GrubCommandNames {
    static let known: Set<String> = [
        // Core and normal mode.
        "set", "unset", "ls", "insmod", "rmmod", "lsmod", "export", "menuentry", "submenu", "normal", "normal_exit",
        "clear", "source", ".", "configfile", "extract_entries_source", "extract_entries_configfile", "break",
        "continue", "return", "shift", "setparams", "exit", "true", "false", "[", "test", "echo", "eval", "read",
        // Autoloaded on every platform.
        "background_image", "background_color", "cat", "crc", "cryptomount", "file", "gettext", "hashsum", "help",
        "hexdump", "keystatus", "list_env", "load_env", "save_env", "loopback", "md5sum", "probe", "regexp",
        "search", "search.file", "search.fs_label", "search.fs_uuid", "sha1sum", "sha256sum", "sha512sum", "sleep",
        "syslinux_configfile", "syslinux_source", "extract_syslinux_entries_configfile",
        "extract_syslinux_entries_source", "tr", "trust", "distrust", "list_trusted", "verify_detached", "zfskey",
        "authenticate", "blocklist", "boot", "cmp", "date", "dump", "extract_legacy_entries_configfile",
        "extract_legacy_entries_source", "gptsync", "halt", "reboot", "legacy_check_password", "legacy_configfile",
        "legacy_initrd", "legacy_initrd_nounzip", "legacy_kernel", "legacy_password", "legacy_source", "loadfont",
        "lsfonts", "lsmmap", "parttool", "password", "password_pbkdf2", "terminal_input", "terminal_output", "time",
        "videoinfo", "videotest", "read_byte", "read_word", "read_dword", "write_byte", "write_word", "write_dword",
        "net_add_addr", "net_add_dns", "net_add_route", "net_bootp", "net_bootp6", "net_del_addr", "net_del_dns",
        "net_del_route", "net_dhcp", "net_get_dhcp_option", "net_ipv6_autoconf", "net_ls_addr", "net_ls_cards",
        "net_ls_dns", "net_ls_routes", "net_nslookup", "xnu_uuid", "zfs-bootfs", "zfsinfo", "testload", "testspeed",
        // i386-pc.
        "multiboot", "multiboot2", "module", "module2", "linux", "linux16", "initrd", "initrd16", "chainloader",
        "drivemap", "play", "serial", "terminfo", "cpuid", "inb", "inw", "inl", "outb", "outw", "outl", "rdmsr",
        "wrmsr", "vbeinfo", "vbetest", "lspci", "setpci", "cutmem", "badram", "nativedisk", "pxechainloader",
        "ntldr", "freedos", "truecrypt", "knetbsd", "kfreebsd", "kopenbsd", "xnu_kernel", "xnu_kernel64",
        "xnu_mkext", "xnu_kext", "xnu_kextdir", "xnu_ramdisk", "xnu_resume", "xnu_splash", "backtrace", "hdparm",
        "acpi", "smbios", "lsacpi", "usb", "sendkey", "at_keyboard", "keymap", "mknetbsd", "lsapm", "fakebios",
        "fwsetup", "tpm2_key_protector_init", "tpm2_key_protector_clear",
        // Fedora's and Qubes' GRUB.
        "increment", "decrement", "blscfg", "bls_import", "efi-export-env", "efi-load-env", "slaunch",
        "slaunch_module", "linuxefi", "initrdefi", "xen_hypervisor", "xen_module",
    ]
}
