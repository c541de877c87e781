/* Scores from the matches: counts, ratios, RMSE, bias and median CRLB, overall and per depth bin. */
#include <math.h>
#include <stdlib.h>

#include "core/error.h"
#include "eval/evaluation.h"

typedef struct accumulator {
    int64_t truths, locs, tp, fp, fn;
    double sum_dx, sum_dy, sum_dz, sum_lateral2, sum_dz2;
    /* squared CRLBs of the pairs with finite uncertainty columns, and how many */
    double sum_bound_xy2, sum_bound_z2;
    int64_t bounds_xy, bounds_z;
} accumulator;

typedef struct binned_value {
    int bin; /* -1: overall only */
    double value;
} binned_value;

static double ratio(double num, double den) { return den > 0 ? num / den : NAN; }

static void finish(const accumulator *a, mumloc_eval_metrics *m) {
    double tp = (double)a->tp;
    m->truths = a->truths;
    m->localizations = a->locs;
    m->tp = a->tp;
    m->fp = a->fp;
    m->fn = a->fn;
    m->jaccard = ratio(tp, tp + (double)a->fp + (double)a->fn);
    m->recall = ratio(tp, tp + (double)a->fn);
    m->precision = ratio(tp, tp + (double)a->fp);
    m->rmse_xy_nm = sqrt(ratio(a->sum_lateral2, tp));
    m->rmse_z_nm = sqrt(ratio(a->sum_dz2, tp));
    m->bias_x_nm = ratio(a->sum_dx, tp);
    m->bias_y_nm = ratio(a->sum_dy, tp);
    m->bias_z_nm = ratio(a->sum_dz, tp);
    /* uncertainty_xy is per axis, the lateral RMSE sums two axes: an efficient estimator reaches
     * mean(Δx² + Δy²) = mean(2·u_xy²) */
    m->crlb_rmse_xy_nm = sqrt(ratio(2.0 * a->sum_bound_xy2, (double)a->bounds_xy));
    m->crlb_rmse_z_nm = sqrt(ratio(a->sum_bound_z2, (double)a->bounds_z));
}

static void add_bound(const double *column, int64_t l, double *sum2, int64_t *n) {
    if (!column || !isfinite(column[l])) return;
    *sum2 += column[l] * column[l];
    (*n)++;
}

static int bin_of(const mumloc_evaluation *e, double z) {
    if (e->bin_count == 0) return -1;
    double k = floor(z / e->options.bin_nm) - e->first_bin;
    return (k >= 0 && k < e->bin_count) ? (int)k : -1;
}

static int compare_binned(const void *a, const void *b) {
    const binned_value *x = a, *y = b;
    if (x->bin != y->bin) return x->bin < y->bin ? -1 : 1;
    return (x->value > y->value) - (x->value < y->value);
}

static int compare_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median_of_sorted(const double *v, int64_t n) {
    if (n == 0) return NAN;
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/* Median of column[loc] over the matched localizations: overall, and per_bin[bin_count]. */
static mumloc_status medians(const mumloc_evaluation *e, const eval_columns *truth,
                             const double *column, double *overall, double *per_bin) {
    *overall = NAN;
    for (int b = 0; b < e->bin_count; b++) per_bin[b] = NAN;
    if (!column) return MUMLOC_OK;
    binned_value *items = malloc((size_t)(e->truth_rows + 1) * sizeof *items);
    double *values = malloc((size_t)(e->truth_rows + 1) * sizeof *values);
    if (!items || !values) {
        free(items);
        free(values);
        return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory evaluating");
    }
    int64_t n = 0;
    for (int64_t r = 0; r < e->truth_rows; r++) {
        int64_t l = e->truth_match[r];
        if (l < 0 || !isfinite(column[l])) continue;
        items[n] = (binned_value){bin_of(e, truth->z[r]), column[l]};
        values[n++] = column[l];
    }
    qsort(values, (size_t)n, sizeof *values, compare_double);
    *overall = median_of_sorted(values, n);
    qsort(items, (size_t)n, sizeof *items, compare_binned);
    for (int64_t first = 0; first < n;) {
        int64_t last = first;
        while (last < n && items[last].bin == items[first].bin) {
            values[last - first] = items[last].value;
            last++;
        }
        if (items[first].bin >= 0)
            per_bin[items[first].bin] = median_of_sorted(values, last - first);
        first = last;
    }
    free(items);
    free(values);
    return MUMLOC_OK;
}

mumloc_status eval_compute_metrics(mumloc_evaluation *e, const eval_columns *truth,
                                          const eval_columns *locs) {
    accumulator all = {0};
    accumulator *per_bin = calloc((size_t)e->bin_count + 1, sizeof *per_bin);
    if (!per_bin) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory evaluating");
    for (int64_t r = 0; r < e->truth_rows; r++) {
        int b = bin_of(e, truth->z[r]);
        accumulator *targets[2] = {&all, b >= 0 ? &per_bin[b] : NULL};
        int64_t l = e->truth_match[r];
        for (int k = 0; k < 2 && targets[k]; k++) {
            accumulator *a = targets[k];
            a->truths++;
            if (l < 0) {
                a->fn++;
                continue;
            }
            double dx = locs->x[l] - truth->x[r], dy = locs->y[l] - truth->y[r], dz = locs->z[l] - truth->z[r];
            a->tp++;
            a->locs++;
            a->sum_dx += dx;
            a->sum_dy += dy;
            a->sum_dz += dz;
            a->sum_lateral2 += dx * dx + dy * dy;
            a->sum_dz2 += dz * dz;
            add_bound(locs->crlb_xy, l, &a->sum_bound_xy2, &a->bounds_xy);
            add_bound(locs->crlb_z, l, &a->sum_bound_z2, &a->bounds_z);
        }
    }
    for (int64_t l = 0; l < e->loc_rows; l++) {
        if (e->loc_match[l] >= 0) continue; /* counted with its truth */
        all.locs++;
        all.fp++;
        int b = bin_of(e, locs->z[l]);
        if (b >= 0) {
            per_bin[b].locs++;
            per_bin[b].fp++;
        }
    }
    finish(&all, &e->overall);
    for (int b = 0; b < e->bin_count; b++) finish(&per_bin[b], &e->bins[b].metrics);
    free(per_bin);
    double *xy = malloc(((size_t)e->bin_count + 1) * sizeof *xy);
    double *z = malloc(((size_t)e->bin_count + 1) * sizeof *z);
    mumloc_status s = (xy && z) ? MUMLOC_OK
                                : error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory evaluating");
    if (s == MUMLOC_OK) s = medians(e, truth, locs->crlb_xy, &e->overall.crlb_xy_median_nm, xy);
    if (s == MUMLOC_OK) s = medians(e, truth, locs->crlb_z, &e->overall.crlb_z_median_nm, z);
    for (int b = 0; b < e->bin_count && s == MUMLOC_OK; b++) {
        e->bins[b].metrics.crlb_xy_median_nm = xy[b];
        e->bins[b].metrics.crlb_z_median_nm = z[b];
    }
    free(xy);
    free(z);
    return s;
}
