/* make bench: the gzip libraries this machine packages, inflating one file
 * (already in memory) into a 1 MiB buffer that is reused, as the module
 * loader does, except libdeflate, which has no streaming interface and
 * needs the whole output at once. Prints "library milliseconds" per line,
 * the median of RUNS runs.
 *
 *   inflate FILE.gz RUNS
 */
#include <isa-l/igzip_lib.h>
#include <libdeflate.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <zlib.h>

#define CHUNK (1 << 20)

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int compare(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static unsigned char chunk[CHUNK];

static size_t with_zlib(unsigned char *in, size_t size) {
    z_stream z = {0};
    size_t total = 0;
    int status;
    inflateInit2(&z, 16 + 15);
    z.next_in = in;
    z.avail_in = size;
    do {
        z.next_out = chunk;
        z.avail_out = CHUNK;
        status = inflate(&z, Z_NO_FLUSH);
        total += CHUNK - z.avail_out;
    } while (status == Z_OK);
    inflateEnd(&z);
    return status == Z_STREAM_END ? total : 0;
}

static size_t with_isal(unsigned char *in, size_t size) {
    static struct inflate_state state;
    size_t total = 0;
    isal_inflate_init(&state);
    state.crc_flag = ISAL_GZIP;
    state.next_in = in;
    state.avail_in = size;
    while (state.block_state != ISAL_BLOCK_FINISH) {
        state.next_out = chunk;
        state.avail_out = CHUNK;
        if (isal_inflate(&state) != ISAL_DECOMP_OK) return 0;
        total += CHUNK - state.avail_out;
        if (state.avail_in == 0 && state.avail_out > 0 && state.block_state != ISAL_BLOCK_FINISH) return 0;
    }
    return total;
}

static size_t with_libdeflate(unsigned char *in, size_t size) {
    /* The size from the gzip trailer: libdeflate needs the room up front. */
    size_t out_size = in[size - 4] | in[size - 3] << 8 | in[size - 2] << 16 | (size_t)in[size - 1] << 24;
    unsigned char *out = malloc(out_size);
    struct libdeflate_decompressor *d = libdeflate_alloc_decompressor();
    size_t total = 0;
    if (libdeflate_gzip_decompress(d, in, size, out, out_size, &total) != LIBDEFLATE_SUCCESS) total = 0;
    libdeflate_free_decompressor(d);
    free(out);
    return total;
}

int main(int argc, char **argv) {
    if (argc != 3) return 2;
    FILE *file = fopen(argv[1], "rb");
    if (!file) return 2;
    fseek(file, 0, SEEK_END);
    size_t size = ftell(file);
    rewind(file);
    unsigned char *in = malloc(size);
    if (fread(in, 1, size, file) != size) return 2;
    int runs = atoi(argv[2]);
    struct { const char *name; size_t (*run)(unsigned char *, size_t); } libraries[] = {
        {"zlib", with_zlib}, {"libdeflate", with_libdeflate}, {"isa-l", with_isal}};
    size_t expected = with_zlib(in, size);
    for (int l = 0; l < 3; l++) {
        double samples[64];
        for (int r = 0; r < runs && r < 64; r++) {
            double start = now();
            if (libraries[l].run(in, size) != expected || expected == 0) {
                fprintf(stderr, "%s: wrong output size\n", libraries[l].name);
                return 1;
            }
            samples[r] = now() - start;
        }
        qsort(samples, runs, sizeof samples[0], compare);
        printf("%s %.1f\n", libraries[l].name, samples[runs / 2]);
    }
    return 0;
}
