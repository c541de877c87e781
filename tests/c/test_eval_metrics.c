/* Evaluation on a hand-made pair of tables with known TP/FP/FN, RMSE, bias, median CRLB and
 * per-bin counts (worked out in the comments), its JSON report, and precise errors. */
#include <math.h>
#include <string.h>

#include "check.h"
#include "io/json.h"
#include "mumloc.h"

static mumloc_table *make_table(const char *const *names, const char *const *units, int columns,
                                const double *rows, int count) {
    mumloc_table *t = NULL;
    CHECK_OK(mumloc_table_create(&t));
    for (int c = 0; c < columns; c++) CHECK_OK(mumloc_table_add_column(t, names[c], units[c], NULL));
    CHECK_OK(mumloc_table_append_rows(t, rows, count));
    return t;
}

/* Truth (frame, x, y, z), rows deliberately out of frame order:
 *   T0 frame 2 (500, 500, 100)    no localization near it        -> FN, bin [0, 200)
 *   T1 frame 1 (1000, 1000, 500)  L1 at (+10, -10, +20)          -> TP, bin [400, 600)
 *   T2 frame 4 (100, 100, 1100)   frame without localizations   -> FN, bin [1000, 1200)
 *   T3 frame 1 (2000, 2000, 900)  L0 at (0, +30, -20)            -> TP, bin [800, 1000)
 * Localizations (frame, x, y, z, uncertainty_xy, uncertainty_z):
 *   L0 frame 1 -> T3; L1 frame 1 -> T1; L2 frame 2 far away (z 300) -> FP, bin [200, 400);
 *   L3 frame 3, a frame without truth (z 700) -> FP, bin [600, 800).
 * TP 2, FP 2, FN 2: Jaccard 2/6, recall 1/2, precision 1/2. Lateral RMSE sqrt((200 + 900)/2),
 * axial RMSE sqrt((400 + 400)/2) = 20; bias x (10 + 0)/2 = 5, y (-10 + 30)/2 = 10, z 0. Median CRLB
 * over the matched L0 (7, 25) and L1 (5, 15): 6 and 20; CRLB-limited RMSE lateral
 * sqrt((2·7² + 2·5²)/2) = sqrt(74) (two axes), axial sqrt((25² + 15²)/2) = sqrt(425). */
static const char *const t_names[] = {"frame", "x", "y", "z"};
static const char *const t_units[] = {"", "nm", "nm", "nm"};
static const double t_rows[] = {2, 500, 500, 100, 1, 1000, 1000, 500,
                                4, 100, 100, 1100, 1, 2000, 2000, 900};
static const char *const l_names[] = {"id", "frame", "x", "y", "z", "uncertainty_xy", "uncertainty_z"};
static const char *const l_units[] = {"", "", "nm", "nm", "nm", "nm", "nm"};
static const double l_rows[] = {1, 1, 2000, 2030, 880, 7, 25,   2, 1, 1010, 990, 520, 5, 15,
                                3, 2, 3000, 3000, 300, 100, 100, 4, 3, 0, 0, 700, 100, 100};

static void check_known_metrics(void) {
    mumloc_table *truth = make_table(t_names, t_units, 4, t_rows, 4);
    mumloc_table *locs = make_table(l_names, l_units, 7, l_rows, 4);
    mumloc_evaluation *e = NULL;
    CHECK_OK(mumloc_evaluate(truth, locs, NULL, &e));
    if (!e) return;
    const mumloc_eval_metrics *m = mumloc_evaluation_overall(e);
    CHECK(m->truths == 4 && m->localizations == 4);
    CHECK(m->tp == 2 && m->fp == 2 && m->fn == 2);
    CHECK_NEAR(m->jaccard, 2.0 / 6.0, 1e-12);
    CHECK_NEAR(m->recall, 0.5, 1e-12);
    CHECK_NEAR(m->precision, 0.5, 1e-12);
    CHECK_NEAR(m->rmse_xy_nm, sqrt(550.0), 1e-9);
    CHECK_NEAR(m->rmse_z_nm, 20, 1e-9);
    CHECK_NEAR(m->bias_x_nm, 5, 1e-9);
    CHECK_NEAR(m->bias_y_nm, 10, 1e-9);
    CHECK_NEAR(m->bias_z_nm, 0, 1e-9);
    CHECK_NEAR(m->crlb_xy_median_nm, 6, 1e-12);
    CHECK_NEAR(m->crlb_z_median_nm, 20, 1e-12);
    CHECK_NEAR(m->crlb_rmse_xy_nm, sqrt(74.0), 1e-9);
    CHECK_NEAR(m->crlb_rmse_z_nm, sqrt(425.0), 1e-9);
    const int64_t *tm = mumloc_evaluation_truth_matches(e), *lm = mumloc_evaluation_localization_matches(e);
    CHECK(tm[0] == -1 && tm[1] == 1 && tm[2] == -1 && tm[3] == 0);
    CHECK(lm[0] == 3 && lm[1] == 1 && lm[2] == -1 && lm[3] == -1);

    /* Six 200 nm bins over the true z range [100, 1100]: [0, 200) ... [1000, 1200). */
    CHECK(mumloc_evaluation_bin_count(e) == 6);
    const long long expect[6][3] = {{0, 0, 1}, {0, 1, 0}, {1, 0, 0}, {0, 1, 0}, {1, 0, 0}, {0, 0, 1}};
    for (int b = 0; b < 6 && b < mumloc_evaluation_bin_count(e); b++) {
        const mumloc_eval_bin *bin = mumloc_evaluation_bin(e, b);
        CHECK_NEAR(bin->z_min_nm, 200.0 * b, 1e-9);
        CHECK_NEAR(bin->z_max_nm, 200.0 * (b + 1), 1e-9);
        CHECK(bin->metrics.tp == expect[b][0] && bin->metrics.fp == expect[b][1] &&
              bin->metrics.fn == expect[b][2]);
    }
    const mumloc_eval_metrics *b2 = &mumloc_evaluation_bin(e, 2)->metrics; /* T1 with L1 */
    CHECK_NEAR(b2->jaccard, 1, 0);
    CHECK_NEAR(b2->rmse_xy_nm, sqrt(200.0), 1e-9);
    CHECK_NEAR(b2->bias_z_nm, 20, 1e-9);
    CHECK_NEAR(b2->crlb_xy_median_nm, 5, 0);
    const mumloc_eval_metrics *b3 = &mumloc_evaluation_bin(e, 3)->metrics; /* a lone FP */
    CHECK(b3->jaccard == 0 && b3->precision == 0 && isnan(b3->recall) && isnan(b3->rmse_xy_nm));
    CHECK(mumloc_evaluation_bin(e, 6) == NULL && mumloc_evaluation_bin(e, -1) == NULL);

    /* The JSON report parses and carries the same numbers; NaN is null. */
    const char *json = mumloc_evaluation_json(e);
    json_value *doc = NULL;
    CHECK_OK(json_parse(json, strlen(json), "report", &doc));
    if (doc) {
        const json_value *overall = json_get(doc, "overall");
        CHECK(overall && json_get(overall, "tp")->number == 2);
        CHECK(overall && fabs(json_get(overall, "rmse_z_nm")->number - 20) < 1e-9);
        const json_value *bins = json_get(doc, "bins");
        CHECK(bins && bins->type == JSON_ARRAY && bins->count == 6);
        if (bins && bins->count == 6)
            CHECK(json_get(&bins->items[3], "recall")->type == JSON_NULL);
        CHECK(strcmp(json_get(json_get(doc, "tolerance"), "mode")->string, "3d") == 0);
        json_free(doc);
    }
    const char *text = mumloc_evaluation_text(e);
    CHECK(strstr(text, "TP 2, FP 2, FN 2") != NULL);
    CHECK(strstr(text, "Jaccard 0.3333, recall 0.5, precision 0.5") != NULL);
    CHECK(strstr(text, "bias") && strstr(text, "x 5 nm, y 10 nm, z 0 nm"));
    mumloc_evaluation_destroy(e);

    /* A tighter lateral tolerance (25 nm) drops the L0-T3 pair (30 nm laterally). */
    mumloc_eval_options o;
    mumloc_eval_options_default(&o);
    o.tolerance_xy_nm = 25;
    o.tolerance_z_nm = 50;
    CHECK_OK(mumloc_evaluate(truth, locs, &o, &e));
    if (e) CHECK(mumloc_evaluation_overall(e)->tp == 1 && mumloc_evaluation_overall(e)->fp == 3);
    mumloc_evaluation_destroy(e);
    mumloc_table_destroy(truth);
    mumloc_table_destroy(locs);
}

static void check_empty_and_errors(void) {
    mumloc_table *truth = make_table(t_names, t_units, 4, t_rows, 0);
    mumloc_table *locs = make_table(l_names, l_units, 7, l_rows, 0);
    mumloc_evaluation *e = NULL;
    CHECK_OK(mumloc_evaluate(truth, locs, NULL, &e)); /* both empty: no counts, undefined ratios */
    if (e) {
        const mumloc_eval_metrics *m = mumloc_evaluation_overall(e);
        CHECK(m->tp == 0 && m->fp == 0 && m->fn == 0 && isnan(m->jaccard) && isnan(m->rmse_xy_nm));
        CHECK(mumloc_evaluation_bin_count(e) == 0);
    }
    mumloc_evaluation_destroy(e);
    mumloc_table_destroy(truth);
    mumloc_table_destroy(locs);

    /* Missing column, column in px, NaN row, bad options. */
    static const char *const no_z[] = {"frame", "x", "y"};
    truth = make_table(no_z, t_units, 3, t_rows, 0);
    locs = make_table(l_names, l_units, 7, l_rows, 4);
    CHECK_STATUS(mumloc_evaluate(truth, locs, NULL, &e), MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK(strstr(mumloc_last_error(), "truth table has no column \"z\"") != NULL);
    CHECK(e == NULL);
    mumloc_table_destroy(truth);
    static const char *const px_units[] = {"", "px", "px", "nm"};
    truth = make_table(t_names, px_units, 4, t_rows, 4);
    CHECK_STATUS(mumloc_evaluate(truth, locs, NULL, &e), MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK(strstr(mumloc_last_error(), "\"x\" is in px") != NULL);
    CHECK_STATUS(mumloc_table_convert_to_nm(truth, 0), MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK_OK(mumloc_table_convert_to_nm(truth, 100)); /* now nm: x 500 px -> 50000 nm */
    CHECK_NEAR(mumloc_table_column_data(truth, 1)[0], 50000, 0);
    CHECK_OK(mumloc_evaluate(truth, locs, NULL, &e));
    mumloc_evaluation_destroy(e);
    mumloc_table_destroy(truth);
    double nan_rows[8];
    memcpy(nan_rows, t_rows, sizeof nan_rows);
    nan_rows[7] = NAN; /* z of row 2 */
    truth = make_table(t_names, t_units, 4, nan_rows, 2);
    CHECK_STATUS(mumloc_evaluate(truth, locs, NULL, &e), MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK(strstr(mumloc_last_error(), "row 2: z is NaN") != NULL);
    mumloc_table_destroy(truth);
    truth = make_table(t_names, t_units, 4, t_rows, 4);
    mumloc_eval_options o;
    mumloc_eval_options_default(&o);
    o.tolerance_xy_nm = 100; /* without tolerance_z_nm */
    CHECK_STATUS(mumloc_evaluate(truth, locs, &o, &e), MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK(strstr(mumloc_last_error(), "tolerance_z_nm") != NULL);
    mumloc_eval_options_default(&o);
    o.bin_nm = 0.01; /* 1000 nm of z in 0.01 nm bins: too many */
    CHECK_STATUS(mumloc_evaluate(truth, locs, &o, &e), MUMLOC_ERR_INVALID_ARGUMENT);
    o.bin_nm = NAN;
    CHECK_STATUS(mumloc_eval_options_validate(&o), MUMLOC_ERR_INVALID_ARGUMENT);
    mumloc_eval_options_default(&o);
    o.tolerance_nm = -1;
    CHECK_STATUS(mumloc_eval_options_validate(&o), MUMLOC_ERR_INVALID_ARGUMENT);
    o.tolerance_nm = INFINITY; /* everything in a frame may pair: still the closest pairs */
    CHECK_OK(mumloc_evaluate(truth, locs, &o, &e));
    if (e) CHECK(mumloc_evaluation_overall(e)->tp == 3); /* frames 1 (two pairs) and 2 */
    mumloc_evaluation_destroy(e);
    mumloc_table_destroy(truth);
    mumloc_table_destroy(locs);
}

int main(void) {
    check_known_metrics();
    check_empty_and_errors();
    return CHECK_DONE("test_eval_metrics");
}
