/* Drift correction's error paths say what to change; the drift table round-trips through CSV;
 * cancelling stops the estimate. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "drift_tables.h"
#include "mumloc.h"
#include "test_io_dir.h"

static int cancel_at_once(void *user, int64_t done, int64_t total) {
    (void)user;
    (void)done;
    (void)total;
    return 1;
}

static void expect_error(const mumloc_table *t, const mumloc_drift_options *o, const char *a,
                         const char *b) {
    mumloc_table *drift = NULL;
    CHECK_STATUS(mumloc_drift_estimate(t, o, NULL, NULL, NULL, &drift), MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK(drift == NULL);
    if (!strstr(mumloc_last_error(), a) || (b && !strstr(mumloc_last_error(), b))) {
        fprintf(stderr, "message '%s' lacks '%s' / '%s'\n", mumloc_last_error(), a, b ? b : "");
        CHECK(0);
    }
}

int main(void) {
    mumloc_drift_options o;
    mumloc_drift_options_default(&o);

    /* Too few localizations per segment: names the segment and the option. */
    mumloc_table *sparse = test_drift_table(300, 2000, 10.0, 25.0, 0, 1, 3);
    o.segment_frames = 20;
    expect_error(sparse, &o, "has only", "use --segment-frames larger than 20");
    mumloc_table_destroy(sparse);

    /* A drift beyond the search range: names the option to raise. */
    mumloc_table *table = test_drift_table(4000, 1000, 10.0, 25.0, 0, 1, 5);
    mumloc_drift_options_default(&o);
    o.max_drift_nm = 50.0;
    expect_error(table, &o, "beyond the search range", "raise --max-drift");

    /* One segment: names the option. */
    mumloc_drift_options_default(&o);
    o.segment_frames = 5000;
    expect_error(table, &o, "use --segment-frames smaller than", NULL);

    /* Missing z with z correction; fine without it. */
    mumloc_table *noz = NULL;
    mumloc_table_create(&noz);
    mumloc_table_add_column(noz, "frame", "", NULL);
    mumloc_table_add_column(noz, "x", "nm", NULL);
    mumloc_table_add_column(noz, "y", "px", NULL);
    mumloc_drift_options_default(&o);
    double row[3] = {1, 2, 3};
    mumloc_table_append_rows(noz, row, 1);
    expect_error(noz, &o, "\"y\" is in px", NULL);
    mumloc_table_destroy(noz);

    /* Cancelled: no table. */
    mumloc_table *drift = NULL;
    CHECK_STATUS(mumloc_drift_estimate(table, NULL, NULL, cancel_at_once, NULL, &drift),
                 MUMLOC_ERR_CANCELLED);
    CHECK(drift == NULL);

    /* CSV round trip of the drift table: header exactly as the issue names it, values back. */
    mumloc_drift_options_default(&o);
    o.correct_z = 0;
    CHECK_OK(mumloc_drift_estimate(table, &o, NULL, NULL, NULL, &drift));
    test_dir_create("test_drift_errors");
    const char *path = path_of("drift.csv");
    if (drift) {
        const double *dz = mumloc_table_column_data(drift, 3);
        for (int64_t k = 0; k < mumloc_table_rows(drift); k++) CHECK(dz[k] == 0.0);
        CHECK_OK(mumloc_table_write_csv(drift, path));
        FILE *f = fopen(path, "r");
        char header[128] = "";
        if (f) {
            CHECK(fgets(header, sizeof header, f) != NULL);
            fclose(f);
        }
        CHECK(strcmp(header, "\"frame\",\"dx [nm]\",\"dy [nm]\",\"dz [nm]\"\n") == 0);
        mumloc_table *back = NULL;
        CHECK_OK(mumloc_table_read_csv(path, "frame,dx,dy,dz", &back));
        if (back) {
            CHECK(mumloc_table_rows(back) == mumloc_table_rows(drift));
            for (int c = 0; c < 4; c++)
                for (int64_t k = 0; k < mumloc_table_rows(back); k++)
                    CHECK_NEAR(mumloc_table_column_data(back, c)[k],
                               mumloc_table_column_data(drift, c)[k], 1e-6);
            /* A drift read back applies like the original; a frame it lacks is an error. */
            mumloc_table *t2 = test_drift_table(50, 1000, 10.0, 25.0, 0, 1, 9);
            CHECK_OK(mumloc_drift_apply(t2, back));
            double late[6] = {51, 5000, 1, 1, 1, 1};
            mumloc_table_append_rows(t2, late, 1);
            CHECK_STATUS(mumloc_drift_apply(t2, back), MUMLOC_ERR_INVALID_ARGUMENT);
            CHECK(strstr(mumloc_last_error(), "row 51") != NULL);
            mumloc_table_destroy(t2);
            mumloc_table_destroy(back);
        }
    }
    mumloc_table_destroy(drift);
    mumloc_table_destroy(table);
    test_dir_remove(check_failures != 0);
    return CHECK_DONE("test_drift_errors");
}
