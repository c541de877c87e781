/* Training with a measured PSF (issue 13: spline simulation must not make training more than 2×
 * slower than the Gaussian's). Two parts:
 *
 *   bench_spline_train speed [repeats (3)] [steps (6)]
 *     The papers' four planes, 64×64 frames, 20 molecules, batch 16: mumloc_train for a rig with the
 *     Gaussian PSF and for the same rig with splines built from that Gaussian (quarter-pixel grid,
 *     ±12 pixels, 40 nm z nodes), interleaved run by run; seconds per step (wall, after the first
 *     step) and the simulation alone (train_data_fill: frames and targets) per batch.
 *
 *   bench_spline_train accuracy [steps (2000)]
 *     k = 1 (astigmatic spline) and k = 2 (biplane splines) rigs: train `steps` steps, localize a
 *     fresh 200-frame movie of the same PSF with the rig, evaluate (Jaccard, RMSE, bias per depth bin).
 *
 * Files go to a temporary folder, removed at the end. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../tests/c/gaussian_spline.h"
#include "model/model_handle.h"
#include "optics/spline_file.h"
#include "train/train_data.h"

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

static char dir[] = "/tmp/mumloc-bench-spline-XXXXXX";

static void file_in(char *buf, const char *name) { snprintf(buf, 1024, "%.200s/%.800s", dir, name); }

/* Writes the spline file of `set` beside dir/name.json, saves and reloads the rig as a spline rig. */
static int make_spline_rig(mumloc_rig *rig, spline_set *set, const char *name) {
    char rig_path[1024], psf_path[1024], file[1024];
    snprintf(file, sizeof file, "%s.json", name);
    file_in(rig_path, file);
    if (mumloc_rig_psf_sidecar_path(rig_path, psf_path, sizeof psf_path) != MUMLOC_OK ||
        spline_set_save(psf_path, set) != MUMLOC_OK)
        return 0;
    rig->psf = MUMLOC_PSF_SPLINE;
    snprintf(rig->psf_file, sizeof rig->psf_file, "%s", strrchr(psf_path, '/') + 1);
    snprintf(rig->psf_hash, sizeof rig->psf_hash, "%s", set->sha256);
    return mumloc_rig_save(rig_path, rig) == MUMLOC_OK && mumloc_rig_load(rig_path, rig) == MUMLOC_OK;
}

typedef struct timing {
    double first, last;
    int64_t steps;
} timing;

static int on_step(void *user, const mumloc_train_progress *p) {
    timing *t = user;
    if (p->step == 1) t->first = p->seconds;
    t->last = p->seconds;
    t->steps = p->step;
    return 0;
}

static double seconds_per_step(const mumloc_rig *rig, int steps) {
    mumloc_train_options o;
    mumloc_train_options_default(&o, MUMLOC_ARCH_REGRESSION);
    o.sim.optics = rig->optics;
    o.sim.width = o.sim.height = 64;
    o.sim.molecules = 20;
    o.steps = steps;
    o.batch = 16;
    o.validation_frames = 16;
    o.rig = rig;
    char out[1024];
    file_in(out, "speed.safetensors");
    o.out_path = out;
    timing t = {0};
    if (mumloc_train(&o, on_step, &t, NULL) != MUMLOC_OK) {
        fprintf(stderr, "train: %s\n", mumloc_last_error());
        return -1;
    }
    unlink(out);
    return (t.last - t.first) / (double)(t.steps - 1);
}

static double fill_seconds(const mumloc_rig *rig, int batches) {
    mumloc_sim_params p;
    mumloc_sim_params_default(&p);
    p.optics = rig->optics;
    p.width = p.height = 64;
    p.molecules = 20;
    mumloc_model *model = NULL;
    train_data d;
    if (mumloc_model_create(MUMLOC_ARCH_REGRESSION, &p.optics, &p.camera, 1.0, 1, &model) != MUMLOC_OK ||
        train_data_init(&d, &p, rig, 3, model, 16) != MUMLOC_OK)
        return -1;
    double t0 = now();
    for (int b = 0; b < batches; b++) train_data_fill(&d, (int64_t)b * 16, 16);
    double s = (now() - t0) / batches;
    train_data_free(&d);
    mumloc_model_destroy(model);
    return s;
}

static int speed(int repeats, int steps) {
    static mumloc_rig gauss, spline;
    mumloc_rig_default(&gauss, 4, 64, 64);
    spline = gauss;
    spline_set set = {.planes = 4};
    for (int d = 0; d < 4; d++)
        gaussian_spline_of_plane(&gauss.optics, d, 4, 12, 61, -400.0, 40.0, &set.plane[d]);
    if (!make_spline_rig(&spline, &set, "speed")) return 1;
    spline_set_free(&set);
    printf("training step (4 planes, 64x64, 20 molecules, batch 16, %d steps; wall s/step after the "
           "first), interleaved:\n", steps);
    double sum_g = 0, sum_s = 0, fill_g = 0, fill_s = 0;
    for (int r = 0; r < repeats; r++) {
        double g = seconds_per_step(&gauss, steps), s = seconds_per_step(&spline, steps);
        double fg = fill_seconds(&gauss, 4), fs = fill_seconds(&spline, 4);
        printf("  run %d: gaussian %.3f s/step, spline %.3f s/step (x%.2f); simulation + targets "
               "per batch: gaussian %.3f s, spline %.3f s (x%.2f)\n",
               r + 1, g, s, s / g, fg, fs, fs / fg);
        sum_g += g, sum_s += s, fill_g += fg, fill_s += fs;
    }
    printf("mean: step x%.2f (spline / gaussian), simulation x%.2f\n", sum_s / sum_g, fill_s / fill_g);
    return 0;
}

/* k = 1 astigmatic (x focus 300 nm above 800, y 300 nm below) or the optics' Gaussian planes. */
static void splines_for(const mumloc_optics *o, spline_set *set) {
    enum { NZ = 61 };
    const double z0 = -400.0, zs = 40.0;
    memset(set, 0, sizeof *set);
    set->planes = o->planes;
    if (o->planes == 1) {
        astigmatic_spline(o->pixel_nm, 4, 10, NZ, z0, zs, 1100.0, 500.0, 130.0, 400.0, &set->plane[0]);
        return;
    }
    for (int d = 0; d < o->planes; d++) gaussian_spline_of_plane(o, d, 4, 10, NZ, z0, zs, &set->plane[d]);
}

static int accuracy_case(int k, int steps) {
    static mumloc_rig rig;
    mumloc_rig_default(&rig, k, 64, 64);
    if (k == 1) rig.optics.plane_depth_nm[0] = 800.0;
    else rig.optics.plane_depth_nm[0] = 500.0, rig.optics.plane_depth_nm[1] = 1100.0;
    spline_set set;
    splines_for(&rig.optics, &set);
    if (!make_spline_rig(&rig, &set, k == 1 ? "astigmatic" : "biplane")) return 1;
    spline_set_free(&set);
    mumloc_train_options o;
    mumloc_train_options_default(&o, MUMLOC_ARCH_REGRESSION);
    o.sim.optics = rig.optics;
    o.sim.width = o.sim.height = 64;
    o.sim.molecules = 20;
    o.sim.drift_max_nm = 0;
    if (k == 2) o.sim.z_min_nm = 200, o.sim.z_max_nm = 1400;
    o.steps = steps;
    o.batch = 16;
    o.validation_frames = 64;
    o.rig = &rig;
    char model_path[1024], movie[1024], truth[1024], table[1024];
    file_in(model_path, "accuracy.safetensors");
    o.out_path = model_path;
    double t0 = now();
    mumloc_model *model = NULL;
    if (mumloc_train(&o, NULL, NULL, &model) != MUMLOC_OK) {
        fprintf(stderr, "train: %s\n", mumloc_last_error());
        return 1;
    }
    double trained = now() - t0;
    mumloc_sim_params p = o.sim;
    p.frames = 200;
    p.seed = 777;
    file_in(movie, "movie.tif");
    file_in(truth, "truth.csv");
    file_in(table, "locs.csv");
    mumloc_localize_options lo;
    mumloc_localize_options_default(&lo);
    lo.rig = &rig;
    const char *in[1] = {movie};
    mumloc_table *t = NULL, *l = NULL;
    mumloc_evaluation *ev = NULL;
    if (mumloc_simulate_rig_to_files(&p, &rig, 32, movie, truth, NULL, NULL, NULL) != MUMLOC_OK ||
        mumloc_localize_files(model, in, 1, table, &lo, NULL, NULL, NULL) != MUMLOC_OK ||
        mumloc_table_read_csv(truth, NULL, &t) != MUMLOC_OK ||
        mumloc_table_read_csv(table, NULL, &l) != MUMLOC_OK ||
        mumloc_evaluate(t, l, NULL, &ev) != MUMLOC_OK) {
        fprintf(stderr, "k = %d: %s\n", k, mumloc_last_error());
        return 1;
    }
    printf("k = %d (%s spline), %d steps (%.0f s):\n%s\n", k, k == 1 ? "astigmatic" : "biplane",
           steps, trained, mumloc_evaluation_text(ev));
    mumloc_evaluation_destroy(ev);
    mumloc_table_destroy(t);
    mumloc_table_destroy(l);
    mumloc_model_destroy(model);
    return 0;
}

int main(int argc, char **argv) {
    if (!mkdtemp(dir)) return 1;
    int rc = 0;
    if (argc > 1 && strcmp(argv[1], "accuracy") == 0) {
        int steps = argc > 2 ? atoi(argv[2]) : 2000;
        rc = accuracy_case(1, steps) || accuracy_case(2, steps);
    } else if (argc > 1 && strcmp(argv[1], "speed") == 0) {
        rc = speed(argc > 2 ? atoi(argv[2]) : 3, argc > 3 ? atoi(argv[3]) : 6);
    } else {
        fprintf(stderr, "usage: bench_spline_train speed [repeats] [steps] | accuracy [steps]\n");
        rc = 2;
    }
    char cmd[1100];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) rc = rc ? rc : 1;
    return rc;
}
