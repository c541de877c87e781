/*
 * bench_localize — end-to-end CPU throughput of the localization pipeline (TIFF file → CSV table:
 * read, photons, network, decode, photometry + CRLB, CSV rows) beside the network alone
 * (mumloc_model_benchmark) in the same run, on a simulated 256×256×4 movie at the papers' density
 * (50 molecules per 64×64, i.e. 800 per frame), in fp32 and in bf16 (where the CPU has it)
 * alternately, with the time per stage (mumloc_localize_summary's timers).
 *
 *   bench_localize [threads (default 2)] [frames (default 12)] [model file (default: the bundled
 *                  model if installed, else random weights)]
 *
 * With random weights the network's probabilities mean nothing, so the threshold is set to the
 * value that 800 voxels per frame exceed (on the first frame): decoding, photometry and the CSV then
 * handle as many records as a trained model would. Figures: best of three runs of each (the network
 * alone: best call over 1 s per run).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mumloc.h"

enum { SIZE = 256, MOLECULES = 800 };

static int fail(const char *what) {
    fprintf(stderr, "bench_localize: %s: %s\n", what, mumloc_last_error());
    return 1;
}

static int cmp_float(const void *a, const void *b) {
    float x = *(const float *)a, y = *(const float *)b;
    return x < y ? -1 : x > y;
}

/* The probability that `wanted` voxels of the first frame exceed. */
static double calibrate(mumloc_model *model, const char *movie, int k) {
    mumloc_localize_options o;
    mumloc_localize_options_default(&o);
    o.measure = 0;
    o.threshold = 0.999; /* few records while calibrating */
    o.frame_count = 1;
    mumloc_localizer *l = NULL;
    float *frame = NULL;
    double tau = 0.5;
    mumloc_sim_params p;
    mumloc_sim_params_default(&p);
    p.width = p.height = SIZE, p.frames = 1, p.molecules = MOLECULES, p.seed = 2;
    mumloc_simulator *sim = NULL;
    (void)movie;
    if (mumloc_simulator_create(&p, &sim) != MUMLOC_OK) return tau;
    const int64_t n = (int64_t)k * SIZE * SIZE;
    frame = malloc(sizeof *frame * (size_t)n);
    if (frame && mumloc_simulate_frames(sim, 0, 1, frame) == MUMLOC_OK &&
        mumloc_localizer_create(model, &o, SIZE, SIZE, &l) == MUMLOC_OK &&
        mumloc_localizer_push(l, frame, 1, 0) == MUMLOC_OK) {
        float *probs = malloc(sizeof *probs * (size_t)n);
        memcpy(probs, mumloc_localizer_last_output(l), sizeof *probs * (size_t)n); /* channels 0..k-1 */
        qsort(probs, (size_t)n, sizeof *probs, cmp_float);
        tau = probs[n - MOLECULES - 1];
        free(probs);
    }
    mumloc_localizer_destroy(l);
    mumloc_simulator_destroy(sim);
    free(frame);
    return tau;
}

int main(int argc, char **argv) {
    int threads = argc > 1 ? atoi(argv[1]) : 2;
    int frames = argc > 2 ? atoi(argv[2]) : 12;
    const char *model_path = argc > 3 ? argv[3] : getenv("MUMLOC_DEFAULT_MODEL");
    if (!model_path && access("test-data/default-model.safetensors", R_OK) == 0)
        model_path = "test-data/default-model.safetensors";
    if (mumloc_set_threads(threads) != MUMLOC_OK) return fail("threads");

    char dir[] = "/tmp/bench_localize_XXXXXX";
    if (!mkdtemp(dir)) return fail("temporary folder");
    char movie[64], table[64];
    snprintf(movie, sizeof movie, "%s/movie.tif", dir);
    snprintf(table, sizeof table, "%s/table.csv", dir);
    mumloc_sim_params p;
    mumloc_sim_params_default(&p);
    p.width = p.height = SIZE, p.frames = frames, p.molecules = MOLECULES, p.seed = 1;
    if (mumloc_simulate_to_files(&p, movie, NULL, NULL, NULL, NULL) != MUMLOC_OK)
        return fail("simulate");

    mumloc_model *model = NULL;
    int random = model_path == NULL;
    if (random ? mumloc_model_create(MUMLOC_ARCH_REGRESSION, &p.optics, NULL, 1.0, 1, &model)
               : mumloc_model_load(model_path, &model))
        return fail("model");
    mumloc_localize_options o;
    mumloc_localize_options_default(&o);
    if (random) o.threshold = calibrate(model, movie, p.optics.planes);

    printf("model: %s%s\n", random ? "random weights (no trained model installed)" : model_path,
           random ? "; threshold set so that 800 voxels per frame pass" : "");
    printf("movie: %d frames of %dx%dx%d, %d molecules/frame; %d threads\n", frames, SIZE, SIZE,
           p.optics.planes, MOLECULES, threads);
    /* fp32 and bf16 alternately in the same run, so that their ratio survives a noisy machine */
    const mumloc_precision precisions[2] = {MUMLOC_PRECISION_FP32, MUMLOC_PRECISION_BF16};
    mumloc_bench_result net[2] = {{0}};
    mumloc_localize_summary best[2] = {{0}};
    int ran[2] = {0, 0};
    for (int run = 0; run < 3; run++)
        for (int i = 0; i < 2; i++) {
            if (mumloc_model_set_precision(model, precisions[i]) != MUMLOC_OK) {
                if (run == 0) printf("%s: skipped: %s\n", mumloc_precision_name(precisions[i]),
                                     mumloc_last_error());
                continue;
            }
            mumloc_bench_result b;
            if (mumloc_model_benchmark(model, 1, SIZE, SIZE, 0, 1.0, &b) != MUMLOC_OK)
                return fail("network benchmark");
            if (!ran[i] || b.frames_per_second > net[i].frames_per_second) net[i] = b;
            o.precision = precisions[i];
            mumloc_localize_summary s;
            if (mumloc_localize_file(model, movie, table, &o, &s, NULL, NULL) != MUMLOC_OK)
                return fail("localize");
            if (!ran[i] || s.seconds < best[i].seconds) best[i] = s;
            ran[i] = 1;
        }
    for (int i = 0; i < 2; i++) {
        if (!ran[i]) continue;
        const mumloc_localize_summary *b = &best[i];
        const double fps = (double)b->frames / b->seconds, ms = 1e3 / (double)b->frames;
        const double bench_share = ((double)b->frames / net[i].frames_per_second) / b->seconds;
        printf("\n[%s] network alone (mumloc_model_benchmark, batch 1): %.2f frames/s (%.1f ms/frame, "
               "%.0f GFLOP/s)\n", mumloc_precision_name(precisions[i]), net[i].frames_per_second,
               1e3 / net[i].frames_per_second, net[i].gflops);
        printf("[%s] localize file -> table (best of 3): %.2f frames/s (%.1f ms/frame), %.0f "
               "localizations/frame\n", mumloc_precision_name(precisions[i]), fps, 1e3 / fps,
               (double)b->localizations / (double)b->frames);
        printf("[%s] time outside the network: %.1f %% (measured in the run); against the network "
               "benchmark: %.1f %% (target < 10 %%)\n", mumloc_precision_name(precisions[i]),
               100.0 * (1.0 - b->network_seconds / b->seconds), 100.0 * (1.0 - bench_share));
        printf("[%s] stages, ms/frame: read %.2f, to photons %.2f, network %.2f, decode %.2f, "
               "refine %.2f, photometry+CRLB %.2f, write %.2f, rest %.2f\n",
               mumloc_precision_name(precisions[i]), ms * b->read_seconds,
               ms * b->convert_seconds, ms * b->network_seconds, ms * b->decode_seconds,
               ms * b->refine_seconds, ms * b->measure_seconds, ms * b->write_seconds,
               ms * (b->seconds - b->read_seconds - b->convert_seconds - b->network_seconds -
                     b->decode_seconds - b->refine_seconds - b->measure_seconds - b->write_seconds));
    }
    if (ran[0] && ran[1])
        printf("\nbf16 / fp32, same run: network alone %.2fx, end to end %.2fx (target >= 1.6x)\n",
               net[1].frames_per_second / net[0].frames_per_second,
               best[0].seconds / best[1].seconds);
    mumloc_model_destroy(model);
    remove(movie);
    remove(table);
    rmdir(dir);
    return 0;
}
