#ifndef AEM_CLZMA_SHIM_H
#define AEM_CLZMA_SHIM_H

#include <lzma.h>

/* LZMA_STREAM_INIT is a compound literal; Swift cannot import it. */
static inline lzma_stream aem_lzma_stream_init(void) {
    lzma_stream stream = LZMA_STREAM_INIT;
    return stream;
}

#endif
