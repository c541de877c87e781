/* mumloc_frc_compute: split, bin both halves into one complex image (half 1 real, half 2 imaginary:
 * one FFT gives both transforms), ring sums, smoothing, threshold crossing. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "postprocess/frc_fft.h"
#include "postprocess/frc_internal.h"
#include "postprocess/post_common.h"

#define AUTO_PIXEL_NM 5.0
#define AUTO_MAX_SIZE 4096

void mumloc_frc_options_default(mumloc_frc_options *o) {
    if (!o) return;
    o->pixel_nm = 0;
    o->split = MUMLOC_FRC_SPLIT_FRAME_BLOCKS;
    o->block_frames = 50;
    o->seed = 1;
    o->threshold = 1.0 / 7.0;
    o->smooth_rings = -1;
}

mumloc_status mumloc_frc_options_validate(const mumloc_frc_options *o) {
    if (!o) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "frc: options are NULL");
    if (!(o->pixel_nm >= 0 && isfinite(o->pixel_nm)))
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "frc: the pixel must be a finite number > 0 nm, or 0 for automatic");
    if (o->split != MUMLOC_FRC_SPLIT_FRAME_BLOCKS && o->split != MUMLOC_FRC_SPLIT_RANDOM)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "frc: split must be frame blocks (0) or random (1)");
    if (o->block_frames < 1)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "frc: blocks must hold >= 1 frame, got %d",
                           o->block_frames);
    if (!(o->threshold > 0 && o->threshold < 1))
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "frc: the threshold must be in (0, 1), e.g. 1/7 = 0.142857");
    if (o->smooth_rings < -1)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "frc: smoothing must be >= 0 rings, or -1 for automatic");
    return MUMLOC_OK;
}

static uint64_t mix64(uint64_t z) {
    z += 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

typedef struct frc_input {
    int64_t rows;
    const double *frame, *x, *y;
    double x0, y0, pixel;
    int n;
} frc_input;

static int half_of(const frc_input *in, const mumloc_frc_options *o, int64_t r) {
    if (o->split == MUMLOC_FRC_SPLIT_RANDOM) return (int)(mix64(o->seed ^ mix64((uint64_t)r)) & 1);
    return (int)((int64_t)floor((in->frame[r] - 1) / o->block_frames) & 1);
}

/* The pixel and image size from the data's lateral extent. */
static mumloc_status frame_image(frc_input *in, const mumloc_frc_options *o) {
    double x1 = -INFINITY, y1 = -INFINITY;
    in->x0 = in->y0 = INFINITY;
    for (int64_t r = 0; r < in->rows; r++) {
        in->x0 = fmin(in->x0, in->x[r]);
        in->y0 = fmin(in->y0, in->y[r]);
        x1 = fmax(x1, in->x[r]);
        y1 = fmax(y1, in->y[r]);
    }
    double extent = fmax(x1 - in->x0, y1 - in->y0);
    in->pixel = o->pixel_nm > 0 ? o->pixel_nm : fmax(AUTO_PIXEL_NM, extent / (AUTO_MAX_SIZE - 1));
    double pixels = floor(extent / in->pixel) + 1;
    if (pixels > MUMLOC_FRC_MAX_SIZE)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "frc: the data span %.0f nm: pixels of %g nm would need an image of %.0f "
                           "pixels a side, more than %d; use a pixel of at least %.1f nm",
                           extent, in->pixel, pixels, MUMLOC_FRC_MAX_SIZE,
                           ceil(10 * extent / (MUMLOC_FRC_MAX_SIZE - 1)) / 10);
    in->n = 16;
    while (in->n < pixels) in->n *= 2;
    return MUMLOC_OK;
}

/* Ring sums of Re F1·conj F2, |F1|², |F2|² from Z = F1 + i F2 (Z's transform of real A + i B). */
static void ring_sums(const float *z, int n, double *cross, double *power1, double *power2, int rings) {
#pragma omp parallel
    {
        double *c = calloc(3 * (size_t)rings, sizeof *c);
        if (c) {
#pragma omp for schedule(static)
            for (int u = 0; u < n; u++) {
                int ku = u < n / 2 ? u : u - n, um = (n - u) % n;
                for (int v = 0; v < n; v++) {
                    int kv = v < n / 2 ? v : v - n, vm = (n - v) % n;
                    int ring = (int)floor(sqrt((double)ku * ku + (double)kv * kv) + 0.5);
                    if (ring >= rings) continue;
                    const float *p = z + 2 * ((size_t)u * n + v), *m = z + 2 * ((size_t)um * n + vm);
                    /* F1 = (Z(k) + conj Z(-k)) / 2, F2 = (Z(k) - conj Z(-k)) / 2i */
                    double ar = 0.5 * (p[0] + m[0]), ai = 0.5 * (p[1] - m[1]);
                    double br = 0.5 * (p[1] + m[1]), bi = -0.5 * (p[0] - m[0]);
                    c[ring] += ar * br + ai * bi;
                    c[rings + ring] += ar * ar + ai * ai;
                    c[2 * rings + ring] += br * br + bi * bi;
                }
            }
#pragma omp critical
            for (int k = 0; k < rings; k++) {
                cross[k] += c[k];
                power1[k] += c[rings + k];
                power2[k] += c[2 * rings + k];
            }
        }
        free(c);
    }
}

static void smooth(const double *curve, int rings, int half_width, double *out) {
    for (int k = 0; k < rings; k++) {
        double sum = 0;
        int count = 0;
        for (int j = k - half_width; j <= k + half_width; j++)
            if (j >= 0 && j < rings && isfinite(curve[j])) sum += curve[j], count++;
        out[k] = count ? sum / count : NAN;
    }
}

static double crossing(const mumloc_frc *f) {
    const double *s = f->smoothed, thr = f->summary.threshold;
    for (int k = 1; k < f->summary.rings; k++)
        if (s[k] < thr && isfinite(s[k - 1]) && s[k - 1] >= thr) {
            double t = (s[k - 1] - thr) / (s[k - 1] - s[k]);
            double q = (f->frequency[k - 1] + t * (f->frequency[k] - f->frequency[k - 1]));
            return 1.0 / q;
        }
    return NAN;
}

static mumloc_status compute(mumloc_frc *f, frc_input *in, mumloc_progress_fn progress_fn, void *user) {
    const mumloc_frc_options *o = &f->options;
    ERROR_TRY(frame_image(in, o));
    int n = in->n, rings = n / 2 + 1;
    post_progress progress;
    post_progress_init(&progress, "frc", progress_fn, user, in->rows + 2 * (int64_t)n);
    float *z = calloc(2 * (size_t)n * n, sizeof *z);
    f->frequency = malloc((size_t)rings * sizeof *f->frequency);
    f->curve = malloc((size_t)rings * sizeof *f->curve);
    f->smoothed = malloc((size_t)rings * sizeof *f->smoothed);
    double *sums = calloc(3 * (size_t)rings, sizeof *sums);
    mumloc_status s = MUMLOC_OK;
    if (!z || !f->frequency || !f->curve || !f->smoothed || !sums)
        s = error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "frc: out of memory for a %d x %d image; use a larger pixel", n, n);
    int64_t counts[2] = {0, 0};
    for (int64_t r = 0; s == MUMLOC_OK && r < in->rows; r++) {
        int h = half_of(in, o, r);
        size_t i = (size_t)((in->x[r] - in->x0) / in->pixel), j = (size_t)((in->y[r] - in->y0) / in->pixel);
        z[2 * (j * n + i) + h] += 1.0f;
        counts[h]++;
        if ((r & 0xFFFF) == 0xFFFF) s = post_progress_report(&progress, r + 1, 0);
    }
    if (s == MUMLOC_OK && (counts[0] == 0 || counts[1] == 0))
        s = error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                        "frc: one half of the table is empty (%lld and %lld rows)%s",
                        (long long)counts[0], (long long)counts[1],
                        o->split == MUMLOC_FRC_SPLIT_FRAME_BLOCKS
                            ? ": the frames fit in one block; use smaller blocks or the random split"
                            : "");
    if (s == MUMLOC_OK) s = frc_fft2d(z, n, &progress, in->rows);
    if (s == MUMLOC_OK) {
        ring_sums(z, n, sums, sums + rings, sums + 2 * rings, rings);
        for (int k = 0; k < rings; k++) {
            f->frequency[k] = k / (n * in->pixel);
            double den = sqrt(sums[rings + k] * sums[2 * rings + k]);
            f->curve[k] = den > 0 ? sums[k] / den : NAN;
        }
        int hw = o->smooth_rings >= 0 ? o->smooth_rings : (n / 256 > 1 ? n / 256 : 1);
        smooth(f->curve, rings, hw, f->smoothed);
        f->summary = (mumloc_frc_summary){NAN, o->threshold, in->pixel, n, rings, hw, counts[0], counts[1]};
        f->summary.resolution_nm = crossing(f);
        s = post_progress_report(&progress, progress.total, 1);
    }
    free(z);
    free(sums);
    return s;
}

mumloc_status mumloc_frc_compute(const mumloc_table *table, const mumloc_frc_options *options,
                                 mumloc_frc **out, mumloc_progress_fn progress, void *user) {
    if (!table || !out) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "frc: the table and out are required");
    *out = NULL;
    mumloc_frc_options defaults;
    mumloc_frc_options_default(&defaults);
    if (!options) options = &defaults;
    ERROR_TRY(mumloc_frc_options_validate(options));
    frc_input in = {mumloc_table_rows(table), NULL, NULL, NULL, 0, 0, 0, 0};
    ERROR_TRY(post_length_column(table, "frc", "x", 1, &in.x));
    ERROR_TRY(post_length_column(table, "frc", "y", 1, &in.y));
    ERROR_TRY(post_require_finite("frc", "x", in.x, in.rows));
    ERROR_TRY(post_require_finite("frc", "y", in.y, in.rows));
    if (options->split == MUMLOC_FRC_SPLIT_FRAME_BLOCKS) {
        in.frame = post_column(table, "frame");
        if (!in.frame)
            return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                               "frc: the table has no column \"frame\" to split by blocks of frames; "
                               "use the random split");
        ERROR_TRY(post_require_finite("frc", "frame", in.frame, in.rows));
    }
    if (in.rows < 2)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "frc: the table has %lld rows; two halves need more",
                           (long long)in.rows);
    mumloc_frc *f = calloc(1, sizeof *f);
    if (!f) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "frc: out of memory");
    f->options = *options;
    mumloc_status s = compute(f, &in, progress, user);
    if (s == MUMLOC_OK) s = frc_build_reports(f);
    if (s != MUMLOC_OK) {
        mumloc_frc_destroy(f);
        return s;
    }
    *out = f;
    return MUMLOC_OK;
}

void mumloc_frc_destroy(mumloc_frc *f) {
    if (!f) return;
    free(f->frequency);
    free(f->curve);
    free(f->smoothed);
    free(f->text);
    free(f->json);
    free(f);
}

mumloc_status mumloc_frc_get_summary(const mumloc_frc *f, mumloc_frc_summary *summary) {
    if (!f || !summary) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "frc: result and summary are required");
    *summary = f->summary;
    return MUMLOC_OK;
}

const double *mumloc_frc_frequency(const mumloc_frc *f) { return f ? f->frequency : NULL; }
const double *mumloc_frc_curve(const mumloc_frc *f) { return f ? f->curve : NULL; }
const double *mumloc_frc_smoothed(const mumloc_frc *f) { return f ? f->smoothed : NULL; }
const char *mumloc_frc_text(const mumloc_frc *f) { return f && f->text ? f->text : ""; }
const char *mumloc_frc_json(const mumloc_frc *f) { return f && f->json ? f->json : ""; }
