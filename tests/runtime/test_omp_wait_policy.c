/* The library, dlopen()ed as Fiji/Java/Python load it, makes OpenMP's idle threads sleep instead of
 * spin (core/runtime.c), unless the user chose a policy. Checked by what spinning costs: a thread
 * that waits 50 × 2 ms at a barrier for a sleeping sibling burns ~100 ms of CPU when it spins and
 * almost none when it sleeps. This program links no OpenMP itself, so libgomp starts only when the
 * library is opened, as in a JVM. Usage: test_omp_wait_policy LIBMUMLOC.so */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

typedef void (*gomp_parallel_fn)(void (*)(void *), void *, unsigned, unsigned);
typedef void (*gomp_barrier_fn)(void);
typedef int (*omp_thread_num_fn)(void);
typedef const char *(*policy_fn)(void);

static gomp_barrier_fn barrier;
static omp_thread_num_fn thread_num;

static void wait_for_a_sleeper(void *unused) {
    (void)unused;
    for (int i = 0; i < 50; i++) {
        if (thread_num() == 1) usleep(2000);
        barrier();
    }
}

static double cpu_ms(void) {
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return (u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1e3 + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e3;
}

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: %s LIBMUMLOC.so [expected-policy]\n", argv[0]); return 2; }
    const char *expected = argc > 2 ? argv[2] : "passive";
    void *lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (!lib) { fprintf(stderr, "FAIL: dlopen: %s\n", dlerror()); return 1; }
    gomp_parallel_fn parallel = (gomp_parallel_fn)dlsym(lib, "GOMP_parallel");
    barrier = (gomp_barrier_fn)dlsym(lib, "GOMP_barrier");
    thread_num = (omp_thread_num_fn)dlsym(lib, "omp_get_thread_num");
    policy_fn policy = (policy_fn)dlsym(lib, "mumloc_omp_wait_policy");
    if (!parallel || !barrier || !thread_num || !policy) { fprintf(stderr, "FAIL: dlsym\n"); return 1; }

    const char *seen = policy();
    if (strcmp(seen, expected) != 0) {
        fprintf(stderr, "FAIL: wait policy '%s', expected '%s'\n", seen, expected);
        return 1;
    }
    double before = cpu_ms();
    parallel(wait_for_a_sleeper, NULL, 2, 0);
    double burnt = cpu_ms() - before;
    printf("policy %s: %.1f ms of CPU while one thread waited 100 ms for the other\n", seen, burnt);
    if (strcmp(expected, "passive") == 0 && burnt > 40) {
        fprintf(stderr, "FAIL: the waiting thread spun (%.1f ms of CPU): libgomp read its environment "
                        "before the library's constructor ran\n", burnt);
        return 1;
    }
    return 0;
}
