#ifndef AEM_CTSS2_SHIM_H
#define AEM_CTSS2_SHIM_H

#include <tss2/tss2_common.h>
#include <tss2/tss2_tpm2_types.h>
#include <tss2/tss2_tcti.h>
#include <tss2/tss2_tctildr.h>
#include <tss2/tss2_esys.h>
#include <tss2/tss2_mu.h>
#include <tss2/tss2_rc.h>

/* Tss2_Tcti_SetLocality is a macro over the TCTI's function table; Swift
 * cannot import it, so give it a function form. */
static inline TSS2_RC aem_tcti_set_locality(TSS2_TCTI_CONTEXT *tcti, uint8_t locality) {
    return Tss2_Tcti_SetLocality(tcti, locality);
}

/* Response-code constants that are expressions in the headers. */
static const TSS2_RC AEM_RC_LAYER_MASK = TSS2_RC_LAYER_MASK;
static const TSS2_RC AEM_RC_FORMAT_ONE = TPM2_RC_FMT1;
static const TSS2_RC AEM_RC_LOCKOUT = TPM2_RC_LOCKOUT;
static const TSS2_RC AEM_RC_RETRY = TPM2_RC_RETRY;
static const TSS2_RC AEM_RC_YIELDED = TPM2_RC_YIELDED;
static const TSS2_RC AEM_RC_TESTING = TPM2_RC_TESTING;
static const TSS2_RC AEM_RC_OBJECT_MEMORY = TPM2_RC_OBJECT_MEMORY;
static const TSS2_RC AEM_RC_SESSION_MEMORY = TPM2_RC_SESSION_MEMORY;
static const TSS2_RC AEM_RC_LOCALITY = TPM2_RC_LOCALITY;
static const TSS2_RC AEM_RC_AUTH_FAIL = TPM2_RC_AUTH_FAIL;
static const TSS2_RC AEM_RC_BAD_AUTH = TPM2_RC_BAD_AUTH;
static const TSS2_RC AEM_RC_POLICY_FAIL = TPM2_RC_POLICY_FAIL;
static const TSS2_RC AEM_RC_HANDLE = TPM2_RC_HANDLE;
static const TSS2_RC AEM_RC_VALUE = TPM2_RC_VALUE;

#endif
