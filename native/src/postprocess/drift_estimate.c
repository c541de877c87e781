/* mumloc_drift_estimate and mumloc_drift_apply: options, the table's columns, the method, and the
 * drift table (origin at the first frame). */
#include <math.h>
#include <stdlib.h>

#include "core/error.h"
#include "core/runtime.h"
#include "core/range_check.h"
#include "postprocess/drift_internal.h"
#include "postprocess/post_common.h"
#include "table/table.h"

/* Larger than any acquisition; beyond it a frame number is a typo or a foreign column. */
#define MAX_FRAME 1e9

void mumloc_drift_options_default(mumloc_drift_options *options) {
    if (!options) return;
    *options = (mumloc_drift_options){0};
    options->method = MUMLOC_DRIFT_RCC;
    options->segment_frames = 0;
    options->pixel_nm = 20.0;
    options->max_drift_nm = 1000.0;
    options->min_segment_localizations = 200;
    options->correct_z = 1;
    options->fiducial_presence = 0.5;
    options->fiducial_radius_nm = 150.0;
}

mumloc_status mumloc_drift_options_validate(const mumloc_drift_options *o) {
    if (!o) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "drift options must not be NULL");
    if (o->method != MUMLOC_DRIFT_RCC && o->method != MUMLOC_DRIFT_FIDUCIAL)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "method must be rcc or fiducial (got %d)",
                           (int)o->method);
    ERROR_TRY(check_int_range("segment-frames", o->segment_frames, 0, (long long)MAX_FRAME));
    ERROR_TRY(check_positive("pixel", o->pixel_nm, 1000.0, "nm"));
    ERROR_TRY(check_positive("max-drift", o->max_drift_nm, 1e5, "nm"));
    if (o->max_drift_nm < 2.0 * o->pixel_nm)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "max-drift must be at least 2 pixels (2 x %g nm) (got %g nm)", o->pixel_nm,
                           o->max_drift_nm);
    ERROR_TRY(check_int_range("min-segment-localizations", o->min_segment_localizations, 1,
                                      1000000000));
    if (o->correct_z != 0 && o->correct_z != 1)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "correct_z must be 0 or 1 (got %d)",
                           o->correct_z);
    ERROR_TRY(check_positive("fiducial-presence", o->fiducial_presence, 1.0, ""));
    ERROR_TRY(check_positive("fiducial-radius", o->fiducial_radius_nm, 1e5, "nm"));
    return MUMLOC_OK;
}

static mumloc_status read_points(const mumloc_table *table, int with_z, drift_points *p) {
    const char *what = "drift correction";
    int fc = mumloc_table_find_column(table, "frame", NULL);
    if (fc < 0)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "%s: the table has no \"frame\" column",
                           what);
    p->frame = mumloc_table_column_data(table, fc);
    ERROR_TRY(post_length_column(table, what, "x", 1, &p->x));
    ERROR_TRY(post_length_column(table, what, "y", 1, &p->y));
    p->z = NULL;
    if (with_z) ERROR_TRY(post_length_column(table, "drift correction in z (or use --no-z)", "z", 1, &p->z));
    p->n = mumloc_table_rows(table);
    if (p->n < 1)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "%s: the table has no rows", what);
    p->first_frame = INT64_MAX;
    p->last_frame = 0;
    for (int64_t r = 0; r < p->n; r++) {
        double f = p->frame[r];
        if (!(f >= 1.0 && f <= MAX_FRAME) || f != floor(f))
            return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                               "%s: row %lld has frame %g; frames must be whole numbers >= 1", what,
                               (long long)r + 1, f);
        if (!isfinite(p->x[r]) || !isfinite(p->y[r]) || (p->z && !isfinite(p->z[r])))
            return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                               "%s: row %lld has a position that is not a finite number", what,
                               (long long)r + 1);
        if ((int64_t)f < p->first_frame) p->first_frame = (int64_t)f;
        if ((int64_t)f > p->last_frame) p->last_frame = (int64_t)f;
    }
    return MUMLOC_OK;
}

mumloc_status drift_table_make(int64_t first, int64_t count, const double *dx, const double *dy,
                               const double *dz, mumloc_table **out) {
    mumloc_table *t = NULL;
    ERROR_TRY(mumloc_table_create(&t));
    mumloc_status s = mumloc_table_add_column(t, "frame", "", NULL);
    if (s == MUMLOC_OK) s = mumloc_table_add_column(t, "dx", "nm", NULL);
    if (s == MUMLOC_OK) s = mumloc_table_add_column(t, "dy", "nm", NULL);
    if (s == MUMLOC_OK) s = mumloc_table_add_column(t, "dz", "nm", NULL);
    if (s == MUMLOC_OK) s = mumloc_table_set_rows(t, count);
    double *frames = s == MUMLOC_OK ? malloc((size_t)(count > 0 ? count : 1) * sizeof *frames) : NULL;
    if (s == MUMLOC_OK && !frames)
        s = error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "drift table: out of memory");
    if (s == MUMLOC_OK) {
        for (int64_t k = 0; k < count; k++) frames[k] = (double)(first + k);
        s = mumloc_table_set_column(t, 0, 0, frames, count);
    }
    if (s == MUMLOC_OK) s = mumloc_table_set_column(t, 1, 0, dx, count);
    if (s == MUMLOC_OK) s = mumloc_table_set_column(t, 2, 0, dy, count);
    if (s == MUMLOC_OK) s = mumloc_table_set_column(t, 3, 0, dz, count);
    free(frames);
    if (s != MUMLOC_OK) {
        mumloc_table_destroy(t);
        return s;
    }
    *out = t;
    return MUMLOC_OK;
}

static void curve_free(drift_curve *c) {
    free(c->dx);
    free(c->dy);
    free(c->dz);
}

mumloc_status mumloc_drift_estimate(const mumloc_table *table, const mumloc_drift_options *options,
                                    mumloc_drift_info *info, mumloc_progress_fn progress, void *user,
                                    mumloc_table **out) {
    if (!table || !out)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "drift correction: table and out must not be NULL");
    *out = NULL;
    mumloc_drift_options o;
    if (options) o = *options;
    else mumloc_drift_options_default(&o);
    ERROR_TRY(mumloc_drift_options_validate(&o));
    threads_apply();
    drift_points points;
    ERROR_TRY(read_points(table, o.correct_z, &points));

    mumloc_drift_info local = {0};
    drift_curve curve = {0};
    curve.frames = points.last_frame - points.first_frame + 1;
    size_t bytes = (size_t)curve.frames * sizeof(double);
    curve.dx = malloc(bytes);
    curve.dy = malloc(bytes);
    curve.dz = calloc((size_t)curve.frames, sizeof(double));
    if (!curve.dx || !curve.dy || !curve.dz) {
        curve_free(&curve);
        return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "drift correction: out of memory");
    }
    drift_progress steps = {progress, user, 0, 0};
    mumloc_status s = o.method == MUMLOC_DRIFT_RCC
                          ? drift_rcc(&points, &o, &steps, &local, &curve)
                          : drift_fiducial(&points, &o, &steps, &local, &curve);
    if (s == MUMLOC_OK) {
        /* The origin: the sample where it was at the first frame. */
        double x0 = curve.dx[0], y0 = curve.dy[0], z0 = curve.dz[0];
        for (int64_t k = 0; k < curve.frames; k++) {
            curve.dx[k] -= x0;
            curve.dy[k] -= y0;
            curve.dz[k] = o.correct_z ? curve.dz[k] - z0 : 0.0;
        }
        local.frames = curve.frames;
        s = drift_table_make(points.first_frame, curve.frames, curve.dx, curve.dy, curve.dz, out);
    }
    curve_free(&curve);
    if (s == MUMLOC_OK && info) *info = local;
    return s;
}

mumloc_status mumloc_drift_apply(mumloc_table *table, const mumloc_table *drift) {
    if (!table || !drift)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "drift apply: tables must not be NULL");
    const char *what = "drift apply: the drift table";
    int dc[4];
    const char *dnames[4] = {"frame", "dx", "dy", "dz"};
    for (int a = 0; a < 4; a++) {
        dc[a] = mumloc_table_find_column(drift, dnames[a], NULL);
        if (dc[a] < 0)
            return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                               "%s has no \"%s\" column (it needs frame, dx, dy, dz)", what,
                               dnames[a]);
    }
    int64_t frames = mumloc_table_rows(drift);
    const double *df = mumloc_table_column_data(drift, dc[0]);
    if (frames < 1) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "%s has no rows", what);
    double first = df[0];
    for (int64_t k = 0; k < frames; k++)
        if (df[k] != first + (double)k)
            return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                               "%s must list consecutive frames; row %lld has frame %g, expected %g",
                               what, (long long)k + 1, df[k], first + (double)k);
    int fc = mumloc_table_find_column(table, "frame", NULL);
    if (fc < 0) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "drift apply: the table has no \"frame\" column");
    const double *x, *y, *z = NULL;
    ERROR_TRY(post_length_column(table, "drift apply", "x", 1, &x));
    ERROR_TRY(post_length_column(table, "drift apply", "y", 1, &y));
    if (mumloc_table_find_column(table, "z", NULL) >= 0)
        ERROR_TRY(post_length_column(table, "drift apply", "z", 1, &z));
    int64_t rows = mumloc_table_rows(table);
    const double *frame = mumloc_table_column_data(table, fc);
    for (int64_t r = 0; r < rows; r++) {
        double k = frame[r] - first;
        if (!(k >= 0.0 && k < (double)frames) || k != floor(k))
            return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                               "drift apply: row %lld has frame %g, which the drift table (frames "
                               "%g to %g) does not hold",
                               (long long)r + 1, frame[r], first, first + (double)(frames - 1));
    }
    const double *d[3];
    for (int a = 0; a < 3; a++) d[a] = mumloc_table_column_data(drift, dc[a + 1]);
    /* In place, in the table's own storage: the shape does not change. */
    double *cols[3] = {table->data[mumloc_table_find_column(table, "x", NULL)],
                       table->data[mumloc_table_find_column(table, "y", NULL)],
                       z ? table->data[mumloc_table_find_column(table, "z", NULL)] : NULL};
    (void)x;
    (void)y;
    for (int64_t r = 0; r < rows; r++) {
        int64_t k = (int64_t)(frame[r] - first);
        for (int a = 0; a < 3; a++)
            if (cols[a]) cols[a][r] -= d[a][k];
    }
    return MUMLOC_OK;
}
