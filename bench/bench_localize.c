/*
 * bench_localize — end-to-end CPU throughput of the localization pipeline (TIFF file → CSV table:
 * read, photons, network, decode, photometry + CRLB, CSV rows) beside the network alone
 * (mumloc_model_benchmark) in the same run, on a simulated 256×256×4 movie at the papers' density
 * (50 molecules per 64×64, i.e. 800 per frame).
 *
 *   bench_localize [threads (default 2)] [frames (default 12)] [model file (default: the bundled
 *                  model if installed, else random weights)]
 *
 * With random weights the network's probabilities mean nothing, so the threshold is set to the
 * value that 800 voxels per frame exceed (on the first frame): decoding, photometry and the CSV then
 * handle as many records as a trained model would. Figures: best of three runs of each.
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

    mumloc_bench_result net;
    if (mumloc_model_benchmark(model, 1, SIZE, SIZE, 0, 3.0, &net) != MUMLOC_OK)
        return fail("network benchmark");
    mumloc_localize_summary best = {0};
    for (int run = 0; run < 3; run++) {
        mumloc_localize_summary s;
        if (mumloc_localize_file(model, movie, table, &o, &s, NULL, NULL) != MUMLOC_OK)
            return fail("localize");
        if (run == 0 || s.seconds < best.seconds) best = s;
    }
    double e2e_fps = (double)best.frames / best.seconds;
    double net_share = best.network_seconds / best.seconds;
    double bench_share = ((double)best.frames / net.frames_per_second) / best.seconds;
    printf("model: %s%s\n", random ? "random weights (no trained model installed)" : model_path,
           random ? "; threshold set so that 800 voxels per frame pass" : "");
    printf("movie: %d frames of %dx%dx%d, %d molecules/frame; %d threads\n", frames, SIZE, SIZE,
           p.optics.planes, MOLECULES, threads);
    printf("network alone (mumloc_model_benchmark, batch 1): %.2f frames/s (%.1f ms/frame, "
           "%.0f GFLOP/s)\n", net.frames_per_second, 1e3 / net.frames_per_second, net.gflops);
    printf("localize file -> table (best of 3): %.2f frames/s (%.1f ms/frame), %.0f "
           "localizations/frame\n", e2e_fps, 1e3 / e2e_fps,
           (double)best.localizations / (double)best.frames);
    printf("time outside the network: %.1f %% (measured in the run: %.1f ms/frame in forward "
           "passes); against the network benchmark: %.1f %% (target < 10 %%)\n",
           100.0 * (1.0 - net_share), 1e3 * best.network_seconds / (double)best.frames,
           100.0 * (1.0 - bench_share));
    mumloc_model_destroy(model);
    remove(movie);
    remove(table);
    rmdir(dir);
    return 0;
}
