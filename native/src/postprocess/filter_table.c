/* mumloc_filter_table: the expression over blocks of rows (in parallel), then density filtering of
 * the rows it kept, then the kept rows copied into a new table. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "postprocess/filter_density.h"
#include "postprocess/filter_expr.h"
#include "postprocess/post_common.h"
#include "table/table.h"

void mumloc_filter_options_default(mumloc_filter_options *o) {
    if (!o) return;
    memset(o, 0, sizeof *o);
}

static int has_expression(const mumloc_filter_options *o) { return o->expression && *o->expression; }

mumloc_status mumloc_filter_validate(const mumloc_filter_options *o, const mumloc_table *table) {
    if (!o) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "filter: options are NULL");
    if (o->density_radius_nm != 0 || o->density_min_neighbors != 0) {
        if (!(o->density_radius_nm > 0 && isfinite(o->density_radius_nm)))
            return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                               "filter: the density radius must be a finite number > 0 nm (0 with 0 "
                               "neighbours: no density filtering)");
        if (o->density_min_neighbors < 1)
            return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                               "filter: density filtering needs a minimum of neighbours >= 1, got %d",
                               o->density_min_neighbors);
    }
    if (o->density_use_z != 0 && o->density_use_z != 1)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "filter: density_use_z must be 0 or 1");
    if (!has_expression(o)) return MUMLOC_OK;
    filter_program program;
    ERROR_TRY(filter_compile(o->expression, table, &program));
    filter_program_free(&program);
    return MUMLOC_OK;
}

/* The rows the expression keeps, in order: *kept (count *count). */
static mumloc_status run_expression(const mumloc_table *t, const char *expression, int64_t *kept,
                                    int64_t *count, post_progress *progress) {
    int64_t rows = t->rows;
    if (!expression) {
        for (int64_t r = 0; r < rows; r++) kept[r] = r;
        *count = rows;
        return MUMLOC_OK;
    }
    filter_program g;
    ERROR_TRY(filter_compile(expression, t, &g));
    unsigned char *keep = malloc((size_t)(rows > 0 ? rows : 1));
    mumloc_status s = keep ? MUMLOC_OK : error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "filter: out of memory");
    const int64_t chunk = 32 * FILTER_BLOCK; /* between progress reports */
    for (int64_t lo = 0; s == MUMLOC_OK && lo < rows; lo += chunk) {
        int64_t hi = lo + chunk < rows ? lo + chunk : rows;
        int failed = 0;
#pragma omp parallel
        {
            double *stack = malloc((size_t)(g.depth > 0 ? g.depth : 1) * FILTER_BLOCK * sizeof *stack);
            if (!stack) {
#pragma omp atomic write
                failed = 1;
            }
#pragma omp for schedule(static)
            for (int64_t b = lo; b < hi; b += FILTER_BLOCK)
                if (stack) filter_program_run(&g, t, b, hi - b < FILTER_BLOCK ? hi - b : FILTER_BLOCK, stack, keep + b);
            free(stack);
        }
        if (failed) s = error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "filter: out of memory");
        if (s == MUMLOC_OK) s = post_progress_report(progress, hi, 0);
    }
    int64_t n = 0;
    for (int64_t r = 0; s == MUMLOC_OK && r < rows; r++)
        if (keep[r]) kept[n++] = r;
    *count = n;
    free(keep);
    filter_program_free(&g);
    return s;
}

static mumloc_status run_density(const mumloc_table *t, const mumloc_filter_options *o, int64_t *kept,
                                 int64_t *count, post_progress *progress) {
    const double *x, *y, *z = NULL;
    ERROR_TRY(post_length_column(t, "filter (density)", "x", 1, &x));
    ERROR_TRY(post_length_column(t, "filter (density)", "y", 1, &y));
    if (o->density_use_z) ERROR_TRY(post_length_column(t, "filter (density, 3D)", "z", 1, &z));
    unsigned char *keep = malloc((size_t)(*count > 0 ? *count : 1));
    if (!keep) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "filter: out of memory");
    double scale = *count > 0 ? (double)t->rows / (double)*count : 0.0;
    mumloc_status s = filter_density(x, y, z, kept, *count, o->density_radius_nm,
                                     o->density_min_neighbors, keep, progress, t->rows, scale);
    int64_t n = 0;
    for (int64_t i = 0; s == MUMLOC_OK && i < *count; i++)
        if (keep[i]) kept[n++] = kept[i];
    if (s == MUMLOC_OK) *count = n;
    free(keep);
    return s;
}

mumloc_status mumloc_filter_table(const mumloc_table *table, const mumloc_filter_options *options,
                                  mumloc_table **out, mumloc_progress_fn progress, void *user) {
    if (!table || !options || !out)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "filter: the table, options and out are required");
    *out = NULL;
    ERROR_TRY(mumloc_filter_validate(options, NULL));
    int density = options->density_radius_nm > 0;
    int64_t rows = table->rows;
    int64_t *kept = malloc((size_t)(rows > 0 ? rows : 1) * sizeof *kept), count = 0;
    if (!kept) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "filter: out of memory for %lld rows", (long long)rows);
    post_progress p;
    post_progress_init(&p, "filter", progress, user, density ? 2 * rows : rows);
    mumloc_status s = run_expression(table, has_expression(options) ? options->expression : NULL, kept,
                                     &count, &p);
    if (s == MUMLOC_OK && density) s = run_density(table, options, kept, &count, &p);
    if (s == MUMLOC_OK) s = table_select_rows(table, kept, count, out);
    if (s == MUMLOC_OK) s = post_progress_report(&p, p.total, 1);
    if (s != MUMLOC_OK) {
        mumloc_table_destroy(*out);
        *out = NULL;
    }
    free(kept);
    return s;
}
