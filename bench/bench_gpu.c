/*
 * bench_gpu — the networks on the CUDA backend (issue 4's figures): inference frames/s of `regression`
 * at 256×256×4 and `voxel` at 16×16×4, network only (input already on the device) and host to host
 * (upload of the frames, forward, download of the outputs; decoding to localizations is not included),
 * and training frames/s (forward, loss, backward, Adam). Without a CUDA device it prints
 * "bench_gpu: skipped: no CUDA device: <reason>" and exits 0.
 *
 *   bench_gpu [seconds per case (default 2)]
 *
 * Best call of those timed after two warm-ups; a call ends with a download, so the queued GPU work is
 * complete when the clock stops.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "backend/device.h"
#include "nn/model.h"

static double min_seconds = 2.0;

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static int fail(const char *what) {
    fprintf(stderr, "bench_gpu: %s: %s\n", what, mumloc_last_error());
    return 1;
}

static float *random_floats(int64_t count, float scale) {
    float *h = malloc((size_t)count * sizeof *h);
    uint64_t s = 99;
    for (int64_t i = 0; h && i < count; i++) {
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        h[i] = scale * (float)(s >> 40) / 16777216.0f;
    }
    return h;
}

/* One case: model `arch` on n frames of size², inference (both ways) or training. */
static int run(nn_backend *be, nn_arch arch, int n, int size, int training) {
    nn_model_config cfg;
    nn_model_config_default(&cfg, arch);
    nn_model *m = NULL;
    if (nn_model_create(be, &cfg, &m) != MUMLOC_OK) return fail("model");
    nn_tensor *x = NULL, *target = NULL;
    const nn_tensor *y = NULL;
    if (nn_model_input(m, n, size, size, &x) != MUMLOC_OK) return fail("input");
    const nn_shape xs = be->tensor_shape(x), ys = nn_model_output_shape(m, xs);
    float *in = random_floats(nn_shape_count(xs), 20.0f);
    float *out = random_floats(nn_shape_count(ys), 1.0f);
    float *sync = malloc((size_t)nn_shape_count(m->params[0].shape) * sizeof *sync);
    if (!in || !out || !sync) return fail("host buffers");
    for (int64_t i = 0; i < nn_shape_count(ys); i++) out[i] = out[i] > 0.995f ? 1.0f : 0.0f;
    if (be->upload(be, x, in) != MUMLOC_OK) return fail("upload");
    if (training) {
        if (be->tensor_create(be, ys, &target) != MUMLOC_OK || be->upload(be, target, out) != MUMLOC_OK ||
            nn_model_ensure_training_state(m) != MUMLOC_OK)
            return fail("training state");
    }
    nn_adam_hyper hp = {1e-4f, 0.9f, 0.999f, 1e-8f};
    double best[2] = {1e30, 1e30};
    for (int way = 0; way < (training ? 1 : 2); way++) {
        double started = now();
        for (int r = 0; r < 5 || now() - started < min_seconds; r++) {
            double t0 = now();
            double loss;
            if (way == 1 && be->upload(be, x, in) != MUMLOC_OK) return fail("upload");
            if (nn_model_forward(m, x, training ? NN_MODE_TRAIN : NN_MODE_INFER, &y) != MUMLOC_OK)
                return fail("forward");
            if (training && (nn_model_loss(m, target, &loss) != MUMLOC_OK ||
                             nn_model_backward(m, x, NULL) != MUMLOC_OK ||
                             nn_model_adam_step(m, &hp) != MUMLOC_OK))
                return fail("training step");
            /* Host to host downloads everything; otherwise one value, to wait for the GPU. */
            if (way == 1 ? be->download(be, y, out) != MUMLOC_OK
                         : be->download(be, m->params[0].value, sync) != MUMLOC_OK)
                return fail("download");
            if (r >= 2 && now() - t0 < best[way]) best[way] = now() - t0;
        }
    }
    const char *name = arch == NN_ARCH_REGRESSION ? "regression" : "voxel";
    if (training)
        printf("  %-10s %3d²×4, batch %3d, training step: %8.2f ms (%8.0f frames/s)\n", name, size, n,
               1e3 * best[0], n / best[0]);
    else
        printf("  %-10s %3d²×4, batch %3d, inference: network %8.0f frames/s, host to host %8.0f "
               "frames/s\n",
               name, size, n, n / best[0], n / best[1]);
    be->tensor_destroy(be, target);
    nn_model_destroy(m);
    free(in);
    free(out);
    free(sync);
    return 0;
}

int main(int argc, char **argv) {
    if (argc > 1) min_seconds = atof(argv[1]);
    const device_cuda_probe *probe = device_cuda_probe_cached();
    if (probe->count < 1) {
        printf("bench_gpu: skipped: no CUDA device: %s\n", probe->reason);
        return 0;
    }
    nn_backend *be = NULL;
    mumloc_device_choice c;
    if (nn_backend_create_for_device((mumloc_device){MUMLOC_DEVICE_CUDA, 0}, &be, &c) != MUMLOC_OK)
        return fail("CUDA backend");
    printf("bench_gpu on %s (fp32)\n", c.reason);
    int rc = 0;
    rc |= run(be, NN_ARCH_REGRESSION, 8, 256, 0);
    rc |= run(be, NN_ARCH_REGRESSION, 32, 256, 0);
    rc |= run(be, NN_ARCH_VOXEL, 32, 16, 0);
    rc |= run(be, NN_ARCH_VOXEL, 128, 16, 0);
    rc |= run(be, NN_ARCH_REGRESSION, 16, 64, 1);
    rc |= run(be, NN_ARCH_VOXEL, 16, 16, 1);
    nn_backend_destroy(be);
    return rc;
}
