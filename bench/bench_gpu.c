/*
 * bench_gpu — issue 4's GPU figures:
 *   1. end to end, host frames to localizations: camera values in host memory → photons → the batch
 *      queue (model/model_infer.h: page-locked staging, upload / compute / download overlapped on
 *      three streams, batch sized to the free device memory) → decoding of every frame (OpenMP over
 *      the frames of a batch, while the GPU runs the next batch) → localization records. For
 *      `regression` at 256×256×4 (the bundled model when installed, else random weights) and `voxel`
 *      at 16×16×4 (random weights). With random weights the threshold is set so that about as many
 *      voxels pass as a trained model finds molecules (800 per 256×256 frame, 4 per 16×16), so the
 *      decoding does realistic work. Not timed: reading a TIFF, photometry/CRLB, writing CSV;
 *   2. the network alone (input already on the device) and host to host (synchronous upload,
 *      forward, download), engine level;
 *   3. training frames/s (forward, loss, backward, Adam).
 * Without a CUDA device it prints "bench_gpu: skipped: no CUDA device: <reason>" and exits 0.
 *
 *   bench_gpu [seconds per case (default 2)] [regression model file]
 *
 * Network figures: best call of those timed after two warm-ups (a call ends with a download, so the
 * queued GPU work is complete when the clock stops). End to end: frames over wall time of a run of at
 * least the given seconds after one warm-up batch.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "backend/device.h"
#include "model/model_infer.h"
#include "nn/network.h"

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

/* --- end to end: host frames → localizations -------------------------------------------------- */

static int cmp_float_desc(const void *a, const void *b) {
    float x = *(const float *)a, y = *(const float *)b;
    return x > y ? -1 : x < y;
}

/* The threshold `wanted` values of the first frame's probabilities exceed (random weights only). */
static double calibrate(const float *out, int64_t probability_floats, int wanted) {
    float *p = malloc(sizeof *p * (size_t)probability_floats);
    if (!p) return 0.5;
    memcpy(p, out, sizeof *p * (size_t)probability_floats);
    qsort(p, (size_t)probability_floats, sizeof *p, cmp_float_desc);
    double tau = p[wanted < probability_floats ? wanted : probability_floats - 1];
    free(p);
    return tau;
}

typedef struct e2e_case {
    mumloc_arch arch;
    int size, molecules; /* frame edge; molecules simulated (and threshold target for random weights) */
    int cap;             /* most frames per batch */
} e2e_case;

/* Decodes frames [0, n) of a batch's outputs; returns the localizations found (-1 on error). */
static int64_t decode_batch(const mumloc_optics *optics, const mumloc_decode_options *dopt,
                            mumloc_arch arch, int channels, int upsampling, int size,
                            const float *out, int64_t out_per, int n, int64_t first_frame) {
    int64_t total = 0;
    int bad = 0;
#pragma omp parallel reduction(+ : total) reduction(| : bad)
    {
        int cap = 4096;
        mumloc_localization *buf = malloc(sizeof *buf * (size_t)cap);
#pragma omp for schedule(dynamic)
        for (int f = 0; f < n; f++) {
            for (;;) {
                int count = 0;
                mumloc_status st =
                    arch == MUMLOC_ARCH_VOXEL
                        ? mumloc_decode_voxel(optics, out + f * out_per, channels, upsampling,
                                              size, size, dopt, first_frame + f, buf,
                                              buf ? cap : 0, &count)
                        : mumloc_decode_regression(optics, out + f * out_per, size, size, dopt,
                                                   first_frame + f, buf, buf ? cap : 0, &count);
                if (st == MUMLOC_OK && buf) {
                    total += count;
                    break;
                }
                if (count <= cap || !buf) {
                    bad = 1;
                    break;
                }
                free(buf);
                cap = count + count / 2;
                buf = malloc(sizeof *buf * (size_t)cap);
            }
        }
        free(buf);
    }
    return bad ? -1 : total;
}

typedef struct e2e_tally {
    int64_t frames, localizations;
} e2e_tally;

/* Collects the oldest batch in flight and decodes it; non-zero on error (reported). */
static int take_and_decode(model_infer_queue *q, const mumloc_optics *optics,
                           const mumloc_decode_options *dopt, mumloc_arch arch, int channels,
                           int upsampling, int size, e2e_tally *tally) {
    const float *out = NULL;
    int n = 0;
    if (model_infer_collect(q, &out, &n) != MUMLOC_OK) return fail("collect");
    const int64_t found = decode_batch(optics, dopt, arch, channels, upsampling, size, out,
                                       model_infer_output_floats(q), n, tally->frames);
    if (found < 0) return fail("decode");
    tally->frames += n;
    tally->localizations += found;
    return 0;
}

static int end_to_end(const e2e_case *c, const char *model_path) {
    const char *name = mumloc_arch_name((int)c->arch);
    mumloc_model *model = NULL;
    mumloc_optics optics;
    mumloc_optics_default(&optics);
    const int random = c->arch != MUMLOC_ARCH_REGRESSION || !model_path;
    if (random ? mumloc_model_create(c->arch, &optics, NULL, 1.0, 1, &model)
               : mumloc_model_load(model_path, &model))
        return fail("model");
    mumloc_model_optics(model, &optics);
    const mumloc_device cuda0 = {MUMLOC_DEVICE_CUDA, 0};
    if (mumloc_model_set_device(model, &cuda0, NULL) != MUMLOC_OK) return fail("model to cuda");

    /* frames: a simulated movie in camera values, cycled through */
    mumloc_sim_params p;
    mumloc_sim_params_default(&p);
    p.optics = optics;
    p.width = p.height = c->size;
    p.molecules = c->molecules;
    p.seed = 7;
    /* the largest batch the free device memory holds, up to c->cap */
    const int batch =
        model_infer_frames_for_budget(model, c->size, c->size, model_infer_budget(model), c->cap, 8);
    const int movie = 4 * batch;
    p.frames = movie;
    const int64_t in_per = (int64_t)optics.planes * c->size * c->size;
    float *camera = malloc(sizeof *camera * (size_t)(movie * in_per));
    float *photons = malloc(sizeof *photons * (size_t)(batch * in_per));
    mumloc_simulator *sim = NULL;
    if (!camera || !photons || mumloc_simulator_create(&p, &sim) != MUMLOC_OK ||
        mumloc_simulate_frames(sim, 0, movie, camera) != MUMLOC_OK)
        return fail("simulated frames");
    mumloc_simulator_destroy(sim);
    const float scale = (float)(1.0 / (p.camera.adu_per_electron * p.camera.em_gain));
    const float offset = (float)p.camera.offset_adu;

    model_infer_queue *q = NULL;
    if (model_infer_create(model, batch, c->size, c->size, &q) != MUMLOC_OK) return fail("queue");
    int channels = 0, ow = 0, oh = 0;
    mumloc_model_output_size(model, c->size, c->size, &channels, &ow, &oh);
    const int64_t out_per = model_infer_output_floats(q);
    mumloc_decode_options dopt;
    mumloc_decode_options_default(&dopt);
    dopt.threshold = mumloc_model_threshold(model);

    /* one warm-up batch (plans, folding, cuDNN's first calls); it also calibrates random weights */
    int64_t next = 0;
    const float *out = NULL;
    int n = 0;
    for (int64_t i = 0; i < batch * in_per; i++) photons[i] = (camera[i] - offset) * scale;
    if (model_infer_submit(q, photons, batch) != MUMLOC_OK ||
        model_infer_collect(q, &out, &n) != MUMLOC_OK)
        return fail("warm-up batch");
    if (random) {
        const int64_t prob_floats = c->arch == MUMLOC_ARCH_VOXEL ? out_per : out_per / 4;
        dopt.threshold = calibrate(out, prob_floats, c->molecules);
    }

    const double started = now();
    e2e_tally tally = {0, 0};
    const int upsampling = ow / c->size;
    for (;;) {
        if (now() - started < min_seconds) {
            /* convert the next batch while two are in flight, decode the older one while the GPU
             * runs the other, then queue the next */
            const int64_t at = (next % (movie / batch)) * batch * in_per;
#pragma omp parallel for schedule(static)
            for (int64_t i = 0; i < batch * in_per; i++)
                photons[i] = (camera[at + i] - offset) * scale;
            if (model_infer_in_flight(q) == 2 &&
                take_and_decode(q, &optics, &dopt, c->arch, channels, upsampling, c->size, &tally))
                return 1;
            if (model_infer_submit(q, photons, batch) != MUMLOC_OK) return fail("submit");
            next++;
        } else if (model_infer_in_flight(q) > 0) {
            if (take_and_decode(q, &optics, &dopt, c->arch, channels, upsampling, c->size, &tally))
                return 1;
        } else {
            break;
        }
    }
    const double seconds = now() - started;
    printf("  %-10s %3d²×%d end to end (host frames → localizations), batch %d: %8.0f frames/s, "
           "%.1f localizations/frame (%s)\n",
           name, c->size, optics.planes, batch, (double)tally.frames / seconds,
           (double)tally.localizations / (double)(tally.frames > 0 ? tally.frames : 1),
           random ? "random weights, calibrated threshold" : model_path);
    model_infer_destroy(q);
    mumloc_model_destroy(model);
    free(camera);
    free(photons);
    return 0;
}

int main(int argc, char **argv) {
    if (argc > 1) min_seconds = atof(argv[1]);
    const char *model_path = argc > 2 ? argv[2] : getenv("MUMLOC_DEFAULT_MODEL");
    if (!model_path && access("test-data/default-model.safetensors", R_OK) == 0)
        model_path = "test-data/default-model.safetensors";
    const device_cuda_probe *probe = device_cuda_probe_cached();
    if (probe->count < 1) {
        printf("bench_gpu: skipped: no CUDA device: %s\n", probe->reason);
        return 0;
    }
    nn_backend *be = NULL;
    mumloc_device_choice c;
    if (nn_backend_create_for_device((mumloc_device){MUMLOC_DEVICE_CUDA, 0}, &be, &c) != MUMLOC_OK)
        return fail("CUDA backend");
    printf("bench_gpu on %s (%s)\n", c.reason,
           getenv("MUMLOC_CUDA_TF32") && strcmp(getenv("MUMLOC_CUDA_TF32"), "1") == 0
               ? "TF32 convolutions (MUMLOC_CUDA_TF32=1)"
               : "fp32");
    int rc = 0;
    const e2e_case regression = {MUMLOC_ARCH_REGRESSION, 256, 800, 32};
    const e2e_case voxel = {MUMLOC_ARCH_VOXEL, 16, 4, 256};
    rc |= end_to_end(&regression, model_path);
    rc |= end_to_end(&voxel, NULL);
    rc |= run(be, NN_ARCH_REGRESSION, 8, 256, 0);
    rc |= run(be, NN_ARCH_REGRESSION, 32, 256, 0);
    rc |= run(be, NN_ARCH_VOXEL, 32, 16, 0);
    rc |= run(be, NN_ARCH_VOXEL, 128, 16, 0);
    rc |= run(be, NN_ARCH_REGRESSION, 16, 64, 1);
    rc |= run(be, NN_ARCH_VOXEL, 16, 16, 1);
    nn_backend_destroy(be);
    return rc;
}
