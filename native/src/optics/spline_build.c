/* The spline PSF from beads (see spline_build.h).
 *
 * Per z step, the lateral B-spline coefficients c (n × n) minimise
 *     Σ_beads Σ_pixels (Σ_kl c_kl B(u/h − k) B(v/h − l) − d)² + λ ‖D₂ c‖²,
 * d the bead's background-subtracted pixel over its in-focus photons, (u, v) the pixel centre's offset
 * from the bead, D₂ second differences along both axes (fills grid cells no bead phase samples;
 * λ is small against the data). Solved by conjugate gradients, warm-started from the previous step. */
#include "optics/spline_build.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

enum { MIN_BEADS = 4, CG_MAX_ITERATIONS = 400, ALIGN_ROUNDS = 6 };
static const double ALIGN_TOLERANCE_NM = 0.2;
static const double SMOOTHING = 1e-3; /* λ relative to the mean data weight per coefficient */
/* While aligning, a smoother spline: it cannot take up the pattern that pixel-locked centres leave
 * in each bead's own sub-pixel cells, so registration removes more of it (pupil beads: 7 → 4 nm). */
static const double ALIGN_SMOOTHING = 0.1;

typedef struct observation {
    int kx, ky;        /* cell of the pixel centre */
    double wx[4], wy[4];
    double value;      /* background-subtracted, normalised */
} observation;

typedef struct lsq_system {
    int n, count;
    observation *obs;  /* count of them (for the current step) */
    double lambda;
} lsq_system;

static int mirror(int k, int n) {
    if (k < 0) return -k;
    if (k > n - 1) return 2 * (n - 1) - k;
    return k;
}

/* The 16 coefficient indices an observation touches (mirrored at the grid's ends). */
static void stencil(const observation *o, int n, int idx[16]) {
    for (int b = 0; b < 4; b++)
        for (int a = 0; a < 4; a++)
            idx[b * 4 + a] = mirror(o->ky - 1 + b, n) * n + mirror(o->kx - 1 + a, n);
}

/* out = (BᵀB + λ D₂ᵀD₂) c */
static void apply(const lsq_system *s, const double *c, double *out) {
    const int n = s->n;
    memset(out, 0, (size_t)n * n * sizeof *out);
    for (int i = 0; i < s->count; i++) {
        const observation *o = &s->obs[i];
        double w[16], model = 0;
        for (int b = 0; b < 4; b++)
            for (int a = 0; a < 4; a++) w[b * 4 + a] = o->wy[b] * o->wx[a];
        if (o->kx >= 1 && o->ky >= 1 && o->kx <= n - 3 && o->ky <= n - 3) {
            /* interior: four rows of four contiguous coefficients */
            const int base = (o->ky - 1) * n + o->kx - 1;
            for (int b = 0; b < 4; b++)
                for (int a = 0; a < 4; a++) model += w[b * 4 + a] * c[base + b * n + a];
            for (int b = 0; b < 4; b++)
                for (int a = 0; a < 4; a++) out[base + b * n + a] += w[b * 4 + a] * model;
        } else {
            int idx[16];
            stencil(o, n, idx);
            for (int q = 0; q < 16; q++) model += w[q] * c[idx[q]];
            for (int q = 0; q < 16; q++) out[idx[q]] += w[q] * model;
        }
    }
    for (int v = 0; v < n; v++)
        for (int u = 1; u + 1 < n; u++) {
            double dx = c[v * n + u - 1] - 2 * c[v * n + u] + c[v * n + u + 1];
            double dy = c[(u - 1) * n + v] - 2 * c[u * n + v] + c[(u + 1) * n + v];
            out[v * n + u - 1] += s->lambda * dx;
            out[v * n + u] -= 2 * s->lambda * dx;
            out[v * n + u + 1] += s->lambda * dx;
            out[(u - 1) * n + v] += s->lambda * dy;
            out[u * n + v] -= 2 * s->lambda * dy;
            out[(u + 1) * n + v] += s->lambda * dy;
        }
}

/* Conjugate gradients on A c = Bᵀd from the c given; work holds 3 n² doubles. */
static void solve(const lsq_system *s, double *c, double *work) {
    const size_t N = (size_t)s->n * s->n;
    double *r = work, *p = r + N, *Ap = p + N;
    memset(r, 0, N * sizeof *r);
    for (int i = 0; i < s->count; i++) {
        const observation *o = &s->obs[i];
        int idx[16];
        stencil(o, s->n, idx);
        for (int q = 0; q < 16; q++) r[idx[q]] += o->wy[q / 4] * o->wx[q % 4] * o->value;
    }
    double rhs = 0;
    for (size_t i = 0; i < N; i++) rhs += r[i] * r[i];
    apply(s, c, Ap);
    double rr = 0;
    for (size_t i = 0; i < N; i++) {
        r[i] -= Ap[i];
        p[i] = r[i];
        rr += r[i] * r[i];
    }
    for (int it = 0; it < CG_MAX_ITERATIONS && rr > 1e-14 * rhs; it++) {
        apply(s, p, Ap);
        double pAp = 0;
        for (size_t i = 0; i < N; i++) pAp += p[i] * Ap[i];
        if (!(pAp > 0)) break;
        double alpha = rr / pAp, next = 0;
        for (size_t i = 0; i < N; i++) {
            c[i] += alpha * p[i];
            r[i] -= alpha * Ap[i];
            next += r[i] * r[i];
        }
        for (size_t i = 0; i < N; i++) p[i] = r[i] + next / rr * p[i];
        rr = next;
    }
}

static int compare_float(const void *a, const void *b) {
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

/* Median of the patch's border pixels over all steps. */
static double border_median(const spline_beads *in, int bead, float *scratch) {
    const int S = in->side;
    size_t k = 0;
    for (int m = 0; m < in->steps; m++) {
        const float *img = in->images + ((size_t)bead * in->steps + m) * S * S;
        for (int j = 0; j < S; j++)
            for (int i = 0; i < S; i++)
                if (i == 0 || j == 0 || i == S - 1 || j == S - 1) scratch[k++] = img[j * S + i];
    }
    qsort(scratch, k, sizeof *scratch, compare_float);
    return k % 2 ? scratch[k / 2] : 0.5 * (scratch[k / 2 - 1] + scratch[k / 2]);
}

/* The bead's in-focus photons: the largest 3-step running mean of its background-subtracted patch
 * sums (near focus nearly all its light is inside the patch). */
static double focus_photons(const spline_beads *in, int bead, double bg) {
    const int S = in->side;
    double best = 0, sums[3] = {0};
    for (int m = 0; m < in->steps; m++) {
        const float *img = in->images + ((size_t)bead * in->steps + m) * S * S;
        double sum = 0;
        for (int i = 0; i < S * S; i++) sum += img[i] - bg;
        sums[m % 3] = sum;
        int have = m + 1 < 3 ? m + 1 : 3;
        double mean = (sums[0] + sums[1] + sums[2]) / have;
        if (mean > best) best = mean;
    }
    return best;
}

/* The bead's centre from its brightest step: a pixel-integrated Gaussian (centre, width, photons)
 * fitted by least squares, started at the centroid. Unlike the centroid alone it is not pulled
 * towards pixel centres, a bias that registration against the spline cannot undo (spline and
 * positions would trade it between them). */
/* Centroid of the bead's background-subtracted patch summed over the steps. */
static void centroid(const spline_beads *in, int bead, double bg, double p, double *x,
                     double *y) {
    const int S = in->side;
    double m0 = 0, mx = 0, my = 0;
    for (int m = 0; m < in->steps; m++) {
        const float *img = in->images + ((size_t)bead * in->steps + m) * S * S;
        for (int j = 0; j < S; j++)
            for (int i = 0; i < S; i++) {
                double v = img[j * S + i] - bg;
                if (v <= 0) continue;
                m0 += v;
                mx += v * (i + 0.5) * p;
                my += v * (j + 0.5) * p;
            }
    }
    *x = m0 > 0 ? mx / m0 : 0.5 * S * p;
    *y = m0 > 0 ? my / m0 : 0.5 * S * p;
}

typedef struct beads_state {
    const spline_beads *in;
    double pixel, *x, *y, *bg, *scale;
    int oversample, half;
    double smoothing; /* λ relative to the data weight per coefficient */
} beads_state;

/* Smooths each lateral coefficient's sequence over the steps (slices: steps × N) by the Whittaker
 * smoother (I + μ DᵀD) c = s, D second differences, μ = 1 / (2 − 2 cos ω)² so that the response
 * 1 / (1 + μ (2 − 2 cos ω)²) is ½ at ω = 2π step / period. The band matrix (bandwidth 2) is
 * factored once (LDLᵀ) and solved for every coefficient. */
static mumloc_status smooth_along_z(double *slices, int steps, size_t N, double step_nm,
                                    double period_nm) {
    if (!(period_nm > 0) || steps < 3) return MUMLOC_OK;
    double omega = 2.0 * 3.14159265358979323846 * step_nm / period_nm;
    if (omega >= 3.14159265358979323846) return MUMLOC_OK; /* finer than the steps: nothing to do */
    const double q = 2.0 - 2.0 * cos(omega), mu = 1.0 / (q * q);
    const int n = steps;
    double *diag = malloc(3 * (size_t)n * sizeof *diag), *off1 = diag + n, *off2 = off1 + n;
    if (!diag) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory smoothing a spline PSF");
    /* A = I + μ DᵀD: rows of D are (1, −2, 1) at m, m+1, m+2 */
    for (int m = 0; m < n; m++) diag[m] = 1.0, off1[m] = off2[m] = 0.0;
    for (int r = 0; r + 2 < n; r++) {
        const double d[3] = {1, -2, 1};
        for (int a = 0; a < 3; a++) {
            diag[r + a] += mu * d[a] * d[a];
            if (a < 2) off1[r + a] += mu * d[a] * d[a + 1];
        }
        off2[r] += mu * d[0] * d[2];
    }
    /* LDLᵀ in place: L has unit diagonal and sub-diagonals l1 (off1), l2 (off2) */
    for (int m = 0; m < n; m++) {
        double dm = diag[m];
        if (m >= 1) dm -= off1[m - 1] * off1[m - 1] * diag[m - 1];
        if (m >= 2) dm -= off2[m - 2] * off2[m - 2] * diag[m - 2];
        diag[m] = dm;
        if (m + 1 < n) {
            double a = off1[m];
            if (m >= 1) a -= off2[m - 1] * off1[m - 1] * diag[m - 1];
            off1[m] = a / dm;
        }
        if (m + 2 < n) off2[m] = off2[m] / dm;
    }
    for (size_t i = 0; i < N; i++) {
        double *c = slices + i;
#define AT(m) c[(size_t)(m) * N]
        for (int m = 1; m < n; m++) { /* L y = s */
            AT(m) -= off1[m - 1] * AT(m - 1);
            if (m >= 2) AT(m) -= off2[m - 2] * AT(m - 2);
        }
        for (int m = 0; m < n; m++) AT(m) /= diag[m];
        for (int m = n - 2; m >= 0; m--) { /* Lᵀ x = y */
            AT(m) -= off1[m] * AT(m + 1);
            if (m + 2 < n) AT(m) -= off2[m] * AT(m + 2);
        }
#undef AT
    }
    free(diag);
    return MUMLOC_OK;
}

/* The spline through all steps from the current centres. */
static mumloc_status build_once(const beads_state *st, spline_plane_psf *out) {
    const spline_beads *in = st->in;
    const int S = in->side, os = st->oversample, n = 2 * st->half * os + 1, c = st->half * os;
    const double p = st->pixel, h = p / os;
    const size_t N = (size_t)n * n;
    lsq_system sys = {n, 0, malloc((size_t)in->beads * S * S * sizeof(observation)), 0};
    double *slices = calloc(N * in->steps, sizeof *slices), *work = malloc(3 * N * sizeof *work);
    double *coef = calloc(N, sizeof *coef);
    mumloc_status status = MUMLOC_OK;
    if (!sys.obs || !slices || !work || !coef)
        status = error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory building a spline PSF");
    for (int m = 0; m < in->steps && status == MUMLOC_OK; m++) {
        sys.count = 0;
        for (int b = 0; b < in->beads; b++) {
            const float *img = in->images + ((size_t)b * in->steps + m) * S * S;
            for (int j = 0; j < S; j++)
                for (int i = 0; i < S; i++) {
                    double su = ((i + 0.5) * p - st->x[b]) / h + c, sv = ((j + 0.5) * p - st->y[b]) / h + c;
                    double fu = floor(su), fv = floor(sv);
                    if (fu < 0 || fv < 0 || fu > n - 2 || fv > n - 2) continue;
                    observation *o = &sys.obs[sys.count++];
                    double dw[4];
                    o->kx = (int)fu;
                    o->ky = (int)fv;
                    bspline_weights(su - fu, o->wx, dw);
                    bspline_weights(sv - fv, o->wy, dw);
                    o->value = (img[j * S + i] - st->bg[b]) / st->scale[b];
                }
        }
        /* λ against the data's weight per coefficient: Σ over observations of Σ w² ≈ count · 0.227 */
        sys.lambda = st->smoothing * sys.count * 0.227 / (double)N;
        solve(&sys, coef, work);
        memcpy(slices + (size_t)m * N, coef, N * sizeof *coef);
    }
    if (status == MUMLOC_OK)
        status = smooth_along_z(slices, in->steps, N, in->z_step_nm, in->z_smoothing_nm);
    if (status == MUMLOC_OK)
        status = spline_psf_from_slices(p, os, st->half, in->steps, in->z0_nm, in->z_step_nm,
                                               slices, out);
    free(sys.obs);
    free(slices);
    free(work);
    free(coef);
    return status;
}

/* Registration of each bead against the spline: Gauss–Newton on its lateral position (shared by
 * every step) with its scale fixed. */
static double register_beads(const beads_state *st, const spline_plane_psf *psf, double *g) {
    const spline_beads *in = st->in;
    const int S = in->side;
    double *gx = g + S * S, *gy = gx + S * S, *gz = gy + S * S, moved = 0;
    for (int b = 0; b < in->beads; b++) {
        const double x0 = st->x[b], y0 = st->y[b];
        for (int it = 0; it < 3; it++) {
            double Hxx = 0, Hxy = 0, Hyy = 0, jx = 0, jy = 0;
            for (int m = 0; m < in->steps; m++) {
                const float *img = in->images + ((size_t)b * in->steps + m) * S * S;
                spline_psf_window(psf, st->x[b], st->y[b], in->z0_nm + m * in->z_step_nm, 0, 0,
                                         S, S, g, gx, gy, gz);
                for (int i = 0; i < S * S; i++) {
                    double r = (img[i] - st->bg[b]) / st->scale[b] - g[i];
                    Hxx += gx[i] * gx[i];
                    Hxy += gx[i] * gy[i];
                    Hyy += gy[i] * gy[i];
                    jx += gx[i] * r;
                    jy += gy[i] * r;
                }
            }
            double det = Hxx * Hyy - Hxy * Hxy;
            if (!(det > 0)) break;
            double dx = (Hyy * jx - Hxy * jy) / det, dy = (Hxx * jy - Hxy * jx) / det;
            if (fabs(dx) > st->pixel) dx = copysign(st->pixel, dx);
            if (fabs(dy) > st->pixel) dy = copysign(st->pixel, dy);
            st->x[b] += dx;
            st->y[b] += dy;
        }
        double shift = hypot(st->x[b] - x0, st->y[b] - y0);
        if (shift > moved) moved = shift;
    }
    return moved;
}

/* Where the spline's in-focus PSF has its centroid, relative to its origin: g sampled on the fine
 * lateral grid (offsets every h) at the z node where it is most concentrated (largest Σ g²). */
static void focus_centroid(const spline_plane_psf *psf, double *dx, double *dy) {
    const int side = 2 * psf->half + 1, os = psf->oversample;
    const double p = psf->pixel_nm, h = p / os, centre = (psf->half + 0.5) * p;
    double *g = malloc((size_t)side * side * sizeof *g);
    *dx = *dy = 0;
    if (!g) return;
    double best = -1, z_focus = psf->z0_nm;
    for (int m = 0; m < psf->nz; m++) {
        double z = psf->z0_nm + m * psf->z_step_nm, sum = 0;
        spline_psf_window(psf, centre, centre, z, 0, 0, side, side, g, NULL, NULL, NULL);
        for (int i = 0; i < side * side; i++) sum += g[i] * g[i];
        if (sum > best) best = sum, z_focus = z;
    }
    double m0 = 0, mx = 0, my = 0;
    for (int sy = 0; sy < os; sy++)
        for (int sx = 0; sx < os; sx++) {
            /* the molecule moved by (sx, sy)·h: pixel offsets shift by −(sx, sy)·h */
            spline_psf_window(psf, centre + sx * h, centre + sy * h, z_focus, 0, 0, side, side,
                                     g, NULL, NULL, NULL);
            for (int j = 0; j < side; j++)
                for (int i = 0; i < side; i++) {
                    double v = g[j * side + i];
                    m0 += v;
                    mx += v * ((i - psf->half) * p - sx * h);
                    my += v * ((j - psf->half) * p - sy * h);
                }
        }
    free(g);
    if (m0 > 0) *dx = mx / m0, *dy = my / m0;
}

mumloc_status spline_psf_from_beads(const spline_beads *in, double pixel_nm,
                                           int oversample, int half, spline_plane_psf *out,
                                           double *x_out, double *y_out) {
    memset(out, 0, sizeof *out);
    if (!in || !in->images || in->beads < MIN_BEADS || in->steps < 2 || in->side < 2 * half + 1)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "spline PSF from beads: need at least %d beads (got %d), 2 z steps (got "
                           "%d) and patches of at least %d pixels (got %d); image more beads or "
                           "use a smaller PSF extent",
                           MIN_BEADS, in ? in->beads : 0, in ? in->steps : 0, 2 * half + 1,
                           in ? in->side : 0);
    const int B = in->beads, S = in->side;
    if (!(in->z_step_nm > 0) || !isfinite(in->z0_nm))
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "spline PSF from beads: the z step must be above 0 nm (got %g) and the "
                           "first depth finite",
                           in->z_step_nm);
    for (size_t i = 0; i < (size_t)B * in->steps * S * S; i++)
        if (!isfinite(in->images[i])) {
            size_t per_bead = (size_t)in->steps * S * S;
            return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                               "spline PSF from beads: bead %zu holds a pixel that is not a number "
                               "in step %zu; leave that bead out or fix the stack",
                               i / per_bead + 1, (i % per_bead) / ((size_t)S * S) + 1);
        }
    double *mem = malloc((size_t)B * 4 * sizeof *mem);
    float *scratch = malloc((size_t)in->steps * 4 * S * sizeof *scratch);
    double *g = malloc((size_t)4 * S * S * sizeof *g);
    if (!mem || !scratch || !g) {
        free(mem);
        free(scratch);
        free(g);
        return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory building a spline PSF");
    }
    beads_state st = {in,         pixel_nm, mem, mem + B, mem + 2 * B, mem + 3 * B, oversample, half,
                      in->x_nm ? SMOOTHING : ALIGN_SMOOTHING};
    mumloc_status status = MUMLOC_OK;
    for (int b = 0; b < B && status == MUMLOC_OK; b++) {
        st.bg[b] = in->background ? in->background[b] : border_median(in, b, scratch);
        st.scale[b] = focus_photons(in, b, st.bg[b]);
        if (!(st.scale[b] > 0))
            status = error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                                 "spline PSF from beads: bead %d holds no light above its background "
                                 "in any step; leave it out",
                                 b + 1);
        if (in->x_nm) st.x[b] = in->x_nm[b], st.y[b] = in->y_nm[b];
        else centroid(in, b, st.bg[b], pixel_nm, &st.x[b], &st.y[b]);
    }
    if (status == MUMLOC_OK) status = build_once(&st, out);
    /* sub-pixel alignment: register every bead against the spline and rebuild, until no bead
     * moves by more than ALIGN_TOLERANCE_NM (centroids of truncated patches are biased by tails) */
    for (int round = 0; status == MUMLOC_OK && !in->x_nm && round < ALIGN_ROUNDS; round++) {
        double moved = register_beads(&st, out, g);
        spline_psf_free(out);
        status = build_once(&st, out);
        if (moved < ALIGN_TOLERANCE_NM) break;
    }
    if (status == MUMLOC_OK && st.smoothing != SMOOTHING) { /* the final spline, fully detailed */
        st.smoothing = SMOOTHING;
        spline_psf_free(out);
        status = build_once(&st, out);
    }
    /* the origin: the in-focus PSF's centroid (registration fixes the beads only up to a common
     * shift); for a point-symmetric PSF that is its centre of symmetry */
    for (int round = 0; status == MUMLOC_OK && !in->x_nm && round < ALIGN_ROUNDS; round++) {
        double dx, dy;
        focus_centroid(out, &dx, &dy);
        if (hypot(dx, dy) < ALIGN_TOLERANCE_NM) break;
        for (int b = 0; b < B; b++) st.x[b] += dx, st.y[b] += dy;
        spline_psf_free(out);
        status = build_once(&st, out);
    }
    if (status == MUMLOC_OK && x_out && y_out)
        for (int b = 0; b < B; b++) x_out[b] = st.x[b], y_out[b] = st.y[b];
    free(mem);
    free(scratch);
    free(g);
    return status;
}

/* spline_psf_from_stack(_at): given = 1 keeps the positions as the beads' centres. */
static mumloc_status from_stack(const float *stack, int planes, int plane, int width, int height,
                                int steps, double z0, double z_step, const double *bx,
                                const double *by, int beads, double p, int oversample, int half,
                                double background, int given, double z_smoothing_nm,
                                spline_plane_psf *out, int *used) {
    memset(out, 0, sizeof *out);
    if (!stack || !bx || !by || planes < 1 || plane < 0 || plane >= planes || width < 1 ||
        height < 1 || steps < 2 || beads < 1 || !(p > 0) || half < 1)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "spline PSF from a bead stack: bad stack (plane %d of %d, %d × %d pixels, "
                           "%d steps, %d beads)",
                           plane + 1, planes, width, height, steps, beads);
    const int S = 2 * half + 1;
    float *patches = malloc((size_t)beads * steps * S * S * sizeof *patches);
    double *cx = malloc(2 * (size_t)beads * sizeof *cx), *cy = cx ? cx + beads : NULL;
    if (!patches || !cx) {
        free(patches);
        free(cx);
        return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory cutting bead patches");
    }
    int kept = 0;
    for (int b = 0; b < beads; b++) {
        if (!isfinite(bx[b]) || !isfinite(by[b])) continue;
        double fi = floor(bx[b] / p), fj = floor(by[b] / p);
        if (fi - half < 0 || fj - half < 0 || fi + half > width - 1 || fj + half > height - 1) continue;
        int i0 = (int)fi - half, j0 = (int)fj - half;
        cx[kept] = bx[b] - i0 * p; /* in the patch's frame */
        cy[kept] = by[b] - j0 * p;
        for (int m = 0; m < steps; m++) {
            const float *img = stack + ((size_t)m * planes + plane) * width * height;
            float *patch = patches + ((size_t)kept * steps + m) * S * S;
            for (int j = 0; j < S; j++)
                memcpy(patch + (size_t)j * S, img + (size_t)(j0 + j) * width + i0, S * sizeof *patch);
        }
        kept++;
    }
    if (used) *used = kept;
    /* Background: the median of the plane's whole images (beads are sparse), averaged over the steps.
     * A patch border would still hold the PSF's tails (an Airy PSF keeps ~1e-4 of its photons per
     * pixel 1 µm out), biasing the background up and the PSF's wings down. */
    const int estimate = !(background >= 0);
    if (estimate) background = 0;
    float *scratch = malloc((size_t)width * height * sizeof *scratch);
    double *bgs = malloc(((size_t)kept + 1) * sizeof *bgs);
    mumloc_status s = scratch && bgs ? MUMLOC_OK
                                     : error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory cutting bead patches");
    for (int m = 0; m < steps && s == MUMLOC_OK && estimate; m++) {
        memcpy(scratch, stack + ((size_t)m * planes + plane) * width * height,
               (size_t)width * height * sizeof *scratch);
        size_t n = (size_t)width * height;
        qsort(scratch, n, sizeof *scratch, compare_float);
        background += (n % 2 ? scratch[n / 2] : 0.5 * (scratch[n / 2 - 1] + scratch[n / 2])) / steps;
    }
    for (int b = 0; b < kept && s == MUMLOC_OK; b++) bgs[b] = background;
    /* unless given, the positions only choose the patches: the builder finds and aligns the
     * centres itself */
    spline_beads in = {patches, kept,   steps, S, given ? cx : NULL, given ? cy : NULL,
                              bgs,     z0,     z_step, z_smoothing_nm};
    if (s == MUMLOC_OK) s = spline_psf_from_beads(&in, p, oversample, half, out, NULL, NULL);
    free(scratch);
    free(bgs);
    free(patches);
    free(cx);
    return s;
}

mumloc_status spline_psf_from_stack(const float *stack, int planes, int plane, int width,
                                           int height, int steps, double z0, double z_step,
                                           const double *bx, const double *by, int beads,
                                           double p, int oversample, int half, double background,
                                           spline_plane_psf *out, int *used) {
    return from_stack(stack, planes, plane, width, height, steps, z0, z_step, bx, by, beads, p,
                      oversample, half, background, 0, 0.0, out, used);
}

mumloc_status spline_psf_from_stack_at(const float *stack, int planes, int plane, int width,
                                              int height, int steps, double z0, double z_step,
                                              const double *bx, const double *by, int beads,
                                              double p, int oversample, int half,
                                              double background, double z_smoothing_nm,
                                              spline_plane_psf *out, int *used) {
    return from_stack(stack, planes, plane, width, height, steps, z0, z_step, bx, by, beads, p,
                      oversample, half, background, 1, z_smoothing_nm, out, used);
}
