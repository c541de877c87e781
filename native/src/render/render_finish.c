/* Finishing the image (ASH smoothing, saturation) and reading it out: density, z-stack, RGB. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/runtime.h"
#include "render/colorbar.h"
#include "render/render_internal.h"

/* Triangle weights (n − |k|)/n² for k = −(n−1)..n−1, at w[k + n − 1]; they sum to 1. */
static int triangle(int n, float *w) {
    for (int k = -(n - 1); k <= n - 1; k++) w[k + n - 1] = (float)(n - abs(k)) / (float)(n * n);
    return 2 * n - 1;
}

/* Convolves each row (channels interleaved floats per pixel) with the kernel, dropping what falls
 * past the field's edges. */
static mumloc_status smooth_rows(float *data, int width, int height, int channels, const float *w,
                                 int taps) {
    int half = taps / 2, failed = 0;
#pragma omp parallel
    {
        float *copy = malloc(sizeof *copy * (size_t)width * (size_t)channels);
        if (!copy) {
#pragma omp atomic write
            failed = 1;
        }
#pragma omp for schedule(static)
        for (int row = 0; row < height; row++) {
            if (!copy) continue;
            float *line = data + (size_t)row * (size_t)width * (size_t)channels;
            memcpy(copy, line, sizeof *copy * (size_t)width * (size_t)channels);
            for (int col = 0; col < width; col++)
                for (int c = 0; c < channels; c++) {
                    float sum = 0.0f;
                    for (int k = -half; k <= half; k++) {
                        int from = col + k;
                        if (from >= 0 && from < width) sum += w[k + half] * copy[from * channels + c];
                    }
                    line[col * channels + c] = sum;
                }
        }
        free(copy);
    }
    return failed ? error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "render: out of memory smoothing") : MUMLOC_OK;
}

/* Convolves along columns in place. Each thread takes vertical strips of the image and walks down
 * them keeping the original rows it still needs in a ring of `taps` strip rows (so no second image is
 * allocated, and there is one parallel region for the whole pass). */
enum { STRIP_FLOATS = 2048 };

static mumloc_status smooth_columns(float *data, int width, int height, int channels,
                                    const float *w, int taps) {
    int half = taps / 2, failed = 0;
    size_t row_len = (size_t)width * (size_t)channels;
    int strips = (int)((row_len + STRIP_FLOATS - 1) / STRIP_FLOATS);
#pragma omp parallel
    {
        float *ring = malloc(sizeof *ring * STRIP_FLOATS * (size_t)taps);
        if (!ring) {
#pragma omp atomic write
            failed = 1;
        }
#pragma omp for schedule(dynamic, 1)
        for (int strip = 0; strip < strips; strip++) {
            if (!ring) continue;
            size_t first = (size_t)strip * STRIP_FLOATS;
            size_t len = row_len - first < STRIP_FLOATS ? row_len - first : STRIP_FLOATS;
            /* ring slot of original row j: j mod taps */
            for (int j = 0; j < half && j < height; j++)
                memcpy(ring + (size_t)(j % taps) * STRIP_FLOATS, data + (size_t)j * row_len + first,
                       sizeof *ring * len);
            for (int row = 0; row < height; row++) {
                int incoming = row + half;
                if (incoming < height)
                    memcpy(ring + (size_t)(incoming % taps) * STRIP_FLOATS,
                           data + (size_t)incoming * row_len + first, sizeof *ring * len);
                float *out = data + (size_t)row * row_len + first;
                for (size_t i = 0; i < len; i++) out[i] = 0.0f;
                for (int k = -half; k <= half; k++) {
                    int from = row + k;
                    if (from < 0 || from >= height) continue;
                    const float *src = ring + (size_t)(from % taps) * STRIP_FLOATS;
                    float wk = w[k + half];
                    for (size_t i = 0; i < len; i++) out[i] += wk * src[i];
                }
            }
        }
        free(ring);
    }
    return failed ? error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "render: out of memory smoothing") : MUMLOC_OK;
}

static mumloc_status smooth(float *data, int width, int height, int channels, int shifts) {
    float w[2 * RENDER_MAX_ASH_SHIFTS - 1];
    int taps = triangle(shifts, w);
    ERROR_TRY(smooth_rows(data, width, height, channels, w, taps));
    return smooth_columns(data, width, height, channels, w, taps);
}

/* Rearranges v[0..n) so that v[k] is the value a sort would put there (Hoare's selection with a
 * median-of-three pivot): linear time on average, where sorting a large image took seconds. */
static float select_kth(float *v, size_t n, size_t k) {
    size_t lo = 0, hi = n - 1;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        float a = v[lo], b = v[mid], c = v[hi];
        float pivot = a < b ? (b < c ? b : (a < c ? c : a)) : (a < c ? a : (b < c ? c : b));
        size_t i = lo, j = hi;
        while (i <= j) {
            while (v[i] < pivot) i++;
            while (v[j] > pivot) j--;
            if (i <= j) {
                float t = v[i];
                v[i] = v[j];
                v[j] = t;
                i++;
                if (j == 0) break;
                j--;
            }
        }
        if (k <= j) hi = j;
        else if (k >= i) lo = i;
        else return v[k];
    }
    return v[k];
}

/* The percentile of the non-empty pixels' densities (nearest rank); 1 for an empty image. */
static mumloc_status saturation_from_percentile(const mumloc_renderer *r, double percentile,
                                                double *out) {
    size_t pixels = (size_t)r->width * (size_t)r->height, n = 0;
    for (size_t i = 0; i < pixels; i++) n += r->image[i * RENDER_CHANNELS] > 0.0f;
    if (n == 0) {
        *out = 1.0;
        return MUMLOC_OK;
    }
    float *values = malloc(sizeof *values * n);
    if (!values) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "render: out of memory for the contrast");
    size_t k = 0;
    for (size_t i = 0; i < pixels; i++)
        if (r->image[i * RENDER_CHANNELS] > 0.0f) values[k++] = r->image[i * RENDER_CHANNELS];
    size_t rank = (size_t)ceil(percentile / 100.0 * (double)n); /* nearest rank, 1-based */
    if (rank < 1) rank = 1;
    if (rank > n) rank = n;
    *out = select_kth(values, n, rank - 1);
    free(values);
    return MUMLOC_OK;
}

mumloc_status render_finish(mumloc_renderer *r) {
    if (r->finished) return MUMLOC_OK;
    threads_apply();
    if (r->p.method == MUMLOC_RENDER_ASH && r->p.ash_shifts > 1) {
        ERROR_TRY(smooth(r->image, r->width, r->height, RENDER_CHANNELS, r->p.ash_shifts));
        for (int s = 0; s < r->slices; s++)
            ERROR_TRY(smooth(r->stack + (size_t)s * (size_t)r->width * (size_t)r->height,
                              r->width, r->height, 1, r->p.ash_shifts));
    }
    if (r->p.saturation_density > 0.0)
        r->saturation = r->p.saturation_density;
    else
        ERROR_TRY(saturation_from_percentile(r, r->p.saturation_percentile, &r->saturation));
    r->finished = 1;
    return MUMLOC_OK;
}

void render_canvas_size(const mumloc_renderer *r, int *width, int *height) {
    *width = r->width;
    *height = r->height;
    if (r->p.colorbar) {
        *width = r->bar.canvas_width;
        *height = r->bar.canvas_height;
    }
}

static unsigned char to_byte(float v) {
    if (!(v > 0.0f)) return 0;
    if (v >= 255.0f) return 255;
    return (unsigned char)lrintf(v);
}

void render_image_row(const mumloc_renderer *r, int row, unsigned char *rgb) {
    const float *px = r->image + (size_t)row * (size_t)r->width * RENDER_CHANNELS;
    float s = (float)r->saturation;
    for (int col = 0; col < r->width; col++, px += RENDER_CHANNELS) {
        if (!(px[0] > 0.0f)) {
            rgb[3 * col] = rgb[3 * col + 1] = rgb[3 * col + 2] = 0;
            continue;
        }
        /* mean colour × min(1, w / S) = weighted colour sum / max(w, S) */
        float scale = 1.0f / (px[0] > s ? px[0] : s);
        for (int c = 0; c < 3; c++) rgb[3 * col + c] = to_byte(px[1 + c] * scale);
    }
}

void render_canvas_row(const mumloc_renderer *r, int row, unsigned char *rgb) {
    int canvas_w, canvas_h;
    render_canvas_size(r, &canvas_w, &canvas_h);
    memset(rgb, 0, (size_t)canvas_w * 3);
    if (row < r->height) render_image_row(r, row, rgb);
    if (r->p.colorbar)
        colorbar_draw_row(&r->bar, r->p.colormap, r->p.z_min_nm, r->p.z_max_nm, row, rgb);
}

static mumloc_status begin_output(mumloc_renderer *r, const void *out) {
    if (!r) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "render: renderer is NULL");
    if (!out) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "render: output buffer is NULL");
    return render_finish(r);
}

mumloc_status mumloc_renderer_info(mumloc_renderer *r, mumloc_render_info *info) {
    ERROR_TRY(begin_output(r, info));
    *info = (mumloc_render_info){0};
    info->width = r->width;
    info->height = r->height;
    info->slices = r->slices;
    render_canvas_size(r, &info->canvas_width, &info->canvas_height);
    info->pixel_nm = r->p.pixel_nm;
    info->z_min_nm = r->p.z_min_nm;
    info->z_max_nm = r->p.z_max_nm;
    info->saturation_density = r->saturation;
    info->rendered = r->rendered;
    info->outside = r->outside;
    return MUMLOC_OK;
}

mumloc_status mumloc_renderer_density(mumloc_renderer *r, float *out) {
    ERROR_TRY(begin_output(r, out));
    size_t pixels = (size_t)r->width * (size_t)r->height;
    for (size_t i = 0; i < pixels; i++) out[i] = r->image[i * RENDER_CHANNELS];
    return MUMLOC_OK;
}

mumloc_status mumloc_renderer_rgb(mumloc_renderer *r, unsigned char *out) {
    ERROR_TRY(begin_output(r, out));
    int canvas_w, canvas_h;
    render_canvas_size(r, &canvas_w, &canvas_h);
    for (int row = 0; row < canvas_h; row++)
        render_canvas_row(r, row, out + (size_t)row * (size_t)canvas_w * 3);
    return MUMLOC_OK;
}

mumloc_status mumloc_renderer_zstack(mumloc_renderer *r, float *out) {
    ERROR_TRY(begin_output(r, out));
    if (!r->stack)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "render: no z-stack was accumulated; set params.zstack = 1");
    memcpy(out, r->stack, sizeof *out * (size_t)r->slices * (size_t)r->width * (size_t)r->height);
    return MUMLOC_OK;
}
