#ifndef AEM_CLZO_SHIM_H
#define AEM_CLZO_SHIM_H

#include <lzo/lzo1x.h>

/* lzo_init is a macro that checks the library's ABI against this header. */
static inline int aem_lzo_init(void) {
    return lzo_init();
}

#endif
