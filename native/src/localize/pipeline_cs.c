/* The localizer's compressed-sensing path (options->method CS, no model): per push, groups of T
 * frames (cs.frames, within the push) × regions (tiles of cs.tile pixels with cs.margin of context,
 * localize/tiling.h) are solved in parallel by cs_localize_region, each region keeping the
 * localizations of its core; then, frame by frame, the same refinement and photometry/CRLB as the
 * network's output, each region's records at that region's drift estimate (refine drift: the frame's
 * own joint fit, as for the network). */
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "cs/cs_localize.h"
#include "decode/decode_common.h"
#include "localize/pipeline.h"
#include "localize/pipeline_frame.h"
#include "localize/pipeline_localizer.h"

mumloc_status pipeline_cs_create(const mumloc_localize_options *o, int width, int height,
                                 mumloc_localizer **out) {
    if (!o->optics)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "the CS localizer needs the optics (options->optics): it has no model "
                           "to take them from");
    mumloc_localizer *l = calloc(1, sizeof *l);
    if (!l) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "no memory for a localizer");
    l->cs = 1;
    l->opt = *o;
    l->optics = *o->optics;
    l->opt.optics = &l->optics;
    l->planes = l->optics.planes;
    l->width = width;
    l->height = height;
    const int margin = o->cs.margin, edge = o->cs.tile + 2 * margin;
    l->nx = tiling_axis(width, edge, margin, NULL, 0);
    l->ny = tiling_axis(height, edge, margin, NULL, 0);
    l->xs = malloc(sizeof *l->xs * (size_t)l->nx);
    l->ys = malloc(sizeof *l->ys * (size_t)l->ny);
    l->found_cap = 1024;
    l->found = malloc(sizeof *l->found * (size_t)l->found_cap);
    if (!l->xs || !l->ys || !l->found) { /* only these exist yet (no call back to pipeline.c) */
        free(l->xs);
        free(l->ys);
        free(l->found);
        free(l);
        return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "no memory for the CS regions");
    }
    tiling_axis(width, edge, margin, l->xs, l->nx);
    tiling_axis(height, edge, margin, l->ys, l->ny);
    l->tiled = l->nx * l->ny > 1;
    *out = l;
    return MUMLOC_OK;
}

/* One region of one group of frames: its core's records and its drift. */
typedef struct region_result {
    mumloc_localization *recs;
    int n;
    double dx_dy[2 * MUMLOC_MAX_PLANES];
    mumloc_status status;
} region_result;

static void solve_region(const mumloc_localizer *l, const float *photons, int frames,
                         int64_t first_frame, int tx, int ty, region_result *r) {
    const tile_span *sx = &l->xs[tx], *sy = &l->ys[ty];
    const int k = l->planes, w = sx->size, h = sy->size;
    float *cut = malloc(sizeof *cut * (size_t)frames * k * w * h);
    if (!cut) {
        r->status = error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "no memory for a CS region");
        return;
    }
    for (int t = 0; t < frames; t++)
        for (int d = 0; d < k; d++)
            for (int row = 0; row < h; row++)
                memcpy(cut + (((size_t)t * k + d) * h + row) * w,
                       photons + (((size_t)t * k + d) * l->height + sy->start + row) * l->width +
                           sx->start,
                       sizeof *cut * (size_t)w);
    r->status = cs_localize_region(&l->optics, &l->opt.camera, &l->opt.cs, cut, frames, w, h,
                                   first_frame, &r->recs, &r->n, r->dx_dy, NULL);
    free(cut);
    if (r->status != MUMLOC_OK) return;
    /* to frame coordinates; keep the core */
    const double p = l->optics.pixel_nm;
    const double x0 = sx->core_begin * p, x1 = sx->core_end * p;
    const double y0 = sy->core_begin * p, y1 = sy->core_end * p;
    int kept = 0;
    for (int a = 0; a < r->n; a++) {
        mumloc_localization rec = r->recs[a];
        rec.x_nm += sx->start * p;
        rec.y_nm += sy->start * p;
        if (rec.x_nm >= x0 && rec.x_nm < x1 && rec.y_nm >= y0 && rec.y_nm < y1)
            r->recs[kept++] = rec;
    }
    r->n = kept;
}

static mumloc_status grow_found(mumloc_localizer *l, int need) {
    if (need <= l->found_cap) return MUMLOC_OK;
    int cap = need + need / 2 + 64;
    mumloc_localization *grown = realloc(l->found, sizeof *grown * (size_t)cap);
    if (!grown) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "no memory for %d records", cap);
    l->found = grown;
    l->found_cap = cap;
    return MUMLOC_OK;
}

/* Refinement, photometry and bounds of one frame's records from every region, then pending. */
static mumloc_status finish_frame(mumloc_localizer *l, int64_t frame, const float *photons,
                                  region_result *regions, int count) {
    int n = 0, start[4096 + 1];
    const int tracked = count <= 4096;
    for (int t = 0; t < count; t++) {
        int here = 0;
        for (int a = 0; a < regions[t].n; a++) here += regions[t].recs[a].frame == frame;
        ERROR_TRY(grow_found(l, n + here));
        if (tracked) start[t] = n;
        for (int a = 0; a < regions[t].n; a++)
            if (regions[t].recs[a].frame == frame) l->found[n++] = regions[t].recs[a];
    }
    if (tracked) start[count] = n;
    const mumloc_camera *cam = &l->opt.camera;
    int refine = l->opt.refine;
    if (refine == MUMLOC_REFINE_DRIFT) {
        /* With no usable molecule the joint fit leaves every drift at 0, which would throw away
         * CS's own estimate: then positions are refined at each region's CS drift instead, and
         * that drift is the one reported. */
        mumloc_localization *decoded = malloc(sizeof *decoded * (size_t)(n > 0 ? n : 1));
        if (!decoded) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "no memory for %d records", n);
        memcpy(decoded, l->found, sizeof *decoded * (size_t)n);
        mumloc_frame_drift drift;
        mumloc_status st = mumloc_localizations_refine_with_drift(&l->optics, cam, photons,
                                                                  l->width, l->height, l->found, n,
                                                                  &drift);
        const int fall_back = st == MUMLOC_OK && n > 0 &&
                              drift.outcome == MUMLOC_DRIFT_TOO_FEW_MOLECULES;
        if (fall_back) memcpy(l->found, decoded, sizeof *decoded * (size_t)n);
        free(decoded);
        ERROR_TRY(st);
        if (fall_back) {
            refine = MUMLOC_REFINE_POSITIONS;
            if (count == 1)
                for (int v = 2; v < 2 * l->planes; v++) drift.dx_dy[v] = regions[0].dx_dy[v];
        } else {
            if (l->opt.measure && n > 0)
                ERROR_TRY(mumloc_localizations_measure(&l->optics, cam, photons, l->width,
                                                        l->height, drift.dx_dy, l->found, n));
            localizations_sort(l->found, n);
            ERROR_TRY(pipeline_append_records(l, l->found, n));
        }
        if (l->opt.drift_callback) l->opt.drift_callback(l->opt.drift_user, frame, &drift);
        if (!fall_back) return MUMLOC_OK;
    }
    for (int t = 0; t < count; t++) {
        /* each region's records at its own drift estimate */
        const int a = tracked ? start[t] : 0, b = tracked ? start[t + 1] : n;
        const double *dx_dy = tracked ? regions[t].dx_dy : NULL;
        if (b <= a) continue;
        if (refine == MUMLOC_REFINE_POSITIONS)
            ERROR_TRY(mumloc_localizations_refine(&l->optics, cam, photons, l->width, l->height,
                                                   dx_dy, l->found + a, b - a));
        if (l->opt.measure)
            ERROR_TRY(mumloc_localizations_measure(&l->optics, cam, photons, l->width, l->height,
                                                    dx_dy, l->found + a, b - a));
        if (!tracked) break;
    }
    localizations_sort(l->found, n);
    return pipeline_append_records(l, l->found, n);
}

mumloc_status pipeline_cs_push(mumloc_localizer *l, const float *frames, int count,
                               int64_t first_frame) {
    const int T = l->opt.cs.frames, k = l->planes;
    const size_t frame_floats = (size_t)k * l->width * l->height;
    float *photons = malloc(sizeof *photons * frame_floats * (size_t)(count > 0 ? count : 1));
    const int groups = (count + T - 1) / T, per_group = l->nx * l->ny;
    const int blocks = groups * per_group;
    region_result *res = calloc((size_t)(blocks > 0 ? blocks : 1), sizeof *res);
    if (!photons || !res) {
        free(photons);
        free(res);
        return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "no memory for a batch of %d frames", count);
    }
    for (int f = 0; f < count; f++)
        pipeline_convert_frame(l, frames + f * frame_floats, photons + f * frame_floats);
    const double start = pipeline_now();
#pragma omp parallel for schedule(dynamic, 1)
    for (int b = 0; b < blocks; b++) {
        const int g = b / per_group, t = b % per_group;
        const int first = g * T, n = count - first < T ? count - first : T;
        solve_region(l, photons + first * frame_floats, n, first_frame + first, t % l->nx,
                     t / l->nx, &res[b]);
    }
    l->network_seconds += pipeline_now() - start;
    mumloc_status st = MUMLOC_OK;
    for (int b = 0; b < blocks && st == MUMLOC_OK; b++) st = res[b].status;
    for (int f = 0; f < count && st == MUMLOC_OK; f++)
        st = finish_frame(l, first_frame + f, photons + f * frame_floats,
                          res + (f / T) * per_group, per_group);
    for (int b = 0; b < blocks; b++) free(res[b].recs);
    free(res);
    free(photons);
    return st;
}
