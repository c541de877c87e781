/* Library version and the one thread pool (OpenMP) every parallel part uses. */
#include "core/runtime.h"

#include <omp.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "core/error.h"

/* "MAJOR.MINOR.PATCH" from the public header's numbers. */
#define STRINGIFY_(x) #x
#define STRINGIFY(x) STRINGIFY_(x)
#define HEADER_VERSION                                                                      \
    STRINGIFY(MUMLOC_VERSION_MAJOR)                                                         \
    "." STRINGIFY(MUMLOC_VERSION_MINOR) "." STRINGIFY(MUMLOC_VERSION_PATCH)

/* OpenMP's thread count is a per-thread setting, but callers (a Fiji plugin thread, the CLI) expect
 * one library-wide setting: keep it here and apply it on entry to every parallel API call. */
static atomic_int configured_threads = 0; /* 0: OpenMP's default (all cores or OMP_NUM_THREADS) */

const char *mumloc_version(void) { return HEADER_VERSION; }

mumloc_status mumloc_set_threads(int threads) {
    if (threads < 0 || threads > 4096)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "threads must be 0 (all cores) or 1..4096, got %d", threads);
    atomic_store(&configured_threads, threads);
    threads_apply();
    return MUMLOC_OK;
}

void threads_apply(void) {
    int threads = atomic_load(&configured_threads);
    if (threads > 0) omp_set_num_threads(threads);
}

int mumloc_get_threads(void) {
    int threads = atomic_load(&configured_threads);
    return threads > 0 ? threads : omp_get_max_threads();
}

/* The library is linked with -z initfirst, so when it is dlopen()ed this runs before libgomp reads
 * its environment: a passive pool unless the user chose a policy (see mumloc_omp_wait_policy). At a
 * program's start-up it runs before libc has set up the environment (environ is still NULL): then
 * it does nothing, and the program must set the variable itself. */
extern char **environ;
__attribute__((constructor)) static void prefer_passive_omp_wait(void) {
    if (environ != NULL && getenv("OMP_WAIT_POLICY") == NULL && getenv("GOMP_SPINCOUNT") == NULL)
        setenv("OMP_WAIT_POLICY", "passive", 0);
}

const char *mumloc_omp_wait_policy(void) {
    const char *policy = getenv("OMP_WAIT_POLICY");
    return policy ? policy : "spin, then sleep";
}
