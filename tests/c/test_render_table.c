/* Rendering an in-memory table (the Fiji plugin's path): the same image as adding the arrays
 * directly, the field fitted to the data, and precise errors for missing columns and foreign units. */
#include <string.h>

#include "check.h"
#include "mumloc.h"

static mumloc_table *make_table(const char *xy_unit) {
    mumloc_table *t = NULL;
    CHECK_OK(mumloc_table_create(&t));
    if (!t) return NULL;
    CHECK_OK(mumloc_table_add_column(t, "frame", NULL, NULL));
    CHECK_OK(mumloc_table_add_column(t, "x", xy_unit, NULL));
    CHECK_OK(mumloc_table_add_column(t, "y", xy_unit, NULL));
    CHECK_OK(mumloc_table_add_column(t, "z", "nm", NULL));
    CHECK_OK(mumloc_table_add_column(t, "uncertainty_xy", "nm", NULL));
    const double rows[] = {1, 105, 47, 300, 12,  /* frame, x, y, z, uncertainty */
                           1, 230, 110, 900, 20, 2, 498, 301, 1500, 8};
    CHECK_OK(mumloc_table_append_rows(t, rows, 3));
    return t;
}

int main(void) {
    mumloc_table *t = make_table("nm");
    mumloc_render_params p;
    mumloc_render_params_default(&p);
    p.method = MUMLOC_RENDER_GAUSSIAN;
    mumloc_renderer *r = NULL;
    CHECK_OK(mumloc_render_table(&p, t, &r));
    if (r) {
        mumloc_render_info info;
        CHECK_OK(mumloc_renderer_info(r, &info));
        CHECK(info.width == 50 && info.height == 31); /* floor(498/10)+1, floor(301/10)+1 */
        CHECK(info.rendered == 3);
        static float from_table[50 * 31], direct[50 * 31];
        CHECK_OK(mumloc_renderer_density(r, from_table));
        mumloc_renderer_destroy(r);
        /* the same localizations added as arrays */
        const double x[] = {105, 230, 498}, y[] = {47, 110, 301}, z[] = {300, 900, 1500},
                     s[] = {12, 20, 8};
        p.field_width_nm = 500;
        p.field_height_nm = 310;
        CHECK_OK(mumloc_renderer_create(&p, &r));
        CHECK_OK(mumloc_renderer_add(r, 3, x, y, z, s));
        CHECK_OK(mumloc_renderer_density(r, direct));
        mumloc_renderer_destroy(r);
        CHECK(memcmp(from_table, direct, sizeof direct) == 0);
    }
    mumloc_table_destroy(t);

    mumloc_render_params_default(&p);
    t = make_table("um");
    CHECK_STATUS(mumloc_render_table(&p, t, &r), MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK(strstr(mumloc_last_error(), "[um]") && strstr(mumloc_last_error(), "convert"));
    CHECK(r == NULL);
    mumloc_table_destroy(t);

    CHECK_OK(mumloc_table_create(&t));
    CHECK_OK(mumloc_table_add_column(t, "x", "nm", NULL));
    CHECK_OK(mumloc_table_add_column(t, "y", "nm", NULL));
    CHECK_STATUS(mumloc_render_table(&p, t, &r), MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK(strstr(mumloc_last_error(), "no column \"z\"") != NULL);
    mumloc_table_destroy(t);
    return CHECK_DONE("test_render_table");
}
