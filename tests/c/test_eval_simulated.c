/* End to end on the simulator's own ground truth: the truth CSV scored against itself is perfect
 * (Jaccard 1, RMSE 0), and against a copy shifted by a known offset the bias is that offset. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "mumloc.h"
#include "test_io_dir.h"

static mumloc_table *simulated_truth(void) {
    mumloc_sim_params p;
    mumloc_sim_params_default(&p);
    p.width = p.height = 32;
    p.frames = 30;
    p.molecules = 12;
    p.seed = 77;
    p.noise = MUMLOC_NOISE_NONE;
    const char *truth = path_of("truth.csv");
    CHECK_OK(mumloc_simulate_to_files(&p, path_of("movie.tif"), truth, NULL, NULL, NULL));
    mumloc_table *t = NULL;
    CHECK_OK(mumloc_table_read_csv(truth, "frame,x,y,z", &t));
    return t;
}

static void shift(mumloc_table *t, const char *name, double offset) {
    int c = mumloc_table_find_column(t, name, "nm");
    CHECK(c >= 0);
    if (c < 0) return;
    int64_t n = mumloc_table_rows(t);
    double *values = malloc((size_t)n * sizeof *values);
    for (int64_t r = 0; r < n; r++) values[r] = mumloc_table_column_data(t, c)[r] + offset;
    CHECK_OK(mumloc_table_set_column(t, c, 0, values, n));
    free(values);
}

int main(void) {
    test_dir_create("test_eval_simulated");
    mumloc_table *truth = simulated_truth(), *copy = NULL;
    if (!truth) return CHECK_DONE("test_eval_simulated");
    int64_t n = mumloc_table_rows(truth);
    CHECK(n == 30 * 12);

    mumloc_evaluation *e = NULL;
    CHECK_OK(mumloc_evaluate(truth, truth, NULL, &e));
    if (e) {
        const mumloc_eval_metrics *m = mumloc_evaluation_overall(e);
        CHECK(m->tp == n && m->fp == 0 && m->fn == 0);
        CHECK(m->jaccard == 1 && m->recall == 1 && m->precision == 1);
        CHECK(m->rmse_xy_nm == 0 && m->rmse_z_nm == 0 && m->bias_z_nm == 0);
        CHECK(isnan(m->crlb_xy_median_nm)); /* the truth has no uncertainty columns */
        const int64_t *lm = mumloc_evaluation_localization_matches(e);
        for (int64_t r = 0; r < n; r++) CHECK(lm[r] == r);
        int64_t tp = 0;
        for (int b = 0; b < mumloc_evaluation_bin_count(e); b++) tp += mumloc_evaluation_bin(e, b)->metrics.tp;
        CHECK(tp == n); /* every truth lies in exactly one bin */
    }
    mumloc_evaluation_destroy(e);

    /* A copy written and read back, shifted by (+12, -7, +30) nm: 33 nm in 3D, well inside 150. */
    CHECK_OK(mumloc_table_write_csv(truth, path_of("copy.csv")));
    CHECK_OK(mumloc_table_read_csv(path_of("copy.csv"), "frame,x,y,z", &copy));
    if (copy) {
        shift(copy, "x", 12);
        shift(copy, "y", -7);
        shift(copy, "z", 30);
        CHECK_OK(mumloc_evaluate(truth, copy, NULL, &e));
        if (e) {
            const mumloc_eval_metrics *m = mumloc_evaluation_overall(e);
            CHECK(m->tp == n && m->fp == 0 && m->fn == 0);
            CHECK_NEAR(m->bias_x_nm, 12, 1e-6);
            CHECK_NEAR(m->bias_y_nm, -7, 1e-6);
            CHECK_NEAR(m->bias_z_nm, 30, 1e-6);
            CHECK_NEAR(m->rmse_xy_nm, sqrt(12.0 * 12 + 7 * 7), 1e-6);
            CHECK_NEAR(m->rmse_z_nm, 30, 1e-6);
            const int64_t *lm = mumloc_evaluation_localization_matches(e);
            for (int64_t r = 0; r < n; r++) CHECK(lm[r] == r);
        }
        mumloc_evaluation_destroy(e);
        /* Shifted 200 nm further in z, nothing is within 150 nm: every molecule is both FN and FP. */
        shift(copy, "z", 200);
        CHECK_OK(mumloc_evaluate(truth, copy, NULL, &e));
        if (e) {
            const mumloc_eval_metrics *m = mumloc_evaluation_overall(e);
            CHECK(m->tp == 0 && m->fp == n && m->fn == n && m->jaccard == 0);
        }
        mumloc_evaluation_destroy(e);
    }
    mumloc_table_destroy(copy);
    mumloc_table_destroy(truth);
    int failed = check_failures;
    test_dir_remove(failed != 0);
    return CHECK_DONE("test_eval_simulated");
}
