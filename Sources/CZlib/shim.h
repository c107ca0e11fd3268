#ifndef AEM_CZLIB_SHIM_H
#define AEM_CZLIB_SHIM_H

/* zlib's checksums (lzop's adler32 and crc32); inflate is ISA-L's. */
#include <zlib.h>

#endif
