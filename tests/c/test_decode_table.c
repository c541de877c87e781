/* Localization records → table columns: names, units, order, 1-based id and frame, appending to a
 * table made earlier, refusing a foreign table, and the ThunderSTORM header once written as CSV. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "mumloc.h"

static mumloc_localization rec(int64_t frame, double x, double p) {
    mumloc_localization l = {frame, x, 2 * x, 3 * x, p, 1000 + x, {1, 2, 3, 4}, 2.5, 4.4, 12.5, 30.25, 0};
    return l;
}

int main(void) {
    mumloc_table *t = NULL;
    CHECK_OK(mumloc_table_create(&t));
    if (!t) return CHECK_DONE("test_decode_table");
    mumloc_localization a[2] = {rec(0, 100, 0.9), rec(4, 200, 0.6)};
    a[1].unresolved = 1;
    CHECK_OK(mumloc_localizations_to_table(a, 2, t));
    const char *names[] = {"id", "frame", "x", "y", "z", "intensity", "offset", "bkgstd",
                           "uncertainty_xy", "uncertainty_z", "probability", "unresolved"};
    const char *units[] = {"", "", "nm", "nm", "nm", "photon", "photon", "photon", "nm", "nm", "",
                           ""};
    CHECK(mumloc_table_columns(t) == 12 && mumloc_table_rows(t) == 2);
    for (int c = 0; c < 12 && c < mumloc_table_columns(t); c++) {
        CHECK(strcmp(mumloc_table_column_name(t, c), names[c]) == 0);
        CHECK(strcmp(mumloc_table_column_unit(t, c), units[c]) == 0);
    }
    /* A second frame's records continue the ids. */
    mumloc_localization b = rec(5, 300, 0.7);
    b.photons = NAN;
    b.unresolved = -1; /* not assessed: NaN */
    CHECK_OK(mumloc_localizations_to_table(&b, 1, t));
    CHECK(mumloc_table_rows(t) == 3);
    const double expect[3][12] = {
        {1, 1, 100, 200, 300, 1100, 2.5, 4.4, 12.5, 30.25, 0.9, 0},
        {2, 5, 200, 400, 600, 1200, 2.5, 4.4, 12.5, 30.25, 0.6, 1},
        {3, 6, 300, 600, 900, NAN, 2.5, 4.4, 12.5, 30.25, 0.7, NAN}};
    for (int c = 0; c < 12; c++) {
        const double *col = mumloc_table_column_data(t, c);
        for (int r = 0; r < 3 && col; r++)
            CHECK(isnan(expect[r][c]) ? isnan(col[r]) : col[r] == expect[r][c]);
    }

    /* The ThunderSTORM header. */
    char path[] = "/tmp/mumloc_decode_table_XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    if (fd >= 0) close(fd);
    CHECK_OK(mumloc_table_write_csv(t, path));
    FILE *f = fopen(path, "r");
    char line[512] = "";
    CHECK(f && fgets(line, sizeof line, f));
    if (f) fclose(f);
    /* the flag round-trips through the reader (NaN where not assessed) */
    mumloc_table *back = NULL;
    CHECK_OK(mumloc_table_read_csv(path, NULL, &back));
    if (back) {
        const int u = mumloc_table_find_column(back, "unresolved", "");
        CHECK(u == 11);
        const double *col = u >= 0 ? mumloc_table_column_data(back, u) : NULL;
        CHECK(col && col[0] == 0 && col[1] == 1 && isnan(col[2]));
        mumloc_table_destroy(back);
    }
    remove(path);
    CHECK(strcmp(line, "\"id\",\"frame\",\"x [nm]\",\"y [nm]\",\"z [nm]\",\"intensity [photon]\","
                       "\"offset [photon]\",\"bkgstd [photon]\",\"uncertainty_xy [nm]\","
                       "\"uncertainty_z [nm]\",\"probability\",\"unresolved\"\n") == 0);

    /* A table filled before the flag existed (its 11 columns) gets it, NaN in its earlier rows. */
    mumloc_table *old = NULL;
    CHECK_OK(mumloc_table_create(&old));
    if (old) {
        for (int c = 0; c < 11; c++) CHECK_OK(mumloc_table_add_column(old, names[c], units[c], NULL));
        const double row[11] = {1, 1, 10, 20, 30, 100, 1, 1, 5, 5, 0.5};
        CHECK_OK(mumloc_table_append_rows(old, row, 1));
        CHECK_OK(mumloc_localizations_to_table(a, 2, old));
        CHECK(mumloc_table_columns(old) == 12 && mumloc_table_rows(old) == 3);
        const double *col = mumloc_table_column_data(old, 11);
        CHECK(col && isnan(col[0]) && col[1] == 0 && col[2] == 1);
        mumloc_table_destroy(old);
    }

    /* A table without our columns is refused and left alone. */
    mumloc_table *other = NULL;
    CHECK_OK(mumloc_table_create(&other));
    if (other) {
        CHECK_OK(mumloc_table_add_column(other, "x", "nm", NULL));
        CHECK_STATUS(mumloc_localizations_to_table(a, 2, other), MUMLOC_ERR_INVALID_ARGUMENT);
        CHECK(strstr(mumloc_last_error(), "\"id\"") != NULL);
        CHECK(mumloc_table_rows(other) == 0 && mumloc_table_columns(other) == 1);
        mumloc_table_destroy(other);
    }
    CHECK_STATUS(mumloc_localizations_to_table(NULL, 2, t), MUMLOC_ERR_INVALID_ARGUMENT);
    mumloc_table_destroy(t);
    return CHECK_DONE("test_decode_table");
}
