/* mumloc_cs_localize and the CS options (contract in mumloc.h; see CS.md). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/runtime.h"
#include "cs/cs_block.h"
#include "cs/cs_decode.h"
#include "cs/cs_localize.h"
#include "optics/crlb.h"

void mumloc_cs_options_default(mumloc_cs_options *o) {
    if (!o) return;
    o->lambda = 0.0;
    o->frames = 1;
    o->upsampling = 8;   /* 24 nm at 192 nm pixels, the 2021 paper's grid */
    o->slice_nm = 50.0;  /* its 32 slices of the 1600 nm slab */
    o->max_drift = 2;    /* ±2 steps of 24 nm: ±48 nm, the papers' drift range */
    o->known_count = 0;
    o->min_photons = 800.0; /* half the dimmest molecule of the papers' simulation (0.3 · 4 · 1356) */
    o->merge_nm = 100.0;
    o->tile = 16;        /* the 2021 paper's frame */
    o->margin = 3;
    o->max_iterations = 3000;
    o->tolerance = 1e-3;
    o->full_grid = 0;
}

mumloc_status mumloc_cs_options_validate(const mumloc_cs_options *o) {
    if (!o) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "CS options must not be NULL");
    if (!(o->lambda >= 0.0 && isfinite(o->lambda)))
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "CS lambda must be 0 (automatic) or a positive number of photons, got %g",
                           o->lambda);
    if (o->frames < 1 || o->frames > 1000)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "CS frames (sharing one drift) must be 1..1000, got %d", o->frames);
    if (o->upsampling < 1 || o->upsampling > 32)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "CS upsampling must be 1..32, got %d",
                           o->upsampling);
    if (!(o->slice_nm >= 1.0 && o->slice_nm <= 10000.0))
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "CS slice must be 1..10000 nm, got %g",
                           o->slice_nm);
    if (o->max_drift < 0 || o->max_drift > 8)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "CS drift range must be 0..8 voxel steps, got %d", o->max_drift);
    if (o->known_count < 0 || o->known_count > 100000)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "CS known count must be 0 (unknown) or 1..100000, got %d",
                           o->known_count);
    if (!(o->min_photons >= 0.0 && isfinite(o->min_photons)))
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "CS minimum photons must be a finite number >= 0, got %g",
                           o->min_photons);
    if (!(o->merge_nm >= 0.0 && o->merge_nm <= 10000.0))
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "CS merge distance must be 0..10000 nm, "
                           "got %g", o->merge_nm);
    if (o->tile < 4 || o->tile > 256)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "CS tile must be 4..256 pixels (the solver's cost grows with the cube "
                           "of the tile edge), got %d", o->tile);
    if (o->margin < 0 || o->margin > 64)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "CS margin must be 0..64 pixels, got %d",
                           o->margin);
    if (o->max_iterations < 1 || o->max_iterations > 10000000)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "CS iterations must be 1..10000000, got %d", o->max_iterations);
    if (!(o->tolerance > 0.0 && o->tolerance < 1.0))
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "CS tolerance must be in (0, 1), got %g",
                           o->tolerance);
    if (o->full_grid != 0 && o->full_grid != 1)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "CS full_grid must be 0 or 1, got %d",
                           o->full_grid);
    return MUMLOC_OK;
}

const char *mumloc_localize_method_name(int method) {
    return method == MUMLOC_METHOD_NETWORK ? "network" : method == MUMLOC_METHOD_CS ? "cs" : NULL;
}

static int by_float(const void *pa, const void *pb) {
    float a = *(const float *)pa, b = *(const float *)pb;
    return (a > b) - (a < b);
}

double cs_auto_lambda(const cs_grid *g, const mumloc_camera *camera, const float *photons,
                      int frames) {
    /* σ: the pixel noise at the median (background) level */
    const size_t n = (size_t)frames * cs_grid_pixels(g);
    float *copy = malloc(sizeof *copy * n);
    double median = 0.0;
    if (copy) {
        memcpy(copy, photons, sizeof *copy * n);
        qsort(copy, n, sizeof *copy, by_float);
        median = copy[n / 2];
        free(copy);
    }
    const pixel_noise noise = pixel_noise_of(camera);
    const double sigma = sqrt(noise.excess * (median > 0.0 ? median : 0.0) + noise.read_variance +
                              1e-6);
    /* max over slices of ‖P h‖ for a voxel at the region's centre */
    const int W = g->width, H = g->height;
    float *mx = malloc(sizeof *mx * (size_t)(W + H));
    double best = 0.0;
    for (int l = 0; mx && l < g->slices; l++) {
        const size_t v = ((size_t)l * g->rows + g->rows / 2) * g->cols + g->cols / 2;
        double norm2 = 0.0;
        for (int d = 0; d < g->planes; d++) {
            cs_voxel_factors(g, v, d, mx, mx + W);
            double xx = 0, yy = 0, sx = 0, sy = 0;
            for (int i = 0; i < W; i++) xx += (double)mx[i] * mx[i], sx += mx[i];
            for (int j = 0; j < H; j++) yy += (double)mx[W + j] * mx[W + j], sy += mx[W + j];
            norm2 += g->share[d] * g->share[d] * (xx * yy - sx * sx * sy * sy / ((double)W * H));
        }
        if (norm2 > best) best = norm2;
    }
    free(mx);
    return sqrt(2.0 * log((double)cs_grid_voxels(g))) * sigma * sqrt(best);
}

mumloc_status cs_localize_region(const mumloc_optics *optics, const mumloc_camera *camera,
                                 const mumloc_cs_options *o, const float *photons, int frames,
                                 int width, int height, int64_t first_frame,
                                 mumloc_localization **found, int *count, double *dx_dy,
                                 cs_stats *stats) {
    *found = NULL;
    *count = 0;
    cs_grid g;
    ERROR_TRY(cs_grid_init(&g, optics, width, height, o->upsampling, o->slice_nm, o->max_drift));
    const size_t px = cs_grid_pixels(&g);
    float *y = malloc(sizeof *y * px * (size_t)frames);
    cs_sparse *c = calloc((size_t)frames, sizeof *c);
    cs_work w;
    mumloc_status st = cs_work_init(&w, &g);
    if (st == MUMLOC_OK && (!y || !c))
        st = error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "no memory for %d CS frames", frames);
    double lambda = o->lambda;
    int iterations = 0;
    if (st == MUMLOC_OK) {
        if (!(lambda > 0.0)) lambda = cs_auto_lambda(&g, camera, photons, frames);
        memcpy(y, photons, sizeof *y * px * (size_t)frames);
        for (int t = 0; t < frames; t++) cs_center_planes(&g, y + t * px);
        const cs_lasso_params p = {lambda, o->tolerance, o->max_iterations};
        st = cs_block_solve(&g, optics, y, frames, &p, o->full_grid, o->merge_nm, c, &w, &iterations);
    }
    int total = 0;
    for (int t = 0; t < frames && c; t++) total += c[t].n;
    mumloc_localization *out = NULL;
    if (st == MUMLOC_OK) {
        out = malloc(sizeof *out * (size_t)(total > 0 ? total : 1));
        if (!out) st = error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "no memory for CS localizations");
    }
    int n = 0;
    for (int t = 0; t < frames && st == MUMLOC_OK; t++)
        st = cs_decode(&g, &c[t], o->merge_nm, o->min_photons, o->known_count, first_frame + t,
                       out, &n);
    if (st == MUMLOC_OK && dx_dy)
        for (int d = 0; d < MUMLOC_MAX_PLANES; d++) {
            dx_dy[2 * d] = d < g.planes ? g.shift[d][0] * g.voxel_nm : 0.0;
            dx_dy[2 * d + 1] = d < g.planes ? g.shift[d][1] * g.voxel_nm : 0.0;
        }
    if (stats) {
        stats->lambda = lambda;
        stats->lasso_iterations = iterations;
        stats->nonzeros = total;
    }
    for (int t = 0; t < frames && c; t++) cs_sparse_free(&c[t]);
    free(c);
    free(y);
    cs_work_free(&w);
    cs_grid_free(&g);
    if (st != MUMLOC_OK) {
        free(out);
        return st;
    }
    *found = out;
    *count = n;
    return MUMLOC_OK;
}

mumloc_status mumloc_cs_localize(const mumloc_optics *optics, const mumloc_camera *camera,
                                 const mumloc_cs_options *options, const float *photons,
                                 int frames, int width, int height, int64_t first_frame,
                                 mumloc_localization *out, int cap, int *count, double *dx_dy) {
    if (!optics || !camera || !options || !photons || !count)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "mumloc_cs_localize needs optics, camera, options, frames and count");
    ERROR_TRY(mumloc_optics_validate(optics));
    ERROR_TRY(mumloc_camera_validate(camera));
    ERROR_TRY(mumloc_cs_options_validate(options));
    if (frames < 1 || width < 1 || height < 1 || width > 4096 || height > 4096 || first_frame < 0 ||
        cap < 0)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "CS needs frames >= 1, a region of 1..4096 pixels a side, first_frame "
                           ">= 0 and cap >= 0 (got %d frames of %dx%d)", frames, width, height);
    const size_t n = (size_t)frames * optics->planes * width * height;
    for (size_t i = 0; i < n; i++)
        if (!isfinite(photons[i]))
            return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                               "CS frames hold NaN or infinite pixels (value %zu)", i);
    threads_apply();
    mumloc_localization *found = NULL;
    int total = 0;
    ERROR_TRY(cs_localize_region(optics, camera, options, photons, frames, width, height,
                                  first_frame, &found, &total, dx_dy, NULL));
    *count = total;
    mumloc_status st = MUMLOC_OK;
    if (out || cap > 0) {
        if (total > cap)
            st = error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                             "the output holds %d localizations but %d were found: pass a buffer "
                             "of at least %d", cap, total, total);
        else if (total > 0)
            memcpy(out, found, sizeof *out * (size_t)total);
    }
    free(found);
    return st;
}
