/* RCC drift estimation recovers a known smooth 3D drift (issue 14's acceptance: ≤ 5 nm RMS laterally
 * and ≤ 10 nm axially on 10,000 localizations at the default segment size, after removing the
 * constant offset), and applying it restores the undrifted positions. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "drift_tables.h"
#include "mumloc.h"

enum { ROWS = 10000, FRAMES = 5000 };

/* RMS of (estimate − truth) per axis after removing the mean difference. */
static void rms_error(const mumloc_table *drift, double rms[3]) {
    int64_t n = mumloc_table_rows(drift);
    const double *f = mumloc_table_column_data(drift, 0);
    const char *names[3] = {"dx", "dy", "dz"};
    for (int a = 0; a < 3; a++) {
        const double *d = mumloc_table_column_data(drift, mumloc_table_find_column(drift, names[a], "nm"));
        double mean = 0, sq = 0;
        for (int64_t k = 0; k < n; k++) {
            double truth[3];
            test_drift((int64_t)f[k], FRAMES, truth);
            mean += d[k] - truth[a];
        }
        mean /= (double)n;
        for (int64_t k = 0; k < n; k++) {
            double truth[3];
            test_drift((int64_t)f[k], FRAMES, truth);
            double e = d[k] - truth[a] - mean;
            sq += e * e;
        }
        rms[a] = sqrt(sq / (double)n);
    }
}

static int64_t progress_calls;
static int count_progress(void *user, int64_t done, int64_t total) {
    (void)user;
    CHECK(done >= 1 && done <= total);
    progress_calls++;
    return 0;
}

int main(void) {
    mumloc_table *table = test_drift_table(ROWS, FRAMES, 10.0, 25.0, 0, 1, 7);
    mumloc_table *drift = NULL;
    mumloc_drift_info info;
    CHECK_OK(mumloc_drift_estimate(table, NULL, &info, count_progress, NULL, &drift));
    CHECK(progress_calls > 0);
    if (drift) {
        CHECK(mumloc_table_columns(drift) == 4);
        CHECK(strcmp(mumloc_table_column_name(drift, 0), "frame") == 0);
        const double *f = mumloc_table_column_data(drift, 0);
        int64_t n = mumloc_table_rows(drift);
        CHECK(n == info.frames);
        /* Every frame from the first to the last, 0 at the first. */
        for (int64_t k = 1; k < n; k++) CHECK(f[k] == f[k - 1] + 1);
        CHECK(mumloc_table_column_data(drift, 1)[0] == 0.0);
        double rms[3];
        rms_error(drift, rms);
        printf("rcc: %d segments of %lld frames, %d/%d pairs; rms error x %.2f y %.2f z %.2f nm\n",
               info.segments, (long long)info.segment_frames, info.pairs_used, info.pairs, rms[0],
               rms[1], rms[2]);
        CHECK(rms[0] <= 5.0);
        CHECK(rms[1] <= 5.0);
        CHECK(rms[2] <= 10.0);

        /* Applying it: every row moves back by the estimate of its frame (the other columns stay). */
        mumloc_table *clean = test_drift_table(ROWS, FRAMES, 10.0, 25.0, 0, 0, 7);
        CHECK_OK(mumloc_drift_apply(table, drift));
        double sq[3] = {0, 0, 0}, mean[3] = {0, 0, 0};
        for (int a = 0; a < 3; a++) {
            const double *c = mumloc_table_column_data(table, 2 + a);
            const double *u = mumloc_table_column_data(clean, 2 + a);
            for (int64_t r = 0; r < ROWS; r++) mean[a] += (c[r] - u[r]) / ROWS;
            for (int64_t r = 0; r < ROWS; r++) sq[a] += pow(c[r] - u[r] - mean[a], 2) / ROWS;
        }
        CHECK(sqrt(sq[0]) <= 5.0 && sqrt(sq[1]) <= 5.0 && sqrt(sq[2]) <= 10.0);
        for (int c = 0; c < 6; c++)
            if (c < 2 || c == 5)
                for (int64_t r = 0; r < ROWS; r++)
                    if (mumloc_table_column_data(table, c)[r] != mumloc_table_column_data(clean, c)[r]) {
                        CHECK(!"a column other than x, y, z changed");
                        break;
                    }
        mumloc_table_destroy(clean);
    }
    mumloc_table_destroy(drift);
    mumloc_table_destroy(table);
    return CHECK_DONE("test_drift_rcc");
}
