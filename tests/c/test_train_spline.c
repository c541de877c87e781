/* Any number of planes with a measured PSF, end to end (issue 13) on small sizes: a rig whose spline
 * PSF file is beside its rig file; simulate → train a few dozen steps → localize → evaluate, for
 * k = 1 with an astigmatic PSF (depth coded by the shape alone) and k = 2 with a biplane pair. The
 * behaviour asserted is what a short training must give, not accuracy: the spline draws the frames
 * (they differ from the rig's Gaussian frames) and records its hash in the movie, the training loss
 * falls, the model records the spline's hash and file, localize runs with the rig and its table
 * (in the field) evaluates against the truth, and a rig or movie with another PSF is refused naming
 * both PSFs; a Gaussian rig trains a Gaussian model as before (no "psf" entry). Accuracy after real training: bench/spline_train.sh. */
#define _GNU_SOURCE /* memmem */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "gaussian_spline.h"
#include "optics/spline_file.h"
#include "test_files.h"

enum { SIDE = 24, FRAMES = 8, NZ = 41 };
static const double Z0 = -200.0, ZSTEP = 50.0;

/* k = 1: an astigmatic plane at 800 nm (x and y foci 300 nm either side); k = 2: the optics'
 * Gaussian planes (a biplane pair). */
static void splines_for(const mumloc_optics *o, spline_set *set) {
    memset(set, 0, sizeof *set);
    set->planes = o->planes;
    if (o->planes == 1) {
        astigmatic_spline(o->pixel_nm, 2, 8, NZ, Z0, ZSTEP, 1100.0, 500.0, 130.0, 400.0, &set->plane[0]);
        return;
    }
    for (int d = 0; d < o->planes; d++)
        gaussian_spline_of_plane(o, d, 2, 8, NZ, Z0, ZSTEP, &set->plane[d]);
}

static void path_in(char *buf, const char *dir, const char *name) {
    snprintf(buf, 1024, "%s/%s", dir, name);
}

static mumloc_table *read_table(const char *path) {
    mumloc_table *t = NULL;
    CHECK_OK(mumloc_table_read_csv(path, "frame,x,y,z", &t));
    return t;
}

typedef struct losses {
    double loss[64];
    int n;
} losses;

static int record_loss(void *user, const mumloc_train_progress *p) {
    losses *l = user;
    if (l->n < 64) l->loss[l->n++] = p->train_loss;
    return 0;
}

/* Every localization in the field, at a finite depth. */
static void in_field(const mumloc_table *l, const mumloc_optics *o) {
    const double *x = mumloc_table_column_data(l, mumloc_table_find_column(l, "x", NULL));
    const double *y = mumloc_table_column_data(l, mumloc_table_find_column(l, "y", NULL));
    const double *z = mumloc_table_column_data(l, mumloc_table_find_column(l, "z", NULL));
    int bad = 0;
    for (int64_t i = 0; x && y && z && i < mumloc_table_rows(l); i++)
        bad += !(x[i] >= 0 && x[i] <= SIDE * o->pixel_nm && y[i] >= 0 && y[i] <= SIDE * o->pixel_nm &&
                 isfinite(z[i]));
    CHECK(x && y && z && bad == 0);
}

static void run_case(int k, const char *dir) {
    printf("k = %d (%s)\n", k, k == 1 ? "astigmatic" : "biplane");
    static mumloc_rig rig, gauss_rig;
    mumloc_rig_default(&rig, k, SIDE, SIDE);
    if (k == 1) rig.optics.plane_depth_nm[0] = 800.0;
    else rig.optics.plane_depth_nm[0] = 500.0, rig.optics.plane_depth_nm[1] = 1100.0;
    gauss_rig = rig;
    spline_set set;
    splines_for(&rig.optics, &set);
    char rig_path[1024], psf_path[1024], movie[1024], gauss_movie[1024], truth[1024], model_path[1024],
        table[1024], gauss_model[1024];
    path_in(rig_path, dir, "rig.json");
    CHECK_OK(mumloc_rig_psf_sidecar_path(rig_path, psf_path, sizeof psf_path));
    CHECK_OK(spline_set_save(psf_path, &set));
    rig.psf = MUMLOC_PSF_SPLINE;
    snprintf(rig.psf_file, sizeof rig.psf_file, "rig.psf.safetensors");
    snprintf(rig.psf_hash, sizeof rig.psf_hash, "%s", set.sha256);
    CHECK_OK(mumloc_rig_save(rig_path, &rig));
    CHECK_OK(mumloc_rig_load(rig_path, &rig));
    spline_set_free(&set);

    /* simulate: the spline draws the frames */
    mumloc_sim_params p;
    mumloc_sim_params_default(&p);
    p.frames = FRAMES;
    p.molecules = 3;
    p.seed = 5;
    p.drift_max_nm = 0;
    if (k == 2) p.z_min_nm = 200, p.z_max_nm = 1400; /* the pair's slab */
    path_in(movie, dir, "movie.tif");
    path_in(gauss_movie, dir, "gauss.tif");
    path_in(truth, dir, "truth.csv");
    CHECK_OK(mumloc_simulate_rig_to_files(&p, &rig, 32, movie, truth, NULL, NULL, NULL));
    CHECK_OK(mumloc_simulate_rig_to_files(&p, &gauss_rig, 32, gauss_movie, NULL, NULL, NULL, NULL));
    CHECK(!same_file(movie, gauss_movie));
    long size = 0;
    char *bytes = slurp(movie, &size);
    CHECK(bytes && memmem(bytes, (size_t)size, rig.psf_hash, 64) != NULL); /* it records its PSF */
    free(bytes);

    /* train a few dozen steps with the rig */
    mumloc_train_options o;
    mumloc_train_options_default(&o, MUMLOC_ARCH_REGRESSION);
    o.sim = p;
    o.sim.optics = rig.optics;
    o.sim.width = o.sim.height = SIDE;
    o.steps = 16;
    o.batch = 3;
    o.validation_frames = 4;
    o.lr = 3e-3;
    o.rig = &rig;
    path_in(model_path, dir, "model.safetensors");
    o.out_path = model_path;
    losses trace = {0};
    CHECK_OK(mumloc_train(&o, record_loss, &trace, NULL));
    double first = 0, last = 0;
    for (int i = 0; i < 4; i++) first += trace.loss[i] / 4, last += trace.loss[trace.n - 1 - i] / 4;
    printf("  training loss per frame: first 4 steps %.1f, last 4 steps %.1f\n", first, last);
    CHECK(trace.n == 16 && last < 0.85 * first); /* it learns from the spline's frames */
    mumloc_model *model = NULL;
    CHECK_OK(mumloc_model_load(model_path, &model));
    if (!model) return;
    const char *psf = mumloc_model_metadata(model, "psf");
    CHECK(psf && strstr(psf, "\"spline\"") && strstr(psf, rig.psf_hash) &&
          strstr(psf, "rig.psf.safetensors"));

    /* localize with the rig, evaluate against the truth */
    mumloc_localize_options lo;
    mumloc_localize_options_default(&lo);
    lo.rig = &rig;
    path_in(table, dir, "locs.csv");
    const char *in[1] = {movie};
    CHECK_OK(mumloc_localize_files(model, in, 1, table, &lo, NULL, NULL, NULL));
    mumloc_table *t = read_table(truth), *l = read_table(table);
    if (t && l) {
        int64_t rows = mumloc_table_rows(l);
        mumloc_evaluation *ev = NULL;
        CHECK_OK(mumloc_evaluate(t, l, NULL, &ev));
        if (ev) {
            const mumloc_eval_metrics *m = mumloc_evaluation_overall(ev);
            printf("  %lld localizations of %lld molecules: recall %.2f, precision %.2f, RMSE xy "
                   "%.0f nm, z %.0f nm\n",
                   (long long)rows, (long long)m->truths, m->recall, m->precision, m->rmse_xy_nm,
                   m->rmse_z_nm);
            CHECK(m->truths == mumloc_table_rows(t));
            CHECK(m->tp + m->fp == rows);
            in_field(l, &rig.optics);
            mumloc_evaluation_destroy(ev);
        }
    }
    mumloc_table_destroy(t);
    mumloc_table_destroy(l);

    /* another PSF is refused, naming both: the rig's Gaussian, and a Gaussian model on this movie */
    lo.rig = &gauss_rig;
    const char *gin[1] = {gauss_movie};
    CHECK_STATUS(mumloc_localize_files(model, gin, 1, table, &lo, NULL, NULL, NULL),
                 MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK(strstr(mumloc_last_error(), "another PSF") && strstr(mumloc_last_error(), "Gaussian"));
    mumloc_model_destroy(model);
    o.rig = &gauss_rig;
    o.steps = 1;
    path_in(gauss_model, dir, "gauss.safetensors");
    o.out_path = gauss_model;
    CHECK_OK(mumloc_train(&o, NULL, NULL, NULL));
    CHECK_OK(mumloc_model_load(gauss_model, &model));
    if (!model) return;
    CHECK(mumloc_model_metadata(model, "psf") == NULL); /* a Gaussian model as always */
    lo.rig = NULL;
    CHECK_STATUS(mumloc_localize_file(model, movie, table, &lo, NULL, NULL, NULL),
                 MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK(strstr(mumloc_last_error(), "another PSF") && strstr(mumloc_last_error(), "spline"));
    mumloc_model_destroy(model);
    const char *names[] = {"rig.json", "rig.psf.safetensors", "movie.tif", "gauss.tif", "truth.csv",
                           "model.safetensors", "gauss.safetensors", "locs.csv", "locs.csv.json"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char f[1024];
        path_in(f, dir, names[i]);
        unlink(f);
    }
}

int main(void) {
    mumloc_set_threads(2);
    char dir[] = "/tmp/mumloc-train-spline-XXXXXX";
    if (!mkdtemp(dir)) return 1;
    run_case(1, dir);
    run_case(2, dir);
    rmdir(dir);
    return CHECK_DONE("test_train_spline");
}
