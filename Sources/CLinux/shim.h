#ifndef AEM_CLINUX_SHIM_H
#define AEM_CLINUX_SHIM_H

/* renameat2 (glibc >= 2.28) is declared only under _GNU_SOURCE, which the
 * Swift Glibc module is not built with; declare it and its flags here. */
extern int renameat2(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, unsigned int flags);

#define AEM_RENAME_NOREPLACE 1u
#define AEM_RENAME_EXCHANGE 2u

#endif
