/* Library version and the one thread pool (OpenMP) every parallel part uses. */
#include "core/runtime.h"

#include <omp.h>
#include <stdatomic.h>

#include "core/error.h"

#ifndef MUMLOC_VERSION_STRING
#define MUMLOC_VERSION_STRING "0.0.0"
#endif

/* OpenMP's thread count is a per-thread setting, but callers (a Fiji plugin thread, the CLI) expect
 * one library-wide setting: keep it here and apply it on entry to every parallel API call. */
static atomic_int configured_threads = 0; /* 0: OpenMP's default (all cores or OMP_NUM_THREADS) */

const char *mumloc_version(void) { return MUMLOC_VERSION_STRING; }

mumloc_status mumloc_set_threads(int threads) {
    if (threads < 0 || threads > 4096)
        return mumloc_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "threads must be 0 (all cores) or 1..4096, got %d", threads);
    atomic_store(&configured_threads, threads);
    mumloc_threads_apply();
    return MUMLOC_OK;
}

void mumloc_threads_apply(void) {
    int threads = atomic_load(&configured_threads);
    if (threads > 0) omp_set_num_threads(threads);
}

int mumloc_get_threads(void) {
    int threads = atomic_load(&configured_threads);
    return threads > 0 ? threads : omp_get_max_threads();
}
