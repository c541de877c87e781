/* The sub-pixel histogram (pixel-locking check): exact counts for positions at known phases; a
 * uniform table is flat (p not small, deviations within a few standard errors); a table pulled
 * towards pixel centres is not (χ² huge, p tiny); the CSV reads back; bad inputs give clean errors. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "mumloc.h"

#define PIXEL 192.0
#define ROWS 20000

static double uniform(uint64_t *s) { /* splitmix64 → [0, 1) */
    uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return (double)((z ^ (z >> 31)) >> 11) / 9007199254740992.0;
}

/* x, y at pixel (i, j) plus a phase: uniform, or squeezed towards the centre by `pull`. */
static mumloc_table *table(double pull, uint64_t seed) {
    mumloc_table *t = NULL;
    CHECK_OK(mumloc_table_create(&t));
    if (!t) return NULL;
    CHECK_OK(mumloc_table_add_column(t, "x", "nm", NULL));
    CHECK_OK(mumloc_table_add_column(t, "y", "nm", NULL));
    for (int r = 0; r < ROWS; r++) {
        double px = uniform(&seed), py = uniform(&seed);
        px = 0.5 + (px - 0.5) * (1.0 - pull);
        py = 0.5 + (py - 0.5) * (1.0 - pull);
        const double row[2] = {((r % 50) + px) * PIXEL, ((r / 50 % 50) + py) * PIXEL};
        CHECK_OK(mumloc_table_append_rows(t, row, 1));
    }
    return t;
}

int main(void) {
    mumloc_subpixel_histogram h;
    /* known phases: 0.05 → bin 0, 0.55 → bin 5 (10 bins); negative x wraps (−0.25 px → 0.75) */
    mumloc_table *t = NULL;
    CHECK_OK(mumloc_table_create(&t));
    CHECK_OK(mumloc_table_add_column(t, "x", "nm", NULL));
    CHECK_OK(mumloc_table_add_column(t, "y", "", NULL));
    const double rows[3][2] = {{3.05 * PIXEL, 7.55 * PIXEL}, {-0.25 * PIXEL, 0.05 * PIXEL},
                               {NAN, 1.0}};
    CHECK_OK(mumloc_table_append_rows(t, &rows[0][0], 3));
    CHECK_OK(mumloc_subpixel_histogram_of(t, PIXEL, 10, &h));
    CHECK(h.count == 2 && h.x[0] == 1 && h.x[7] == 1 && h.y[5] == 1 && h.y[0] == 1);
    CHECK_STATUS(mumloc_subpixel_histogram_of(t, 0, 10, &h), MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(mumloc_subpixel_histogram_of(t, PIXEL, 1, &h), MUMLOC_ERR_INVALID_ARGUMENT);
    mumloc_table_destroy(t);

    /* uniform: χ² with 19 degrees of freedom, p not small; every bin within 5 standard errors */
    t = table(0.0, 7);
    CHECK_OK(mumloc_subpixel_histogram_of(t, PIXEL, 20, &h));
    const double expected = ROWS / 20.0, five_se = 5.0 * sqrt(expected) / expected;
    printf("uniform: chi2 x %.1f (p %.3g), y %.1f (p %.3g), max deviation %.3f %.3f\n", h.chi2_x,
           h.p_x, h.chi2_y, h.p_y, h.max_deviation_x, h.max_deviation_y);
    CHECK(h.p_x > 1e-4 && h.p_y > 1e-4);
    CHECK(h.max_deviation_x < five_se && h.max_deviation_y < five_se);
    /* the CSV reads back with the same counts */
    char path[] = "/tmp/mumloc_subpixel_XXXXXX";
    int fd = mkstemp(path);
    if (fd >= 0) close(fd);
    CHECK_OK(mumloc_subpixel_histogram_write_csv(&h, path));
    mumloc_table *back = NULL;
    CHECK_OK(mumloc_table_read_csv(path, "bin,phase,x,y", &back));
    if (back) {
        CHECK(mumloc_table_rows(back) == 20);
        const double *x = mumloc_table_column_data(back, mumloc_table_find_column(back, "x", NULL));
        const double *phase = mumloc_table_column_data(back, mumloc_table_find_column(back, "phase", NULL));
        for (int b = 0; b < 20 && x && phase; b++) {
            CHECK(x[b] == (double)h.x[b]);
            CHECK_NEAR(phase[b], (b + 0.5) / 20, 1e-12);
        }
        mumloc_table_destroy(back);
    }
    remove(path);
    mumloc_table_destroy(t);

    /* pulled 20 % towards the pixel centres: the outer bins empty, χ² enormous */
    t = table(0.2, 7);
    CHECK_OK(mumloc_subpixel_histogram_of(t, PIXEL, 20, &h));
    printf("biased: chi2 x %.1f (p %.3g), max deviation %.3f\n", h.chi2_x, h.p_x, h.max_deviation_x);
    CHECK(h.p_x < 1e-12 && h.p_y < 1e-12);
    CHECK(h.x[0] == 0 && h.x[19] == 0 && h.max_deviation_x > 0.2);
    char line[512];
    mumloc_subpixel_histogram_text(&h, line, sizeof line);
    CHECK(strstr(line, "chi2") != NULL);
    mumloc_table_destroy(t);
    return CHECK_DONE("test_eval_subpixel");
}
