/* The sub-pixel phase histogram of a table's positions: the pixel-locking check (mumloc.h). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "table/table.h"

static mumloc_status nm_column(const mumloc_table *t, const char *name, const double **out) {
    const int c = mumloc_table_find_column(t, name, NULL);
    if (c < 0)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "the sub-pixel histogram needs a column \"%s\" (nm)", name);
    if (*t->units[c] && strcmp(t->units[c], "nm") != 0)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "column \"%s\" is in %s; the sub-pixel histogram needs nm (convert px "
                           "with the camera pixel size first)", name, t->units[c]);
    *out = t->data[c];
    return MUMLOC_OK;
}

/* Pearson's χ² of counts against the uniform expectation, and the largest relative deviation. */
static void flatness(const int64_t *counts, int bins, int64_t total, double *chi2, double *p,
                     double *deviation) {
    const double expected = (double)total / bins;
    *chi2 = 0;
    *deviation = 0;
    for (int b = 0; b < bins; b++) {
        const double d = (double)counts[b] - expected;
        *chi2 += d * d / expected;
        *deviation = fmax(*deviation, fabs(d) / expected);
    }
    /* Wilson–Hilferty: (χ²/k)^(1/3) is near normal with mean 1 − 2/(9k), variance 2/(9k) */
    const double k = bins - 1, v = 2.0 / (9.0 * k);
    const double z = (cbrt(*chi2 / k) - (1.0 - v)) / sqrt(v);
    *p = 0.5 * erfc(z / sqrt(2.0));
}

mumloc_status mumloc_subpixel_histogram_of(const mumloc_table *table, double pixel_nm, int bins,
                                           mumloc_subpixel_histogram *out) {
    if (!table || !out)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "the sub-pixel histogram needs a table");
    if (!(pixel_nm > 0) || !isfinite(pixel_nm))
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "the sub-pixel histogram needs the camera pixel size > 0 nm (got %g)",
                           pixel_nm);
    if (bins < 2 || bins > MUMLOC_SUBPIXEL_MAX_BINS)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "sub-pixel bins must be 2 to %d (got %d)", MUMLOC_SUBPIXEL_MAX_BINS, bins);
    const double *x, *y;
    ERROR_TRY(nm_column(table, "x", &x));
    ERROR_TRY(nm_column(table, "y", &y));
    memset(out, 0, sizeof *out);
    out->pixel_nm = pixel_nm;
    out->bins = bins;
    for (int64_t r = 0; r < table->rows; r++) {
        if (!isfinite(x[r]) || !isfinite(y[r])) continue;
        const double fx = x[r] / pixel_nm - floor(x[r] / pixel_nm);
        const double fy = y[r] / pixel_nm - floor(y[r] / pixel_nm);
        int bx = (int)(fx * bins), by = (int)(fy * bins);
        out->x[bx < bins ? bx : bins - 1]++;
        out->y[by < bins ? by : bins - 1]++;
        out->count++;
    }
    if (out->count == 0)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "the sub-pixel histogram found no row with a finite x and y");
    flatness(out->x, bins, out->count, &out->chi2_x, &out->p_x, &out->max_deviation_x);
    flatness(out->y, bins, out->count, &out->chi2_y, &out->p_y, &out->max_deviation_y);
    return MUMLOC_OK;
}

mumloc_status mumloc_subpixel_histogram_write_csv(const mumloc_subpixel_histogram *h,
                                                  const char *path) {
    if (!h || !path || h->bins < 2 || h->bins > MUMLOC_SUBPIXEL_MAX_BINS)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "writing a sub-pixel histogram needs one (from "
                           "mumloc_subpixel_histogram_of) and a path");
    mumloc_table *t = NULL;
    ERROR_TRY(mumloc_table_create(&t));
    static const char *const names[] = {"bin", "phase", "x", "y"};
    mumloc_status st = MUMLOC_OK;
    for (int c = 0; c < 4 && st == MUMLOC_OK; c++) st = mumloc_table_add_column(t, names[c], "", NULL);
    for (int b = 0; b < h->bins && st == MUMLOC_OK; b++) {
        const double row[4] = {b + 1, (b + 0.5) / h->bins, (double)h->x[b], (double)h->y[b]};
        st = mumloc_table_append_rows(t, row, 1);
    }
    if (st == MUMLOC_OK) st = mumloc_table_write_csv(t, path);
    mumloc_table_destroy(t);
    return st;
}

void mumloc_subpixel_histogram_text(const mumloc_subpixel_histogram *h, char *out, size_t cap) {
    if (!out || cap == 0) return;
    if (!h) {
        *out = '\0';
        return;
    }
    snprintf(out, cap,
             "Sub-pixel positions (%lld rows, %d bins of a %g nm pixel; flat = no pixel locking): "
             "x chi2 %.1f (p %.3g), max deviation %.1f%%; y chi2 %.1f (p %.3g), max deviation "
             "%.1f%%",
             (long long)h->count, h->bins, h->pixel_nm, h->chi2_x, h->p_x,
             100.0 * h->max_deviation_x, h->chi2_y, h->p_y, 100.0 * h->max_deviation_y);
}
