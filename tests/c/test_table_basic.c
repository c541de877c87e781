/* The in-memory table: columns, rows, lookups, bulk column writes, unit conversion, bad arguments. */
#include <math.h>
#include <string.h>

#include "check.h"
#include "mumloc.h"

static void check_shape_and_lookup(void) {
    mumloc_table *t = NULL;
    CHECK_OK(mumloc_table_create(&t));
    CHECK(mumloc_table_rows(t) == 0 && mumloc_table_columns(t) == 0);
    int frame = -1, x = -1, photons = -1;
    CHECK_OK(mumloc_table_add_column(t, "frame", NULL, &frame));
    CHECK_OK(mumloc_table_add_column(t, "x", "nm", &x));
    CHECK(frame == 0 && x == 1);
    const double rows[] = {1, 10.5, 2, -20.25, 3, 1e6};
    CHECK_OK(mumloc_table_append_rows(t, rows, 3));
    CHECK(mumloc_table_rows(t) == 3);
    /* A column added later is NaN in the existing rows. */
    CHECK_OK(mumloc_table_add_column(t, "intensity", "photon", &photons));
    CHECK(photons == 2 && isnan(mumloc_table_column_data(t, photons)[2]));
    const double more[] = {4, 5, 600};
    CHECK_OK(mumloc_table_append_rows(t, more, 1));
    const double *xs = mumloc_table_column_data(t, x);
    CHECK(xs[0] == 10.5 && xs[1] == -20.25 && xs[2] == 1e6 && xs[3] == 5);
    CHECK(mumloc_table_column_data(t, photons)[3] == 600);
    CHECK(strcmp(mumloc_table_column_name(t, 1), "x") == 0);
    CHECK(strcmp(mumloc_table_column_unit(t, 1), "nm") == 0);
    CHECK(strcmp(mumloc_table_column_unit(t, 0), "") == 0);
    CHECK(mumloc_table_column_name(t, 3) == NULL && mumloc_table_column_unit(t, -1) == NULL);
    CHECK(mumloc_table_column_data(t, 7) == NULL);
    /* Lookup by name, with or without unit. */
    CHECK(mumloc_table_find_column(t, "x", NULL) == 1);
    CHECK(mumloc_table_find_column(t, "x", "nm") == 1);
    CHECK(mumloc_table_find_column(t, "x", "px") == -1);
    CHECK(mumloc_table_find_column(t, "frame", "") == 0);
    CHECK(mumloc_table_find_column(t, "y", NULL) == -1);
    /* Growing and shrinking; new rows are NaN. */
    CHECK_OK(mumloc_table_set_rows(t, 1000));
    CHECK(mumloc_table_rows(t) == 1000 && isnan(mumloc_table_column_data(t, 0)[999]));
    CHECK(mumloc_table_column_data(t, 0)[3] == 4);
    const double block[3] = {7, 8, 9};
    CHECK_OK(mumloc_table_set_column(t, 0, 997, block, 3));
    CHECK(mumloc_table_column_data(t, 0)[998] == 8);
    CHECK_STATUS(mumloc_table_set_column(t, 0, 998, block, 3), MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(mumloc_table_set_column(t, 3, 0, block, 1), MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK_OK(mumloc_table_set_rows(t, 2));
    CHECK(mumloc_table_rows(t) == 2 && mumloc_table_column_data(t, 1)[1] == -20.25);
    /* Bad columns and rows. */
    CHECK_STATUS(mumloc_table_add_column(t, "x", "px", NULL), MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK(strstr(mumloc_last_error(), "already has a column \"x\"") != NULL);
    CHECK_STATUS(mumloc_table_add_column(t, "", NULL, NULL), MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(mumloc_table_add_column(t, "a,b", NULL, NULL), MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(mumloc_table_add_column(t, "q", "n\"m", NULL), MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(mumloc_table_set_rows(t, -1), MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(mumloc_table_append_rows(t, rows, -2), MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK(mumloc_table_columns(t) == 3);
    mumloc_table_destroy(t);

    CHECK_OK(mumloc_table_create(&t)); /* rows need columns first */
    CHECK_STATUS(mumloc_table_append_rows(t, rows, 1), MUMLOC_ERR_INVALID_ARGUMENT);
    mumloc_table_destroy(t);
    mumloc_table_destroy(NULL);
}

static void check_unit_conversion(void) {
    mumloc_table *t = NULL;
    CHECK_OK(mumloc_table_create(&t));
    CHECK_OK(mumloc_table_add_column(t, "x", "px", NULL));
    CHECK_OK(mumloc_table_add_column(t, "z", "um", NULL));
    CHECK_OK(mumloc_table_add_column(t, "intensity", "photon", NULL));
    const double row[] = {2.5, 0.25, 1000};
    CHECK_OK(mumloc_table_append_rows(t, row, 1));
    /* Without a pixel size nothing changes (not even the um column). */
    CHECK_STATUS(mumloc_table_convert_to_nm(t, 0), MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK(strstr(mumloc_last_error(), "\"x\" is in px") != NULL);
    CHECK(mumloc_table_column_data(t, 1)[0] == 0.25);
    CHECK_OK(mumloc_table_convert_to_nm(t, 192));
    CHECK(mumloc_table_column_data(t, 0)[0] == 480);
    CHECK(mumloc_table_column_data(t, 1)[0] == 250);
    CHECK(mumloc_table_column_data(t, 2)[0] == 1000);
    CHECK(strcmp(mumloc_table_column_unit(t, 0), "nm") == 0);
    CHECK(strcmp(mumloc_table_column_unit(t, 1), "nm") == 0);
    CHECK(strcmp(mumloc_table_column_unit(t, 2), "photon") == 0);
    CHECK_OK(mumloc_table_convert_to_nm(t, 0)); /* already nm: nothing to do */
    mumloc_table_destroy(t);
}

int main(void) {
    check_shape_and_lookup();
    check_unit_conversion();
    return CHECK_DONE("test_table_basic");
}
