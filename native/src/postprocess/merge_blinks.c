/* mumloc_merge_blinks: tracks (merge_tracks.c), then one output row per track, column by column. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "postprocess/merge_tracks.h"
#include "postprocess/post_common.h"
#include "table/table.h"

void mumloc_blink_merge_options_default(mumloc_blink_merge_options *o) {
    if (!o) return;
    o->max_distance_nm = 20;
    o->max_distance_xy_nm = 0;
    o->max_distance_z_nm = 0;
    o->max_off_frames = 1;
    o->max_frames = 0;
}

mumloc_status mumloc_blink_merge_options_validate(const mumloc_blink_merge_options *o) {
    if (!o) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "merge: options are NULL");
    int separate = o->max_distance_xy_nm != 0 || o->max_distance_z_nm != 0;
    if (!separate && !(o->max_distance_nm > 0 && isfinite(o->max_distance_nm)))
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "merge: the distance must be a finite number > 0 nm");
    if (separate && !(o->max_distance_xy_nm > 0 && isfinite(o->max_distance_xy_nm) &&
                      o->max_distance_z_nm > 0 && isfinite(o->max_distance_z_nm)))
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "merge: the lateral and axial distances must both be finite numbers > 0 "
                           "nm, or both 0 to use the 3D distance");
    if (o->max_off_frames < 0)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "merge: off frames must be >= 0, got %d",
                           o->max_off_frames);
    if (o->max_frames < 0)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "merge: frames per molecule must be >= 0 (0 = no limit), got %d",
                           o->max_frames);
    return MUMLOC_OK;
}

/* Per-row weight: 1/u² from an uncertainty column, else the value of an intensity column; a weight
 * that is not finite and > 0 counts as 0. */
static double *row_weights(const double *uncertainty, const double *intensity, int64_t rows) {
    if (!uncertainty && !intensity) return NULL;
    double *w = malloc((size_t)(rows > 0 ? rows : 1) * sizeof *w);
    if (!w) return NULL;
    for (int64_t r = 0; r < rows; r++) {
        double v = uncertainty ? 1.0 / (uncertainty[r] * uncertainty[r]) : intensity[r];
        w[r] = isfinite(v) && v > 0 ? v : 0.0;
    }
    return w;
}

typedef enum combine_kind {
    COMBINE_MEAN, COMBINE_SUM, COMBINE_FIRST_FRAME, COMBINE_ID, COMBINE_WEIGHTED, COMBINE_BOUND
} combine_kind;

/* One output column from one input column (values NULL: 1 per row): out[t] over the rows of track t,
 * which has n[t] rows. sum_w, sum_v: scratch of `tracks` values each. */
static void combine(combine_kind kind, const double *values, const double *weight,
                    const int64_t *row_track, int64_t rows, int64_t tracks, const double *n,
                    double *out, double *sum_w, double *sum_v) {
    for (int64_t t = 0; t < tracks; t++) {
        out[t] = kind == COMBINE_FIRST_FRAME ? INFINITY : kind == COMBINE_ID ? (double)(t + 1) : 0.0;
        sum_w[t] = sum_v[t] = 0.0;
    }
    if (kind == COMBINE_ID) return;
    for (int64_t r = 0; r < rows; r++) {
        int64_t t = row_track[r];
        double v = values ? values[r] : 1.0, w = weight ? weight[r] : 1.0;
        switch (kind) {
        case COMBINE_FIRST_FRAME: out[t] = fmin(out[t], v); break;
        case COMBINE_WEIGHTED:
            out[t] += w * v;
            sum_w[t] += w;
            sum_v[t] += v;
            break;
        case COMBINE_BOUND:
            sum_v[t] += v;
            if (isfinite(v) && v > 0) sum_w[t] += 1.0 / (v * v);
            break;
        default: out[t] += v; break;
        }
    }
    for (int64_t t = 0; t < tracks; t++) {
        if (kind == COMBINE_MEAN) out[t] /= n[t];
        else if (kind == COMBINE_WEIGHTED) out[t] = sum_w[t] > 0 ? out[t] / sum_w[t] : sum_v[t] / n[t];
        else if (kind == COMBINE_BOUND) out[t] = sum_w[t] > 0 ? 1.0 / sqrt(sum_w[t]) : sum_v[t] / n[t];
    }
}

/* How each column of the input is merged, and with which weights. */
typedef struct merge_plan {
    const char *xy_uncertainty;  /* "uncertainty_xy", "uncertainty" or NULL */
    const double *weight_xy, *weight_z;
} merge_plan;

static combine_kind kind_of(const char *name, const merge_plan *p, const double **weight) {
    *weight = NULL;
    if (strcmp(name, "id") == 0) return COMBINE_ID;
    if (strcmp(name, "frame") == 0) return COMBINE_FIRST_FRAME;
    if (strcmp(name, "intensity") == 0 || strcmp(name, "detections") == 0) return COMBINE_SUM;
    if (strcmp(name, "x") == 0 || strcmp(name, "y") == 0) {
        *weight = p->weight_xy;
        return COMBINE_WEIGHTED;
    }
    if (strcmp(name, "z") == 0) {
        *weight = p->weight_z;
        return COMBINE_WEIGHTED;
    }
    if ((p->xy_uncertainty && strcmp(name, p->xy_uncertainty) == 0) || strcmp(name, "uncertainty_z") == 0)
        return COMBINE_BOUND;
    return COMBINE_MEAN;
}

static mumloc_status build_output(const mumloc_table *in, const merge_plan *plan,
                                  const int64_t *row_track, int64_t tracks, mumloc_table **out) {
    ERROR_TRY(table_same_columns(in, tracks, out));
    mumloc_table *t = *out;
    int detections = mumloc_table_find_column(t, "detections", NULL);
    if (detections < 0) ERROR_TRY(mumloc_table_add_column(t, "detections", NULL, &detections));
    int64_t rows = in->rows;
    double *n = calloc((size_t)tracks + 1, sizeof *n);
    if (!n) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "merge: out of memory");
    for (int64_t r = 0; r < rows; r++) n[row_track[r]] += 1.0;
    int failed = 0;
#pragma omp parallel
    {
        double *scratch = malloc(2 * ((size_t)tracks + 1) * sizeof *scratch);
        if (!scratch) {
#pragma omp atomic write
            failed = 1;
        }
#pragma omp for schedule(dynamic, 1)
        for (int c = 0; c < t->columns; c++) {
            if (!scratch) continue;
            int from_input = c < in->columns;
            const double *weight;
            combine_kind kind = kind_of(t->names[c], plan, &weight);
            combine(kind, from_input ? in->data[c] : NULL, weight, row_track, rows, tracks, n,
                    t->data[c], scratch, scratch + tracks + 1);
        }
        free(scratch);
    }
    free(n);
    if (failed) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "merge: out of memory");
    (void)detections;
    return MUMLOC_OK;
}

mumloc_status mumloc_merge_blinks(const mumloc_table *table, const mumloc_blink_merge_options *options,
                                  mumloc_table **out, mumloc_progress_fn progress, void *user) {
    if (!table || !out)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "merge: the table and out are required");
    *out = NULL;
    mumloc_blink_merge_options defaults;
    mumloc_blink_merge_options_default(&defaults);
    const mumloc_blink_merge_options *o = options ? options : &defaults;
    ERROR_TRY(mumloc_blink_merge_options_validate(o));
    merge_input in = {table->rows, NULL, NULL, NULL, NULL, NULL, NULL};
    in.frame = post_column(table, "frame");
    if (!in.frame)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "merge: the table has no column \"frame\"; merging joins localizations of "
                           "consecutive frames");
    ERROR_TRY(post_length_column(table, "merge", "x", 1, &in.x));
    ERROR_TRY(post_length_column(table, "merge", "y", 1, &in.y));
    ERROR_TRY(post_length_column(table, "merge", "z", 0, &in.z));
    ERROR_TRY(post_require_finite("merge", "x", in.x, in.rows));
    ERROR_TRY(post_require_finite("merge", "y", in.y, in.rows));
    if (in.z) ERROR_TRY(post_require_finite("merge", "z", in.z, in.rows));

    merge_plan plan = {NULL, NULL, NULL};
    const double *u_xy = NULL, *u_z = NULL;
    ERROR_TRY(post_length_column(table, "merge", "uncertainty_xy", 0, &u_xy));
    if (u_xy) plan.xy_uncertainty = "uncertainty_xy";
    else {
        ERROR_TRY(post_length_column(table, "merge", "uncertainty", 0, &u_xy));
        if (u_xy) plan.xy_uncertainty = "uncertainty";
    }
    ERROR_TRY(post_length_column(table, "merge", "uncertainty_z", 0, &u_z));
    const double *intensity = post_column(table, "intensity");
    double *w_xy = row_weights(u_xy, intensity, in.rows), *w_z = row_weights(u_z, intensity, in.rows);
    int64_t *row_track = malloc((size_t)(in.rows > 0 ? in.rows : 1) * sizeof *row_track);
    mumloc_status s = MUMLOC_OK;
    if (!row_track || ((u_xy || intensity) && !w_xy) || ((u_z || intensity) && !w_z))
        s = error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "merge: out of memory for %lld rows", (long long)in.rows);
    in.weight_xy = plan.weight_xy = w_xy;
    in.weight_z = plan.weight_z = w_z;

    post_progress p;
    post_progress_init(&p, "merge", progress, user, in.rows);
    int64_t tracks = 0;
    if (s == MUMLOC_OK) s = merge_assign_tracks(&in, o, row_track, &tracks, &p);
    if (s == MUMLOC_OK) s = build_output(table, &plan, row_track, tracks, out);
    if (s == MUMLOC_OK) s = post_progress_report(&p, in.rows, 1);
    if (s != MUMLOC_OK) {
        mumloc_table_destroy(*out);
        *out = NULL;
    }
    free(row_track);
    free(w_xy);
    free(w_z);
    return s;
}
