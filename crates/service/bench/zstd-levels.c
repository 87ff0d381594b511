// Instructions per Zstandard frame of one determination at a given level (by hand, not in CI):
// the service's way of compressing a record (records/mod.rs, `Stored::compress`): the built-in
// dictionary prepared once at LEVEL, attached to a reused context (ZSTD_c_forceAttachDict), one
// frame per determination. Counted with callgrind as the difference between N=110 and N=10
// frames, so that loading the dictionary is left out:
//
//   Z=$(find ~/.cargo/registry/src -path '*zstd-sys-*/zstd/lib' -type d | tail -1)
//   gcc -O2 -I$Z crates/service/bench/zstd-levels.c /usr/lib/x86_64-linux-gnu/libzstd.so.1 -o /tmp/zl
//   export-controls check --product nvidia-h20 --to CN --on 2025-04-20 --format json --trace > /tmp/d.json
//   for n in 10 110; do valgrind --tool=callgrind --callgrind-out-file=/dev/null
//     /tmp/zl LEVEL $n crates/service/dict/determinations-1.zdict /tmp/d.json; done  (one line)
//
// Prints the frame's size; the instructions per frame are (Collected(110) - Collected(10)) / 100.
// Uses the system's libzstd (Debian's), not the copy built into the service: the same
// algorithms, a slightly older release (see crates/service/BENCHMARKS.md for the figures).
#define ZSTD_STATIC_LINKING_ONLY
#include <stdio.h>
#include <stdlib.h>
#include <zstd.h>

static char *read_all(const char *path, size_t *n) {
    FILE *f = fopen(path, "rb");
    if (!f || fseek(f, 0, SEEK_END) != 0) { perror(path); exit(2); }
    long len = ftell(f);
    rewind(f);
    char *b = malloc((size_t)len);
    if (!b || fread(b, 1, (size_t)len, f) != (size_t)len) { perror(path); exit(2); }
    fclose(f);
    *n = (size_t)len;
    return b;
}

int main(int argc, char **argv) {
    if (argc != 5) { fprintf(stderr, "usage: %s LEVEL N DICTIONARY FILE\n", argv[0]); return 2; }
    int level = atoi(argv[1]), n = atoi(argv[2]);
    size_t dict_len, text_len;
    char *dict = read_all(argv[3], &dict_len), *text = read_all(argv[4], &text_len);
    ZSTD_CDict *cdict = ZSTD_createCDict(dict, dict_len, level);
    ZSTD_CCtx *cctx = ZSTD_createCCtx();
    ZSTD_CCtx_setParameter(cctx, ZSTD_c_forceAttachDict, ZSTD_dictForceAttach);
    size_t cap = ZSTD_compressBound(text_len), r = 0;
    char *out = malloc(cap);
    for (int i = 0; i < n; i++) {
        ZSTD_CCtx_reset(cctx, ZSTD_reset_session_only);
        ZSTD_CCtx_refCDict(cctx, cdict);
        r = ZSTD_compress2(cctx, out, cap, text, text_len);
        if (ZSTD_isError(r)) { fprintf(stderr, "%s\n", ZSTD_getErrorName(r)); return 1; }
    }
    printf("level %d: %zu bytes -> %zu bytes\n", level, text_len, r);
    return 0;
}
