#ifndef AEM_CISAL_SHIM_H
#define AEM_CISAL_SHIM_H

#include <stdint.h>
#include <stdlib.h>
#include <isa-l/igzip_lib.h>

/* ISA-L's inflate state is 85 KiB: it lives on the heap and Swift only
 * ever holds a pointer to it, through these helpers, so that no copy of
 * it is made on the stack. */

/* A decoder for one gzip member (header, deflate data, CRC-32 and size
 * checked by ISA-L), or NULL when out of memory. */
static inline struct inflate_state *aem_isal_gzip_decoder(void) {
    struct inflate_state *state = malloc(sizeof *state);
    if (state != NULL) {
        isal_inflate_init(state);
        state->crc_flag = ISAL_GZIP;
    }
    return state;
}

static inline void aem_isal_free(struct inflate_state *state) {
    free(state);
}

/* One inflate call: consumes from *input/*input_length, writes at most
 * output_length bytes, reports how many in *produced and whether the
 * member (trailer included) is complete. Returns ISA-L's status. */
static inline int aem_isal_inflate(struct inflate_state *state, const uint8_t **input, uint32_t *input_length,
                                   uint8_t *output, uint32_t output_length, uint32_t *produced, int *finished) {
    state->next_in = (uint8_t *)*input;
    state->avail_in = *input_length;
    state->next_out = output;
    state->avail_out = output_length;
    int status = isal_inflate(state);
    *input = state->next_in;
    *input_length = state->avail_in;
    *produced = output_length - state->avail_out;
    *finished = state->block_state == ISAL_BLOCK_FINISH;
    return status;
}

#endif
