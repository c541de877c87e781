/* Helpers of the GPU-vs-CPU parity tests: get the CUDA backend or skip (exit 0 with a line the lead
 * can grep), deterministic random data, and comparisons with a stated tolerance. */
#ifndef TESTS_GPU_PARITY_H
#define TESTS_GPU_PARITY_H

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "backend/device.h"
#include "check.h"

/* The CUDA backend on device 0, or NULL after printing "<test>: skipped: no CUDA device: <reason>".
 * Where a device exists, failing to create the backend is a test failure, not a skip. */
static inline nn_backend *gpu_backend_or_skip(const char *test) {
    const device_cuda_probe *probe = device_cuda_probe_cached();
    if (probe->count < 1) {
        printf("%s: skipped: no CUDA device: %s\n", test, probe->reason);
        return NULL;
    }
    nn_backend *be = NULL;
    mumloc_device_choice c;
    CHECK_OK(nn_backend_create_for_device((mumloc_device){MUMLOC_DEVICE_CUDA, 0}, &be, &c));
    if (be) printf("%s: running on %s\n", test, c.reason);
    return be;
}

/* Uniform in [lo, hi) from a 64-bit LCG (tests only need reproducible, not good, randomness). */
static inline void gpu_random(float *x, int64_t count, uint64_t seed, float lo, float hi) {
    uint64_t s = seed * 6364136223846793005ull + 1442695040888963407ull;
    for (int64_t i = 0; i < count; i++) {
        s = s * 6364136223846793005ull + 1442695040888963407ull;
        x[i] = lo + (hi - lo) * (float)((s >> 40) * (1.0 / 16777216.0));
    }
}

/* max |gpu − cpu| ≤ rtol · max |cpu| + atol: relative to the array's scale, so that sums computed in
 * another order (cuDNN's algorithms vs oneDNN's) compare fairly. */
static inline int gpu_compare(const char *what, const float *gpu, const float *cpu, int64_t count,
                       double rtol, double atol) {
    double worst = 0.0, scale = 0.0;
    int64_t at = 0;
    for (int64_t i = 0; i < count; i++) {
        double d = fabs((double)gpu[i] - cpu[i]);
        if (!(d <= worst)) {
            worst = d;
            at = i;
        }
        scale = fmax(scale, fabs((double)cpu[i]));
    }
    const int ok = worst <= rtol * scale + atol;
    printf("  %-40s max diff %.3g (scale %.3g, tolerance %.3g)%s\n", what, worst, scale,
           rtol * scale + atol, ok ? "" : "  FAILED");
    if (!ok) {
        fprintf(stderr, "%s: element %lld: gpu %.9g cpu %.9g\n", what, (long long)at, gpu[at],
                cpu[at]);
        check_failures++;
    }
    return ok;
}

/* A tensor on backend be holding host data (NULL: zeros). */
static inline nn_tensor *gpu_tensor(nn_backend *be, nn_shape s, const float *host) {
    nn_tensor *t = NULL;
    CHECK_OK(be->tensor_create(be, s, &t));
    if (t && host) CHECK_OK(be->upload(be, t, host));
    return t;
}

static inline float *gpu_host(nn_backend *be, const nn_tensor *t) {
    float *h = calloc((size_t)nn_shape_count(be->tensor_shape(t)), sizeof *h);
    if (h) CHECK_OK(be->download(be, t, h));
    return h;
}

#endif
