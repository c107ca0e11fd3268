#ifndef AEM_CZLIB_SHIM_H
#define AEM_CZLIB_SHIM_H

#include <zlib.h>

/* inflateInit2 is a macro; give it a function form. */
static inline int aem_inflate_init2(z_stream *stream, int window_bits) {
    return inflateInit2(stream, window_bits);
}

#endif
