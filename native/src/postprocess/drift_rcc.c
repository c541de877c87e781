/* Redundant cross-correlation (see mumloc.h, "Sample drift correction"). Every segment is binned and
 * transformed once (its spectrum kept); each pair then costs one product and one inverse transform
 * of which only the ±max_drift window is computed. Laterally: x–y histograms of all z. Axially: the
 * z profiles of coarse x–y cells after the lateral correction, whose 1D correlations are summed over
 * the cells in the Fourier domain (one inverse transform per pair). */
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "postprocess/drift_fft.h"
#include "postprocess/drift_internal.h"

/* Localizations per segment the automatic segment size aims at (at least), and the segment count it
 * aims at for large tables. */
#define AUTO_SEGMENT_LOCALIZATIONS 500
#define AUTO_SEGMENTS 20
#define MAX_SEGMENTS 200
/* The lateral grid's side and the stored spectra are bounded; the bin grows for larger fields. */
#define MAX_GRID_SIDE 512
#define MAX_SPECTRA_BYTES ((double)(768u << 20))
/* Axial: x–y cells this many lateral bins wide, at most this many cells; at most this many z bins. */
#define CELL_BINS 16
#define MAX_CELLS 4096
#define MAX_Z_BINS 4096
/* The correlation is smoothed by a Gaussian of this σ (bins) so that its peak is well sampled. */
#define SMOOTH_BINS 1.0
/* Pairs are processed in batches of this many per thread between progress reports. */
#define PAIRS_PER_THREAD 4

typedef struct segments {
    int count;
    int64_t frames;     /* per segment */
    int64_t *offset;    /* count + 1: rows of segment s are order[offset[s] .. offset[s + 1]) */
    int64_t *order;
    double *centre;     /* mean frame */
} segment_set;

static void segments_free(segment_set *s) {
    free(s->offset);
    free(s->order);
    free(s->centre);
}

static mumloc_status make_segments(const drift_points *p, const mumloc_drift_options *o,
                                   segment_set *seg) {
    int64_t span = p->last_frame - p->first_frame + 1;
    int64_t frames = o->segment_frames;
    if (frames == 0) {
        int64_t target = p->n / AUTO_SEGMENTS;
        if (target < AUTO_SEGMENT_LOCALIZATIONS) target = AUTO_SEGMENT_LOCALIZATIONS;
        int64_t wanted = p->n / target;
        if (wanted < 2) wanted = 2;
        frames = (span + wanted - 1) / wanted;
    }
    if (span < 2)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "drift correction: the table holds one frame (%lld) only; drift needs "
                           "localizations from several frames",
                           (long long)p->first_frame);
    int64_t count = (span - 1) / frames + 1;
    if (count < 2)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "drift correction: segments of %lld frames make one segment of this "
                           "table's %lld frames; use --segment-frames smaller than %lld",
                           (long long)frames, (long long)span, (long long)(span / 2 + 1));
    if (count > MAX_SEGMENTS)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "drift correction: segments of %lld frames make %lld segments (at most "
                           "%d); use --segment-frames larger than %lld",
                           (long long)frames, (long long)count, MAX_SEGMENTS,
                           (long long)((span - 1) / MAX_SEGMENTS + 1));
    seg->count = (int)count;
    seg->frames = frames;
    seg->offset = calloc((size_t)count + 1, sizeof *seg->offset);
    seg->order = malloc((size_t)p->n * sizeof *seg->order);
    seg->centre = calloc((size_t)count, sizeof *seg->centre);
    if (!seg->offset || !seg->order || !seg->centre)
        return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "drift correction: out of memory");
    for (int64_t r = 0; r < p->n; r++) {
        int s = (int)(((int64_t)p->frame[r] - p->first_frame) / frames);
        seg->offset[s + 1]++;
        seg->centre[s] += p->frame[r];
    }
    for (int s = 0; s < seg->count; s++) {
        int64_t have = seg->offset[s + 1];
        if (have < o->min_segment_localizations) {
            int64_t first = p->first_frame + s * frames;
            int64_t last = first + frames - 1 < p->last_frame ? first + frames - 1 : p->last_frame;
            return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                               "drift correction: segment %d (frames %lld-%lld) has only %lld "
                               "localizations (at least %d needed); use --segment-frames larger "
                               "than %lld",
                               s + 1, (long long)first, (long long)last, (long long)have,
                               o->min_segment_localizations, (long long)frames);
        }
        seg->centre[s] /= (double)have;
    }
    for (int s = 0; s < seg->count; s++) seg->offset[s + 1] += seg->offset[s];
    int64_t *fill = malloc((size_t)count * sizeof *fill);
    if (!fill) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "drift correction: out of memory");
    memcpy(fill, seg->offset, (size_t)count * sizeof *fill);
    for (int64_t r = 0; r < p->n; r++) {
        int s = (int)(((int64_t)p->frame[r] - p->first_frame) / frames);
        seg->order[fill[s]++] = r;
    }
    free(fill);
    return MUMLOC_OK;
}

/* exp(−2π² σ² (k/n)²) for k < n (k past n/2 wrapped to negative frequencies). */
static float *smoothing(int n) {
    float *g = malloc((size_t)n * sizeof *g);
    if (!g) return NULL;
    for (int k = 0; k < n; k++) {
        double f = (double)(k <= n / 2 ? k : k - n) / n;
        g[k] = (float)exp(-19.739208802178716 /* 2π² */ * SMOOTH_BINS * SMOOTH_BINS * f * f);
    }
    return g;
}

/* Sub-bin offset of a peak from its two neighbours: a Gaussian through the three samples, or a
 * parabola where a sample is not positive. */
static double peak_offset(double minus, double centre, double plus) {
    if (minus > 0 && centre > 0 && plus > 0) {
        double lm = log(minus), lc = log(centre), lp = log(plus);
        double den = lm - 2.0 * lc + lp;
        if (den < 0) return fmax(-0.5, fmin(0.5, 0.5 * (lm - lp) / den));
    }
    double den = minus - 2.0 * centre + plus;
    return den < 0 ? fmax(-0.5, fmin(0.5, 0.5 * (minus - plus) / den)) : 0.0;
}

/* ---- lateral ---------------------------------------------------------------------------------- */

typedef struct lateral {
    double x0, y0, bin;
    int nx, ny, w;
    drift_fft fx, fy;
    float *gx, *gy;
    drift_cpx *spectra; /* segments × ny × nx */
} lateral;

static void lateral_free(lateral *g) {
    drift_fft_free(&g->fx);
    drift_fft_free(&g->fy);
    free(g->gx);
    free(g->gy);
    free(g->spectra);
}

static void extent(const double *v, int64_t n, double *lo, double *hi) {
    *lo = INFINITY;
    *hi = -INFINITY;
    for (int64_t r = 0; r < n; r++) {
        if (v[r] < *lo) *lo = v[r];
        if (v[r] > *hi) *hi = v[r];
    }
}

static mumloc_status lateral_plan(const drift_points *p, const mumloc_drift_options *o, int segments,
                                  lateral *g) {
    double x1, y1;
    extent(p->x, p->n, &g->x0, &x1);
    extent(p->y, p->n, &g->y0, &y1);
    g->bin = o->pixel_nm;
    for (;;) {
        g->w = (int)ceil(o->max_drift_nm / g->bin);
        g->nx = drift_fft_good_size((int)ceil((x1 - g->x0) / g->bin) + 2 + g->w);
        g->ny = drift_fft_good_size((int)ceil((y1 - g->y0) / g->bin) + 2 + g->w);
        double bytes = (double)segments * g->nx * g->ny * sizeof(drift_cpx);
        if (g->nx <= MAX_GRID_SIDE && g->ny <= MAX_GRID_SIDE && bytes <= MAX_SPECTRA_BYTES) break;
        g->bin *= 1.25;
    }
    if (!drift_fft_init(&g->fx, g->nx) || !drift_fft_init(&g->fy, g->ny) ||
        !(g->gx = smoothing(g->nx)) || !(g->gy = smoothing(g->ny)) ||
        !(g->spectra = calloc((size_t)segments * g->nx * g->ny, sizeof *g->spectra)))
        return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "drift correction: out of memory for %d "
                           "segments of %dx%d bins; use larger --segment-frames or --pixel",
                           segments, g->nx, g->ny);
    return MUMLOC_OK;
}

/* 2D forward transform in place: rows, then columns (through tmp, max(nx, ny) values). */
static void transform_2d(const lateral *g, drift_cpx *a, drift_cpx *tmp) {
    for (int iy = 0; iy < g->ny; iy++) {
        drift_fft_run(&g->fx, a + (size_t)iy * g->nx, 1, tmp, 0);
        memcpy(a + (size_t)iy * g->nx, tmp, (size_t)g->nx * sizeof *tmp);
    }
    for (int ix = 0; ix < g->nx; ix++) {
        drift_fft_run(&g->fy, a + ix, g->nx, tmp, 0);
        for (int iy = 0; iy < g->ny; iy++) a[(size_t)iy * g->nx + ix] = tmp[iy];
    }
}

static void lateral_segment(const drift_points *p, const segment_set *seg, const lateral *g, int s,
                            drift_cpx *tmp) {
    drift_cpx *a = g->spectra + (size_t)s * g->nx * g->ny;
    for (int64_t k = seg->offset[s]; k < seg->offset[s + 1]; k++) {
        int64_t r = seg->order[k];
        int ix = (int)((p->x[r] - g->x0) / g->bin), iy = (int)((p->y[r] - g->y0) / g->bin);
        a[(size_t)iy * g->nx + ix] += 1.0f;
    }
    transform_2d(g, a, tmp);
}

/* The pair's correlation in the ±w window and its peak; buf holds nx·ny values, tmp max(nx, ny),
 * win (2w + 1)². */
static void lateral_pair(const lateral *g, drift_pair *pair, drift_cpx *buf, drift_cpx *tmp,
                         float *win) {
    size_t plane = (size_t)g->nx * g->ny;
    const drift_cpx *a = g->spectra + pair->i * plane, *b = g->spectra + pair->j * plane;
    for (int iy = 0; iy < g->ny; iy++)
        for (int ix = 0; ix < g->nx; ix++) {
            size_t k = (size_t)iy * g->nx + ix;
            buf[k] = conjf(a[k]) * b[k] * (g->gy[iy] * g->gx[ix]);
        }
    for (int iy = 0; iy < g->ny; iy++) {
        drift_fft_run(&g->fx, buf + (size_t)iy * g->nx, 1, tmp, 1);
        memcpy(buf + (size_t)iy * g->nx, tmp, (size_t)g->nx * sizeof *tmp);
    }
    int w = g->w, side = 2 * w + 1;
    for (int sx = -w; sx <= w; sx++) {
        drift_fft_run(&g->fy, buf + (sx + g->nx) % g->nx, g->nx, tmp, 1);
        for (int sy = -w; sy <= w; sy++) win[(sy + w) * side + sx + w] = crealf(tmp[(sy + g->ny) % g->ny]);
    }
    int best = 0;
    for (int k = 1; k < side * side; k++)
        if (win[k] > win[best]) best = k;
    int bx = best % side, by = best / side;
    pair->active = bx > 0 && by > 0 && bx < side - 1 && by < side - 1;
    if (!pair->active) return;
    double ox = peak_offset(win[best - 1], win[best], win[best + 1]);
    double oy = peak_offset(win[best - side], win[best], win[best + side]);
    pair->r[0] = (bx - w + ox) * g->bin;
    pair->r[1] = (by - w + oy) * g->bin;
}

/* ---- axial ------------------------------------------------------------------------------------ */

typedef struct axial {
    double x0, y0, cell, z0, bin;
    int cx, cy, cells, nz, w;
    drift_fft fz;
    float *gz;
    drift_cpx *spectra;   /* segments × cells × nz */
    unsigned char *used;  /* segments × cells: the cell holds localizations */
} axial;

static void axial_free(axial *g) {
    drift_fft_free(&g->fz);
    free(g->gz);
    free(g->spectra);
    free(g->used);
}

static mumloc_status axial_plan(const drift_points *p, const mumloc_drift_options *o, int segments,
                                axial *g) {
    double x1, y1, z1;
    extent(p->x, p->n, &g->x0, &x1);
    extent(p->y, p->n, &g->y0, &y1);
    extent(p->z, p->n, &g->z0, &z1);
    g->bin = o->pixel_nm;
    if ((z1 - g->z0) / g->bin > MAX_Z_BINS) g->bin = (z1 - g->z0) / MAX_Z_BINS;
    g->w = (int)ceil(o->max_drift_nm / g->bin);
    g->nz = drift_fft_good_size((int)ceil((z1 - g->z0) / g->bin) + 2 + g->w);
    g->cell = CELL_BINS * o->pixel_nm;
    for (;;) {
        g->cx = (int)ceil((x1 - g->x0) / g->cell) + 1;
        g->cy = (int)ceil((y1 - g->y0) / g->cell) + 1;
        double bytes = (double)segments * g->cx * g->cy * g->nz * sizeof(drift_cpx);
        if ((double)g->cx * g->cy <= MAX_CELLS && bytes <= MAX_SPECTRA_BYTES) break;
        g->cell *= 1.25;
    }
    g->cells = g->cx * g->cy;
    if (!drift_fft_init(&g->fz, g->nz) || !(g->gz = smoothing(g->nz)) ||
        !(g->spectra = calloc((size_t)segments * g->cells * g->nz, sizeof *g->spectra)) ||
        !(g->used = calloc((size_t)segments * g->cells, 1)))
        return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "drift correction: out of memory for the z "
                           "profiles; use larger --segment-frames or --pixel");
    return MUMLOC_OK;
}

static int clamp_index(double v, int n) {
    int i = (int)floor(v);
    return i < 0 ? 0 : i >= n ? n - 1 : i;
}

/* Profiles of segment s after removing its lateral drift (dx, dy). */
static void axial_segment(const drift_points *p, const segment_set *seg, const axial *g, int s,
                          double dx, double dy, drift_cpx *tmp) {
    drift_cpx *a = g->spectra + (size_t)s * g->cells * g->nz;
    unsigned char *used = g->used + (size_t)s * g->cells;
    for (int64_t k = seg->offset[s]; k < seg->offset[s + 1]; k++) {
        int64_t r = seg->order[k];
        int cx = clamp_index((p->x[r] - dx - g->x0) / g->cell, g->cx);
        int cy = clamp_index((p->y[r] - dy - g->y0) / g->cell, g->cy);
        int c = cy * g->cx + cx;
        a[(size_t)c * g->nz + (int)((p->z[r] - g->z0) / g->bin)] += 1.0f;
        used[c] = 1;
    }
    for (int c = 0; c < g->cells; c++) {
        if (!used[c]) continue;
        drift_fft_run(&g->fz, a + (size_t)c * g->nz, 1, tmp, 0);
        memcpy(a + (size_t)c * g->nz, tmp, (size_t)g->nz * sizeof *tmp);
    }
}

static void axial_pair(const axial *g, drift_pair *pair, drift_cpx *acc, drift_cpx *tmp) {
    size_t block = (size_t)g->cells * g->nz;
    const drift_cpx *a = g->spectra + pair->i * block, *b = g->spectra + pair->j * block;
    const unsigned char *ua = g->used + (size_t)pair->i * g->cells;
    const unsigned char *ub = g->used + (size_t)pair->j * g->cells;
    memset(acc, 0, (size_t)g->nz * sizeof *acc);
    for (int c = 0; c < g->cells; c++) {
        if (!ua[c] || !ub[c]) continue;
        const drift_cpx *pa = a + (size_t)c * g->nz, *pb = b + (size_t)c * g->nz;
        for (int k = 0; k < g->nz; k++) acc[k] += conjf(pa[k]) * pb[k];
    }
    for (int k = 0; k < g->nz; k++) acc[k] *= g->gz[k];
    drift_fft_run(&g->fz, acc, 1, tmp, 1);
    int w = g->w, best = -w;
    for (int s = -w; s <= w; s++)
        if (crealf(tmp[(s + g->nz) % g->nz]) > crealf(tmp[(best + g->nz) % g->nz])) best = s;
    pair->active = best > -w && best < w;
    if (!pair->active) return;
    double o = peak_offset(crealf(tmp[(best - 1 + g->nz) % g->nz]), crealf(tmp[(best + g->nz) % g->nz]),
                           crealf(tmp[(best + 1 + g->nz) % g->nz]));
    pair->r[0] = (best + o) * g->bin;
}

/* ---- driver ----------------------------------------------------------------------------------- */

typedef struct scratch {
    int threads;
    drift_cpx **buf, **tmp;
    float **win;
} scratch;

static void scratch_free(scratch *sc) {
    for (int t = 0; t < sc->threads; t++) {
        if (sc->buf) free(sc->buf[t]);
        if (sc->tmp) free(sc->tmp[t]);
        if (sc->win) free(sc->win[t]);
    }
    free(sc->buf);
    free(sc->tmp);
    free(sc->win);
}

static mumloc_status scratch_make(scratch *sc, size_t buf, size_t tmp, size_t win) {
    sc->threads = omp_get_max_threads();
    sc->buf = calloc((size_t)sc->threads, sizeof *sc->buf);
    sc->tmp = calloc((size_t)sc->threads, sizeof *sc->tmp);
    sc->win = calloc((size_t)sc->threads, sizeof *sc->win);
    if (!sc->buf || !sc->tmp || !sc->win)
        return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "drift correction: out of memory");
    for (int t = 0; t < sc->threads; t++) {
        sc->buf[t] = malloc(buf * sizeof(drift_cpx));
        sc->tmp[t] = malloc(tmp * sizeof(drift_cpx));
        sc->win[t] = malloc(win * sizeof(float));
        if (!sc->buf[t] || !sc->tmp[t] || !sc->win[t])
            return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "drift correction: out of memory");
    }
    return MUMLOC_OK;
}

static mumloc_status unlinked_error(const segment_set *seg, const drift_points *p, int s, double range,
                                    const char *axis) {
    int64_t first = p->first_frame + s * seg->frames;
    return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                       "drift correction: the %s shift of segment %d (frames %lld-%lld) against "
                       "the others is beyond the search range of +-%g nm (or the segments share "
                       "too little structure); raise --max-drift, or use larger --segment-frames",
                       axis, s + 1, (long long)first, (long long)(first + seg->frames - 1), range);
}

mumloc_status drift_rcc(const drift_points *p, const mumloc_drift_options *o, drift_progress *progress,
                        mumloc_drift_info *info, drift_curve *out) {
    segment_set seg = {0};
    lateral lat = {0};
    axial ax = {0};
    scratch sc = {0};
    drift_pair *pairs = NULL;
    double *d = NULL, *values = NULL;
    mumloc_status s = make_segments(p, o, &seg);
    if (s != MUMLOC_OK) goto done;
    int S = seg.count, P = S * (S - 1) / 2;
    progress->total = S + P + (p->z ? S + P : 0);
    pairs = malloc((size_t)P * sizeof *pairs);
    d = calloc((size_t)S * 2, sizeof *d);
    values = malloc((size_t)S * sizeof *values);
    if (!pairs || !d || !values) {
        s = error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "drift correction: out of memory");
        goto done;
    }
    for (int i = 0, k = 0; i < S; i++)
        for (int j = i + 1; j < S; j++, k++) pairs[k] = (drift_pair){i, j, {0, 0}, 1};

    if ((s = lateral_plan(p, o, S, &lat)) != MUMLOC_OK) goto done;
    int side = 2 * lat.w + 1, longest = lat.nx > lat.ny ? lat.nx : lat.ny;
    if ((s = scratch_make(&sc, (size_t)lat.nx * lat.ny, (size_t)longest,
                          (size_t)side * side)) != MUMLOC_OK)
        goto done;
#pragma omp parallel for schedule(dynamic, 1)
    for (int k = 0; k < S; k++) lateral_segment(p, &seg, &lat, k, sc.tmp[omp_get_thread_num()]);
    if ((s = drift_progress_step(progress, S)) != MUMLOC_OK) goto done;
    int batch = PAIRS_PER_THREAD * sc.threads;
    for (int b0 = 0; b0 < P; b0 += batch) {
        int b1 = b0 + batch < P ? b0 + batch : P;
#pragma omp parallel for schedule(dynamic, 1)
        for (int k = b0; k < b1; k++) {
            int t = omp_get_thread_num();
            lateral_pair(&lat, &pairs[k], sc.buf[t], sc.tmp[t], sc.win[t]);
        }
        if ((s = drift_progress_step(progress, b1 - b0)) != MUMLOC_OK) goto done;
    }
    int unlinked;
    if ((s = drift_solve_pairs(pairs, P, S, 2, 0.5 * lat.bin, d, &unlinked)) != MUMLOC_OK) {
        if (unlinked >= 0) s = unlinked_error(&seg, p, unlinked, lat.w * lat.bin, "x-y");
        goto done;
    }
    info->pairs = P;
    info->pairs_used = 0;
    for (int k = 0; k < P; k++) info->pairs_used += pairs[k].active;
    for (int a = 0; a < 2 && s == MUMLOC_OK; a++) {
        for (int k = 0; k < S; k++) values[k] = d[2 * k + a];
        s = drift_spline_eval(seg.centre, values, S, p->first_frame, out->frames,
                              a == 0 ? out->dx : out->dy);
    }
    free(lat.spectra); /* the axial spectra need the room */
    lat.spectra = NULL;
    if (s != MUMLOC_OK || !p->z) goto done;

    if ((s = axial_plan(p, o, S, &ax)) != MUMLOC_OK) goto done;
    scratch_free(&sc);
    sc = (scratch){0};
    if ((s = scratch_make(&sc, (size_t)ax.nz, (size_t)ax.nz, 1)) != MUMLOC_OK) goto done;
#pragma omp parallel for schedule(dynamic, 1)
    for (int k = 0; k < S; k++)
        axial_segment(p, &seg, &ax, k, d[2 * k], d[2 * k + 1], sc.tmp[omp_get_thread_num()]);
    if ((s = drift_progress_step(progress, S)) != MUMLOC_OK) goto done;
    for (int k = 0; k < P; k++) pairs[k].active = 1;
    for (int b0 = 0; b0 < P; b0 += batch) {
        int b1 = b0 + batch < P ? b0 + batch : P;
#pragma omp parallel for schedule(dynamic, 1)
        for (int k = b0; k < b1; k++) {
            int t = omp_get_thread_num();
            axial_pair(&ax, &pairs[k], sc.buf[t], sc.tmp[t]);
        }
        if ((s = drift_progress_step(progress, b1 - b0)) != MUMLOC_OK) goto done;
    }
    if ((s = drift_solve_pairs(pairs, P, S, 1, 0.5 * ax.bin, values, &unlinked)) != MUMLOC_OK) {
        if (unlinked >= 0) s = unlinked_error(&seg, p, unlinked, ax.w * ax.bin, "z");
        goto done;
    }
    s = drift_spline_eval(seg.centre, values, S, p->first_frame, out->frames, out->dz);
done:
    if (s == MUMLOC_OK) {
        info->segments = seg.count;
        info->segment_frames = seg.frames;
        info->pixel_nm = lat.bin;
    }
    scratch_free(&sc);
    lateral_free(&lat);
    axial_free(&ax);
    segments_free(&seg);
    free(pairs);
    free(d);
    free(values);
    return s;
}
