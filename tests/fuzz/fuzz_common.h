/* Shared by the libFuzzer harnesses (tests/fuzz/fuzz_*.c): scratch files for readers that take a
 * path, whole-file comparison, and the check that turns a broken round trip into a crash libFuzzer
 * reports (with the input saved as crash-<hash>). */
#ifndef TESTS_FUZZ_COMMON_H
#define TESTS_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mumloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* A failed invariant: say which, then abort() so libFuzzer keeps the input. */
#define FUZZ_ASSERT(cond, ...)                                                                   \
    do {                                                                                         \
        if (!(cond)) {                                                                           \
            fprintf(stderr, "fuzz invariant failed at %s:%d: %s\n  ", __FILE__, __LINE__, #cond); \
            fprintf(stderr, __VA_ARGS__);                                                        \
            fprintf(stderr, "\n  last library error: %s\n", mumloc_last_error());                \
            abort();                                                                             \
        }                                                                                        \
    } while (0)

/* One single-threaded library per process: runs are then deterministic and cheap. */
static inline void fuzz_init_library(void) { mumloc_set_threads(1); }

/* The input as a NUL-terminated string (it may hold NULs of its own: readers of C strings stop at
 * the first, as they would on a real description or record). */
static inline char *fuzz_string(const uint8_t *data, size_t size) {
    char *s = malloc(size + 1);
    if (!s) abort();
    if (size) memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

/* A scratch path private to this process: "<dir>/mumloc-fuzz-<pid>-<name>", where dir is
 * $MUMLOC_FUZZ_TMP (tests/fuzz/run.sh makes one and removes it after a crash too), else /dev/shm when
 * there is one (no disk traffic), else /tmp. Valid until the next call with the same slot (0..3). */
static inline const char *fuzz_path(int slot, const char *name) {
    static char paths[4][256];
    const char *base = getenv("MUMLOC_FUZZ_TMP");
    if (!base || !*base) base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    snprintf(paths[slot], sizeof paths[slot], "%s/mumloc-fuzz-%ld-%s", base, (long)getpid(), name);
    return paths[slot];
}

static inline void fuzz_write_file(const char *path, const void *data, size_t size) {
    FILE *f = fopen(path, "wb");
    FUZZ_ASSERT(f != NULL, "cannot create scratch file %s", path);
    FUZZ_ASSERT(size == 0 || fwrite(data, 1, size, f) == size, "cannot write %s", path);
    FUZZ_ASSERT(fclose(f) == 0, "cannot write %s", path);
}

/* The file's bytes (NUL-terminated) and their count; aborts when it cannot be read. */
static inline unsigned char *fuzz_read_file(const char *path, size_t *size) {
    FILE *f = fopen(path, "rb");
    FUZZ_ASSERT(f != NULL, "cannot open %s", path);
    size_t cap = 4096, n = 0, got;
    unsigned char *data = malloc(cap + 1);
    while (data && (got = fread(data + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) data = realloc(data, (cap *= 2) + 1);
    }
    fclose(f);
    FUZZ_ASSERT(data != NULL, "out of memory reading %s", path);
    data[n] = '\0';
    *size = n;
    return data;
}

/* Aborts unless the two files hold the same bytes; `what` names the round trip. */
static inline void fuzz_assert_same_files(const char *a, const char *b, const char *what) {
    size_t na, nb;
    unsigned char *da = fuzz_read_file(a, &na), *db = fuzz_read_file(b, &nb);
    size_t at = 0;
    while (at < na && at < nb && da[at] == db[at]) at++;
    FUZZ_ASSERT(na == nb && at == na, "%s: %s (%zu bytes) and %s (%zu bytes) differ from byte %zu",
                what, a, na, b, nb, at);
    free(da);
    free(db);
}

#endif
