#ifndef AEM_CLINUX_SHIM_H
#define AEM_CLINUX_SHIM_H

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/file.h>
#include <sys/syscall.h>
#include <unistd.h>

/* renameat2 (glibc >= 2.28) is declared only under _GNU_SOURCE, which the
 * Swift Glibc module is not built with; declare it and its flags here. */
extern int renameat2(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, unsigned int flags);

#define AEM_RENAME_NOREPLACE 1u
#define AEM_RENAME_EXCHANGE 2u

/* O_PATH is likewise hidden without _GNU_SOURCE. */
#define AEM_O_PATH 010000000

/* openat2(2) has no glibc wrapper before 2.39 (Fedora 37 ships 2.36), so
 * it is called through syscall(2). `resolve` takes RESOLVE_* flags. */
static inline int aem_openat2(int dirfd, const char *path, unsigned long long flags, unsigned long long mode,
                              unsigned long long resolve) {
    struct open_how how = {.flags = flags, .mode = mode, .resolve = resolve};
    return (int)syscall(SYS_openat2, dirfd, path, &how, sizeof how);
}

#define AEM_RESOLVE_NO_XDEV RESOLVE_NO_XDEV
#define AEM_RESOLVE_NO_MAGICLINKS RESOLVE_NO_MAGICLINKS
#define AEM_RESOLVE_NO_SYMLINKS RESOLVE_NO_SYMLINKS
#define AEM_RESOLVE_BENEATH RESOLVE_BENEATH
#define AEM_RESOLVE_IN_ROOT RESOLVE_IN_ROOT

#endif
