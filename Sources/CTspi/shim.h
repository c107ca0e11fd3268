#ifndef AEM_CTSPI_SHIM_H
#define AEM_CTSPI_SHIM_H

#include <stddef.h>
#include <tss/tspi.h>
#include <trousers/trousers.h>

/* TSS_UUID_SRK is an initializer list, which Swift does not import. */
static inline TSS_UUID aem_tss_srk_uuid(void) {
    TSS_UUID uuid = TSS_UUID_SRK;
    return uuid;
}

#endif
