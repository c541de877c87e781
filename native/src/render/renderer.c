/* Creating a renderer and accumulating localizations into it.
 *
 * Parallel accumulation without extra image copies: the image is cut into row bands, and each band
 * is owned by one thread at a time (dynamic schedule), which adds every localization of the batch
 * whose footprint meets its rows. Each pixel therefore receives its contributions in batch order
 * whatever the thread count, so the image is bit-identical for any thread count. */
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/runtime.h"
#include "render/colormap.h"
#include "render/render_internal.h"

/* Localizations prepared per parallel step (bounds the scratch memory). */
enum { PREP_CHUNK = 1 << 16 };

typedef struct prepared {
    double x_px, y_px;  /* position in pixel units */
    double sigma_px;    /* Gaussian σ in pixel units (0 for the histograms) */
    int col0, col1;     /* columns touched, clipped to the field (inclusive) */
    int row0, row1;     /* rows touched, clipped to the field (inclusive); row0 > row1: none */
    int slice;          /* z-stack slice, -1 for none */
    float rgb[3];
} prepared;

/* Pixels of a field length: ceil, with a little slack so that 12288 nm at 10 nm is 1229, and
 * 120 nm at 10 nm stays 12 despite rounding. */
static double pixels_for(double length_nm, double pixel_nm) {
    return ceil(length_nm / pixel_nm - 1e-9);
}

static mumloc_status check_size(const mumloc_render_params *p, int *width, int *height,
                                int *slices) {
    if (p->field_width_nm <= 0.0 || p->field_height_nm <= 0.0 || p->z_from_data)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "render: the field size and z range must be resolved before creating a "
                           "renderer (call mumloc_render_params_fit, or give them)");
    double w = pixels_for(p->field_width_nm, p->pixel_nm);
    double h = pixels_for(p->field_height_nm, p->pixel_nm);
    if (w < 1) w = 1;
    if (h < 1) h = 1;
    if (w * h > (double)MUMLOC_RENDER_MAX_PIXELS || w > 1e9 || h > 1e9)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "render: a %g x %g nm field at %g nm pixels is %.0f x %.0f pixels, "
                           "above the limit of %lld pixels; use a larger pixel size (at least "
                           "%.3g nm) or a smaller field",
                           p->field_width_nm, p->field_height_nm, p->pixel_nm, w, h,
                           (long long)MUMLOC_RENDER_MAX_PIXELS,
                           p->pixel_nm * sqrt(w * h / (double)MUMLOC_RENDER_MAX_PIXELS) * 1.001);
    double s = 0;
    if (p->zstack) {
        s = ceil((p->z_max_nm - p->z_min_nm) / p->z_bin_nm - 1e-9);
        if (s < 1) s = 1;
        if (s * w * h > (double)MUMLOC_RENDER_MAX_VOXELS)
            return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                               "render: the z-stack would be %.0f slices of %.0f x %.0f pixels, "
                               "above the limit of %lld voxels; use a thicker z bin or a larger "
                               "pixel size",
                               s, w, h, (long long)MUMLOC_RENDER_MAX_VOXELS);
    }
    *width = (int)w;
    *height = (int)h;
    *slices = (int)s;
    return MUMLOC_OK;
}

mumloc_status mumloc_renderer_create(const mumloc_render_params *params, mumloc_renderer **out) {
    if (!out) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "render: output pointer is NULL");
    *out = NULL;
    ERROR_TRY(mumloc_render_params_validate(params));
    int width = 0, height = 0, slices = 0;
    ERROR_TRY(check_size(params, &width, &height, &slices));
    mumloc_renderer *r = calloc(1, sizeof *r);
    if (!r) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "render: out of memory");
    r->p = *params;
    r->width = width;
    r->height = height;
    r->slices = slices;
    colorbar_layout_compute(width, height, params->z_min_nm, params->z_max_nm, &r->bar);
    if (params->method == MUMLOC_RENDER_GAUSSIAN) {
        r->cdf = malloc(sizeof *r->cdf);
        if (!r->cdf) {
            mumloc_renderer_destroy(r);
            return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "render: out of memory");
        }
        normal_table_fill(r->cdf);
    }
    size_t pixels = (size_t)width * (size_t)height;
    r->image = calloc(pixels * RENDER_CHANNELS, sizeof *r->image);
    if (slices > 0) r->stack = calloc(pixels * (size_t)slices, sizeof *r->stack);
    if (!r->image || (slices > 0 && !r->stack)) {
        mumloc_renderer_destroy(r);
        return error_fail(MUMLOC_ERR_OUT_OF_MEMORY,
                           "render: out of memory for a %d x %d image%s; use a larger pixel size",
                           width, height, slices > 0 ? " and its z-stack" : "");
    }
    *out = r;
    return MUMLOC_OK;
}

void mumloc_renderer_destroy(mumloc_renderer *r) {
    if (!r) return;
    free(r->image);
    free(r->stack);
    free(r->cdf);
    free(r);
}

static int clamp_int(double v, int lo, int hi) {
    if (!(v >= lo)) return lo;
    if (v > hi) return hi;
    return (int)v;
}

/* Fills q for one localization; returns 0 when its centre is outside the field. */
static int prepare(const mumloc_renderer *r, double x, double y, double z, double sigma,
                   prepared *q) {
    const mumloc_render_params *p = &r->p;
    q->x_px = x / p->pixel_nm;
    q->y_px = y / p->pixel_nm;
    double col = floor(q->x_px), row = floor(q->y_px);
    if (col < 0 || col >= r->width || row < 0 || row >= r->height) return 0;
    q->sigma_px = 0.0;
    if (p->method == MUMLOC_RENDER_GAUSSIAN) {
        double s = p->sigma_nm > 0.0 ? p->sigma_nm : sigma;
        if (!(s >= p->sigma_min_nm)) s = p->sigma_min_nm;
        if (s > p->sigma_max_nm) s = p->sigma_max_nm;
        q->sigma_px = s / p->pixel_nm;
        double reach = RENDER_GAUSS_RADIUS_SIGMAS * q->sigma_px;
        q->col0 = clamp_int(floor(q->x_px - reach), 0, r->width - 1);
        q->col1 = clamp_int(floor(q->x_px + reach), 0, r->width - 1);
        q->row0 = clamp_int(floor(q->y_px - reach), 0, r->height - 1);
        q->row1 = clamp_int(floor(q->y_px + reach), 0, r->height - 1);
    } else {
        q->col0 = q->col1 = (int)col;
        q->row0 = q->row1 = (int)row;
    }
    double t = (z - p->z_min_nm) / (p->z_max_nm - p->z_min_nm);
    render_colormap_eval(p->colormap, t, q->rgb);
    q->slice = -1;
    if (r->stack && z >= p->z_min_nm && z <= p->z_max_nm) {
        int s = (int)floor((z - p->z_min_nm) / p->z_bin_nm);
        q->slice = s >= r->slices ? r->slices - 1 : s; /* z = z_max goes to the last slice */
    }
    return 1;
}

/* Weights of pixels first..last (inclusive) along one axis for a Gaussian at c (pixel units): the
 * integral over each pixel, divided by the mass of the whole ±4σ window so that the truncated kernel
 * has mass 1 (pixels outside the field are part of the window but never written). */
static void axis_weights(const normal_table *cdf, double c, double sigma, int first, int last,
                         float *w) {
    double reach = RENDER_GAUSS_RADIUS_SIGMAS * sigma, inv = 1.0 / sigma;
    double lo = floor(c - reach), hi = floor(c + reach) + 1.0;
    double norm = normal_table_cdf(cdf, (hi - c) * inv) - normal_table_cdf(cdf, (lo - c) * inv);
    double scale = 1.0 / norm;
    double previous = normal_table_cdf(cdf, (first - c) * inv);
    for (int i = first; i <= last; i++) {
        double next = normal_table_cdf(cdf, (i + 1 - c) * inv);
        w[i - first] = (float)((next - previous) * scale);
        previous = next;
    }
}

/* Adds q's rows band_first..band_last (already clipped to q's rows) to the image. */
static void splat(mumloc_renderer *r, const prepared *q, int band_first, int band_last,
                  float *col_w, float *row_w) {
    size_t plane = (size_t)r->width * (size_t)r->height;
    float *slice = q->slice >= 0 ? r->stack + (size_t)q->slice * plane : NULL;
    render_pixel colour = {1.0f, q->rgb[0], q->rgb[1], q->rgb[2]};
    if (q->sigma_px == 0.0) {
        size_t at = (size_t)q->row0 * (size_t)r->width + (size_t)q->col0;
        ((render_pixel *)r->image)[at] += colour;
        if (slice) slice[at] += 1.0f;
        return;
    }
    axis_weights(r->cdf, q->x_px, q->sigma_px, q->col0, q->col1, col_w);
    axis_weights(r->cdf, q->y_px, q->sigma_px, band_first, band_last, row_w);
    int cols = q->col1 - q->col0 + 1;
    for (int row = band_first; row <= band_last; row++) {
        float wy = row_w[row - band_first];
        size_t at = (size_t)row * (size_t)r->width + (size_t)q->col0;
        render_pixel *px = (render_pixel *)r->image + at;
        for (int i = 0; i < cols; i++) px[i] += (wy * col_w[i]) * colour;
        if (slice)
            for (int i = 0; i < cols; i++) slice[at + (size_t)i] += wy * col_w[i];
    }
}

/* Row bands: about 8 per thread (dynamic scheduling evens out dense and empty bands). */
static int band_rows_for(const mumloc_renderer *r) {
    int bands = 8 * omp_get_max_threads();
    if (bands > r->height) bands = r->height;
    return (r->height + bands - 1) / bands;
}

/* Adds the prepared localizations (inside[i] != 0) band by band (see the top of this file). Each band
 * gets the list of localizations whose rows meet it, in batch order (a counting sort), so no thread
 * reads the localizations of other bands. */
static mumloc_status accumulate(mumloc_renderer *r, const prepared *q, const unsigned char *inside,
                                int n) {
    int band_rows = band_rows_for(r);
    int bands = (r->height + band_rows - 1) / band_rows;
    size_t entries = 0;
    int64_t *start = calloc((size_t)bands + 1, sizeof *start);
    if (!start) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "render: out of memory");
    for (int i = 0; i < n; i++)
        if (inside[i])
            for (int b = q[i].row0 / band_rows; b <= q[i].row1 / band_rows; b++) start[b + 1]++;
    for (int b = 0; b < bands; b++) start[b + 1] += start[b];
    entries = (size_t)start[bands];
    int *list = malloc(sizeof *list * (entries > 0 ? entries : 1));
    int64_t *fill = malloc(sizeof *fill * (size_t)bands);
    if (!list || !fill) {
        free(start);
        free(list);
        free(fill);
        return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "render: out of memory");
    }
    memcpy(fill, start, sizeof *fill * (size_t)bands);
    for (int i = 0; i < n; i++)
        if (inside[i])
            for (int b = q[i].row0 / band_rows; b <= q[i].row1 / band_rows; b++) list[fill[b]++] = i;
    free(fill);

    int failed = 0;
#pragma omp parallel
    {
        float *col_w = NULL, *row_w = NULL;
        if (r->p.method == MUMLOC_RENDER_GAUSSIAN) {
            col_w = malloc(sizeof *col_w * (size_t)r->width);
            row_w = malloc(sizeof *row_w * (size_t)band_rows);
            if (!col_w || !row_w) {
#pragma omp atomic write
                failed = 1;
            }
        }
#pragma omp for schedule(dynamic, 1)
        for (int b = 0; b < bands; b++) {
            int first = b * band_rows, last = first + band_rows - 1;
            if (last >= r->height) last = r->height - 1;
            int skip;
#pragma omp atomic read
            skip = failed;
            if (skip) continue;
            for (int64_t e = start[b]; e < start[b + 1]; e++) {
                const prepared *p = &q[list[e]];
                int lo = p->row0 > first ? p->row0 : first;
                int hi = p->row1 < last ? p->row1 : last;
                splat(r, p, lo, hi, col_w, row_w);
            }
        }
        free(col_w);
        free(row_w);
    }
    free(start);
    free(list);
    if (failed) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "render: out of memory for kernels");
    return MUMLOC_OK;
}

mumloc_status mumloc_renderer_add(mumloc_renderer *r, int64_t count, const double *x,
                                  const double *y, const double *z, const double *sigma) {
    if (!r) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "render: renderer is NULL");
    if (r->finished)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "render: the image is final once an output was read; create a new "
                           "renderer to add more localizations");
    if (count < 0 || (count > 0 && (!x || !y || !z)))
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "render: add needs count >= 0 and x, y, z arrays (count %lld)",
                           (long long)count);
    int needs_sigma = r->p.method == MUMLOC_RENDER_GAUSSIAN && r->p.sigma_nm == 0.0;
    if (count > 0 && needs_sigma && !sigma)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "render: the Gaussian method needs each localization's sigma (the "
                           "uncertainty_xy column) or a fixed sigma_nm > 0");
    for (int64_t i = 0; i < count; i++) {
        ERROR_TRY(render_check_finite(i, x[i], y[i], z[i]));
        if (needs_sigma && isnan(sigma[i]))
            return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                               "render: localization %lld has no sigma (NaN); give a fixed "
                               "sigma_nm or remove such rows",
                               (long long)i);
    }
    threads_apply();
    int64_t chunk_cap = count < PREP_CHUNK ? count : PREP_CHUNK;
    prepared *q = malloc(sizeof *q * (size_t)(chunk_cap > 0 ? chunk_cap : 1));
    unsigned char *inside = malloc((size_t)(chunk_cap > 0 ? chunk_cap : 1));
    if (!q || !inside) {
        free(q);
        free(inside);
        return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "render: out of memory");
    }
    for (int64_t start = 0; start < count; start += PREP_CHUNK) {
        int n = (int)(count - start < PREP_CHUNK ? count - start : PREP_CHUNK);
        int kept = 0;
#pragma omp parallel for schedule(static) reduction(+ : kept)
        for (int i = 0; i < n; i++) {
            int64_t k = start + i;
            inside[i] = (unsigned char)prepare(r, x[k], y[k], z[k], needs_sigma ? sigma[k] : 0.0,
                                               &q[i]);
            kept += inside[i];
        }
        r->rendered += kept;
        r->outside += n - kept;
        mumloc_status s = accumulate(r, q, inside, n);
        if (s != MUMLOC_OK) {
            free(q);
            free(inside);
            return s;
        }
    }
    free(inside);
    free(q);
    return MUMLOC_OK;
}
