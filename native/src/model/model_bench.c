/* mumloc_model_benchmark: the network alone (what `mumloc bench` and scripts/bench.sh report). Other
 * processes competing for the cores stall OpenMP barriers for whole scheduler slices, so the best
 * call is the figure to compare; the median is reported beside it. */
#include <stdlib.h>
#include <time.h>

#include "core/error.h"
#include "core/runtime.h"
#include "model/model_handle.h"

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static int by_value(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Photon-like random frames (a fixed LCG: the values do not matter, only that they are not zero). */
static mumloc_status random_upload(nn_backend *be, nn_tensor *x) {
    const int64_t count = nn_shape_count(be->tensor_shape(x));
    float *host = malloc((size_t)count * sizeof *host);
    if (!host) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "no memory for benchmark input");
    uint64_t state = 12345;
    for (int64_t i = 0; i < count; i++) {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        host[i] = (float)(state >> 40) / 16777216.0f;
    }
    mumloc_status st = be->upload(be, x, host);
    free(host);
    return st;
}

static mumloc_status one_call(mumloc_model *model, nn_tensor *x, nn_tensor *target, int training) {
    const nn_tensor *y = NULL;
    if (!training) return nn_model_forward(model->nn, x, NN_MODE_INFER, &y);
    static const nn_adam_hyper hyper = {1e-3f, 0.9f, 0.999f, 1e-8f};
    double loss;
    ERROR_TRY(nn_model_forward(model->nn, x, NN_MODE_TRAIN, &y));
    ERROR_TRY(nn_model_loss(model->nn, target, &loss));
    ERROR_TRY(nn_model_backward(model->nn, x, NULL));
    return nn_model_adam_step(model->nn, &hyper);
}

mumloc_status mumloc_model_benchmark(mumloc_model *model, int batch, int width, int height,
                                     int training, double min_seconds, mumloc_bench_result *result) {
    if (!model || !result)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "benchmark needs a model and a result");
    if (batch < 1 || batch > 4096 || width < 1 || height < 1 || (int64_t)width * height > (1 << 24))
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "benchmark needs batch 1..4096 and frames of 1x1 to 4096x4096 (got %d of "
                           "%dx%d)", batch, width, height);
    if (!(min_seconds >= 0 && min_seconds <= 3600))
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "benchmark time must be 0..3600 s");
    threads_apply();
    nn_backend *be = model->be;
    nn_tensor *x = NULL, *target = NULL;
    ERROR_TRY(nn_model_input(model->nn, batch, height, width, &x));
    ERROR_TRY(random_upload(be, x));
    if (training) {
        nn_shape os = nn_model_output_shape(model->nn, be->tensor_shape(x));
        ERROR_TRY(be->tensor_create(be, os, &target));
    }
    mumloc_status st = target ? be->fill(be, target, 0.0f) : MUMLOC_OK;
    int cap = 64, n = 0;
    double *times = malloc((size_t)cap * sizeof *times);
    if (!times) st = error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "no memory for timings");
    for (int warm = 0; st == MUMLOC_OK && warm < 2; warm++) st = one_call(model, x, target, training);
    const double started = now();
    while (st == MUMLOC_OK && (n < 3 || now() - started < min_seconds)) {
        double t0 = now();
        st = one_call(model, x, target, training);
        if (n == cap) {
            double *grown = realloc(times, (size_t)(2 * cap) * sizeof *times);
            if (!grown) {
                st = error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "no memory for timings");
                break;
            }
            times = grown;
            cap *= 2;
        }
        times[n++] = now() - t0;
    }
    be->tensor_destroy(be, target);
    if (st == MUMLOC_OK) {
        qsort(times, (size_t)n, sizeof *times, by_value);
        result->calls = n;
        result->best_seconds = times[0];
        result->median_seconds = times[n / 2];
        result->frames_per_second = batch / times[0];
        double flops = 2.0 * nn_model_macs(model->nn, height, width) * batch * (training ? 3 : 1);
        result->gflops = flops / times[0] / 1e9;
    }
    free(times);
    return st;
}
