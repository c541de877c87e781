/* Merging blinks against known traces: molecules on a 500 nm grid blink in traces of 1-6 frames (with
 * single dark frames inside), some molecules blink again after 2+ dark frames (a new molecule with
 * max_off_frames = 1); rows are shuffled. Each row carries its true trace number in an extra column,
 * which merging averages: a correctly merged molecule holds exactly one trace. Positions, uncertainties
 * and intensities are checked against the closed forms (inverse-variance weighted means, 1/sqrt(Σ1/u²),
 * sums), then max_frames and the lateral + axial distances. */
#include <string.h>

#include "check.h"
#include "mumloc.h"

enum { GRID = 40, MAX_ROWS = 40000, COLS = 9 };
/* columns: id, frame, x, y, z, intensity, uncertainty_xy, uncertainty_z, trace */
static double rows_buf[MAX_ROWS][COLS];
static int nrows;
static double exp_x[8000], exp_y[8000], exp_z[8000], exp_uxy[8000], exp_i[8000];
static double exp_frame[8000], exp_n[8000];
static int ntraces;

static uint64_t rng = 12345;
static double uniform(void) {
    rng = rng * 6364136223846793005ull + 1442695040888963407ull;
    return (double)(rng >> 11) / 9007199254740992.0;
}
static double gauss(void) {
    double u = uniform() + 1e-300, v = uniform();
    return sqrt(-2 * log(u)) * cos(6.283185307179586 * v);
}

static void add_trace(double mx, double my, double mz, int start, int length) {
    int t = ntraces++;
    double swx = 0, swy = 0, sw = 0, swz = 0, swzw = 0, si = 0;
    int frame = start;
    for (int k = 0; k < length; k++) {
        double u = 5 + 10 * uniform(), uz = 20 + 20 * uniform(), I = 500 + 1000 * uniform();
        double x = mx + u * gauss(), y = my + u * gauss(), z = mz + uz * gauss();
        double *r = rows_buf[nrows++];
        double row[COLS] = {nrows, frame, x, y, z, I, u, uz, t};
        memcpy(r, row, sizeof row);
        swx += x / (u * u);
        swy += y / (u * u);
        sw += 1 / (u * u);
        swz += z / (uz * uz);
        swzw += 1 / (uz * uz);
        si += I;
        frame += uniform() < 0.3 ? 2 : 1; /* one dark frame now and then */
    }
    exp_x[t] = swx / sw;
    exp_y[t] = swy / sw;
    exp_z[t] = swz / swzw;
    exp_uxy[t] = 1 / sqrt(sw);
    exp_i[t] = si;
    exp_frame[t] = start;
    exp_n[t] = length;
}

static mumloc_table *make_table(void) {
    nrows = ntraces = 0;
    for (int gx = 0; gx < GRID; gx++)
        for (int gy = 0; gy < GRID; gy++) {
            double mx = 500 * gx + 100 * uniform(), my = 500 * gy + 100 * uniform(), mz = 1000 * uniform();
            int start = 1 + (int)(200 * uniform()), length = 1 + (int)(6 * uniform());
            add_trace(mx, my, mz, start, length);
            if (uniform() < 0.5) /* blinks again after at least 2 dark frames (a trace spans < 2 L) */
                add_trace(mx, my, mz, start + 2 * length + 2 + (int)(5 * uniform()), 1 + (int)(6 * uniform()));
        }
    for (int i = nrows - 1; i > 0; i--) { /* shuffle */
        int j = (int)(uniform() * (i + 1));
        double tmp[COLS];
        memcpy(tmp, rows_buf[i], sizeof tmp);
        memcpy(rows_buf[i], rows_buf[j], sizeof tmp);
        memcpy(rows_buf[j], tmp, sizeof tmp);
    }
    mumloc_table *t = NULL;
    CHECK_OK(mumloc_table_create(&t));
    const char *names[COLS] = {"id", "frame", "x", "y", "z", "intensity", "uncertainty_xy", "uncertainty_z", "trace"};
    const char *units[COLS] = {"", "", "nm", "nm", "nm", "photon", "nm", "nm", ""};
    for (int c = 0; c < COLS; c++) CHECK_OK(mumloc_table_add_column(t, names[c], units[c], NULL));
    CHECK_OK(mumloc_table_append_rows(t, &rows_buf[0][0], nrows));
    return t;
}

static const double *col(const mumloc_table *t, const char *name) {
    return mumloc_table_column_data(t, mumloc_table_find_column(t, name, NULL));
}

static int calls;
static int count_calls(void *user, int64_t done, int64_t total) {
    (void)user;
    (void)done;
    (void)total;
    calls++;
    return 0;
}

static void test_traces(void) {
    mumloc_table *t = make_table();
    mumloc_blink_merge_options o;
    mumloc_blink_merge_options_default(&o);
    o.max_distance_xy_nm = 80;  /* lateral noise <= 15 nm per axis, molecules >= 300 nm apart */
    o.max_distance_z_nm = 250;  /* axial noise <= 40 nm */
    o.max_off_frames = 1;
    mumloc_table *m = NULL;
    calls = 0;
    CHECK_OK(mumloc_merge_blinks(t, &o, &m, count_calls, NULL));
    CHECK(calls >= 1);
    CHECK(mumloc_table_rows(m) == ntraces);
    CHECK(mumloc_table_columns(m) == COLS + 1);
    CHECK(strcmp(mumloc_table_column_name(m, COLS), "detections") == 0);
    const double *trace = col(m, "trace"), *x = col(m, "x"), *y = col(m, "y"), *z = col(m, "z");
    const double *uxy = col(m, "uncertainty_xy"), *I = col(m, "intensity"), *frame = col(m, "frame");
    const double *det = col(m, "detections"), *id = col(m, "id");
    static int seen[8000];
    memset(seen, 0, sizeof seen);
    int wrong = 0;
    for (int64_t r = 0; m && r < mumloc_table_rows(m); r++) {
        int k = (int)lround(trace[r]);
        if (fabs(trace[r] - k) > 1e-9 || k < 0 || k >= ntraces || seen[k]++) {
            wrong++;
            continue;
        }
        CHECK_NEAR(x[r], exp_x[k], 1e-9);
        CHECK_NEAR(y[r], exp_y[k], 1e-9);
        CHECK_NEAR(z[r], exp_z[k], 1e-9);
        CHECK_NEAR(uxy[r], exp_uxy[k], 1e-12);
        CHECK_NEAR(I[r], exp_i[k], 1e-9);
        CHECK(frame[r] == exp_frame[k]);
        CHECK(det[r] == exp_n[k]);
        CHECK(id[r] == r + 1);
        if (r > 0) CHECK(frame[r] >= frame[r - 1]);
    }
    CHECK(wrong == 0);
    mumloc_table_destroy(m);

    /* at most 2 localizations per molecule: a trace of n splits into ceil(n / 2) */
    o.max_frames = 2;
    CHECK_OK(mumloc_merge_blinks(t, &o, &m, NULL, NULL));
    int64_t expected = 0;
    for (int k = 0; k < ntraces; k++) expected += ((int64_t)exp_n[k] + 1) / 2;
    CHECK(mumloc_table_rows(m) == expected);
    mumloc_table_destroy(m);

    /* no dark frame allowed: traces split at each dark frame, so more molecules than traces */
    o.max_frames = 0;
    o.max_off_frames = 0;
    CHECK_OK(mumloc_merge_blinks(t, &o, &m, NULL, NULL));
    CHECK(mumloc_table_rows(m) > ntraces);
    mumloc_table_destroy(m);
    mumloc_table_destroy(t);
}

/* Hand-made: the lateral + axial distances, the nearest track, equal weights without uncertainties
 * or intensity, and one localization per molecule and frame. */
static void test_rules(void) {
    mumloc_table *t = NULL;
    CHECK_OK(mumloc_table_create(&t));
    CHECK_OK(mumloc_table_add_column(t, "frame", NULL, NULL));
    CHECK_OK(mumloc_table_add_column(t, "x", "nm", NULL));
    CHECK_OK(mumloc_table_add_column(t, "y", "nm", NULL));
    CHECK_OK(mumloc_table_add_column(t, "z", "nm", NULL));
    const double v[] = {
        1, 0, 0, 0,     /* molecule A */
        1, 30, 0, 0,    /* molecule B (same frame: cannot join A) */
        2, 4, 0, 0,     /* nearest is A (4 nm) */
        2, 26, 0, 300,  /* near B laterally but 300 nm off in z: a new molecule */
        4, 100, 0, 0,   /* far from all */
    };
    CHECK_OK(mumloc_table_append_rows(t, v, 5));
    mumloc_blink_merge_options o;
    mumloc_blink_merge_options_default(&o);
    o.max_distance_xy_nm = 20;
    o.max_distance_z_nm = 100;
    mumloc_table *m = NULL;
    CHECK_OK(mumloc_merge_blinks(t, &o, &m, NULL, NULL));
    CHECK(mumloc_table_rows(m) == 4);
    const double *x = col(m, "x"), *det = col(m, "detections");
    if (mumloc_table_rows(m) == 4) {
        CHECK_NEAR(x[0], 2, 1e-12); /* A: mean of 0 and 4 */
        CHECK(det[0] == 2);
        CHECK_NEAR(x[1], 30, 1e-12);
        CHECK_NEAR(x[2], 26, 1e-12);
        CHECK_NEAR(x[3], 100, 1e-12);
    }
    mumloc_table_destroy(m);
    /* errors */
    o.max_distance_z_nm = 0;
    CHECK_STATUS(mumloc_merge_blinks(t, &o, &m, NULL, NULL), MUMLOC_ERR_INVALID_ARGUMENT);
    mumloc_blink_merge_options_default(&o);
    o.max_off_frames = -1;
    CHECK_STATUS(mumloc_blink_merge_options_validate(&o), MUMLOC_ERR_INVALID_ARGUMENT);
    mumloc_blink_merge_options_default(&o);
    double half[] = {2.5, 0, 0, 0};
    CHECK_OK(mumloc_table_append_rows(t, half, 1));
    CHECK_STATUS(mumloc_merge_blinks(t, &o, &m, NULL, NULL), MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK(strstr(mumloc_last_error(), "row 6") != NULL);
    CHECK(m == NULL);
    mumloc_table_destroy(t);
}

/* Frames far apart and out of order (the radix-sort path): frames 1 and 2 merge, the rest not. */
static void test_wide_frames(void) {
    mumloc_table *t = NULL;
    CHECK_OK(mumloc_table_create(&t));
    CHECK_OK(mumloc_table_add_column(t, "frame", NULL, NULL));
    CHECK_OK(mumloc_table_add_column(t, "x", "nm", NULL));
    CHECK_OK(mumloc_table_add_column(t, "y", "nm", NULL));
    const double v[] = {1e12, 0, 0, 2, 0, 0, 5e11, 0, 0, 1, 0, 0, 70000, 0, 0};
    CHECK_OK(mumloc_table_append_rows(t, v, 5));
    mumloc_table *m = NULL;
    CHECK_OK(mumloc_merge_blinks(t, NULL, &m, NULL, NULL));
    const double *frame = col(m, "frame"), *det = col(m, "detections");
    CHECK(mumloc_table_rows(m) == 4);
    if (mumloc_table_rows(m) == 4) {
        CHECK(frame[0] == 1 && det[0] == 2);
        CHECK(frame[1] == 70000 && frame[2] == 5e11 && frame[3] == 1e12);
    }
    mumloc_table_destroy(m);
    mumloc_table_destroy(t);
}

static int cancel(void *user, int64_t done, int64_t total) {
    (void)user;
    (void)done;
    (void)total;
    return 1;
}

static void test_cancel(void) {
    mumloc_table *t = make_table(), *m = NULL;
    CHECK_STATUS(mumloc_merge_blinks(t, NULL, &m, cancel, NULL), MUMLOC_ERR_CANCELLED);
    CHECK(m == NULL);
    mumloc_table_destroy(t);
}

int main(void) {
    test_traces();
    test_rules();
    test_wide_frames();
    test_cancel();
    return check_failures ? 1 : 0;
}
