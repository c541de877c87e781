/* The cubic-spline PSF (see spline_psf.h): construction by B-spline prefiltering, evaluation over a
 * pixel window, and the Fisher matrix of dense plane views. */
#include "optics/spline_psf.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "optics/psf_model.h"
#include "optics/spline_eval.h"

void mumloc_bspline_weights(double t, double w[4], double dw[4]) { mumloc_bspline_basis(t, w, dw); }

void mumloc_bspline_prefilter(double *f, int n, size_t stride, double *cp) {
    /* Thomas algorithm on the rows ×6: sub 1, diagonal 4, super 1; row 0 has super 2 and row n−1
     * sub 2 (the mirrored neighbour counted twice). */
    double denom = 4.0;
    cp[0] = 2.0 / denom;
    f[0] = 6.0 * f[0] / denom;
    for (int i = 1; i < n; i++) {
        double sub = i == n - 1 ? 2.0 : 1.0, sup = 1.0;
        denom = 4.0 - sub * cp[i - 1];
        cp[i] = sup / denom;
        f[i * stride] = (6.0 * f[i * stride] - sub * f[(i - 1) * stride]) / denom;
    }
    for (int i = n - 2; i >= 0; i--) f[i * stride] -= cp[i] * f[(i + 1) * stride];
}

static mumloc_status check_sizes(double pixel_nm, int oversample, int half, int nz, double z_step) {
    if (!(pixel_nm > 0.0) || oversample < 1 || oversample > 16 || half < 1 || half > 64 || nz < 2 ||
        nz > 100000 || !(z_step > 0.0))
        return mumloc_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "spline PSF: bad grid (pixel %g nm, oversample %d, half %d pixels, %d z "
                           "nodes, z step %g nm); need pixel > 0, oversample 1..16, half 1..64, at "
                           "least 2 z nodes and a z step > 0",
                           pixel_nm, oversample, half, nz, z_step);
    return MUMLOC_OK;
}

static mumloc_status spline_alloc(double pixel_nm, int oversample, int half, int nz, double z0,
                                  double z_step, mumloc_spline_psf *out) {
    memset(out, 0, sizeof *out);
    MUMLOC_TRY(check_sizes(pixel_nm, oversample, half, nz, z_step));
    out->pixel_nm = pixel_nm;
    out->oversample = oversample;
    out->half = half;
    out->n = 2 * half * oversample + 1;
    out->nz = nz;
    out->z0_nm = z0;
    out->z_step_nm = z_step;
    out->coef = malloc((size_t)out->n * out->n * nz * sizeof *out->coef);
    out->rms_nm = malloc((size_t)nz * sizeof *out->rms_nm);
    if (!out->coef || !out->rms_nm) {
        mumloc_spline_psf_free(out);
        return mumloc_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory for a spline PSF");
    }
    return MUMLOC_OK;
}

/* rms_nm per z node, from the finished spline. */
static mumloc_status measure_widths(mumloc_spline_psf *psf) {
    const int side = 2 * psf->half + 1;
    const double p = psf->pixel_nm, centre = (psf->half + 0.5) * p;
    double *g = malloc((size_t)side * side * sizeof *g);
    if (!g) return mumloc_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory for a spline PSF");
    for (int m = 0; m < psf->nz; m++) {
        mumloc_spline_psf_window(psf, centre, centre, psf->z0_nm + m * psf->z_step_nm, 0, 0, side,
                                 side, g, NULL, NULL, NULL);
        double m0 = 0, mx = 0, my = 0, mxx = 0, myy = 0;
        for (int j = 0; j < side; j++)
            for (int i = 0; i < side; i++) {
                double v = fmax(g[j * side + i], 0.0), u = (i - psf->half) * p, w = (j - psf->half) * p;
                m0 += v, mx += v * u, my += v * w, mxx += v * u * u, myy += v * w * w;
            }
        double vx = m0 > 0 ? mxx / m0 - (mx / m0) * (mx / m0) : 0;
        double vy = m0 > 0 ? myy / m0 - (my / m0) * (my / m0) : 0;
        psf->rms_nm[m] = sqrt(fmax(fmax(vx, vy), 0.0));
    }
    free(g);
    return MUMLOC_OK;
}

double mumloc_spline_psf_rms_nm(const mumloc_spline_psf *psf, double z) {
    return mumloc_spline_rms_nm(psf, z);
}

int mumloc_spline_psf_window_half(const mumloc_spline_psf *psf, double z) {
    double half = ceil(MUMLOC_PSF_FIT_WIDTHS * mumloc_spline_rms_nm(psf, z) / psf->pixel_nm);
    if (half < MUMLOC_PSF_FIT_MIN_HALF) half = MUMLOC_PSF_FIT_MIN_HALF;
    if (half > psf->half) half = psf->half;
    return (int)half;
}

/* Prefilters work ([m][v][u]) along the axes asked for, then stores it as float. */
static mumloc_status finish(double *work, int lateral, mumloc_spline_psf *out) {
    const int n = out->n, nz = out->nz;
    double *scratch = malloc((size_t)(n > nz ? n : nz) * sizeof *scratch);
    if (!scratch) return mumloc_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory for a spline PSF");
    const size_t plane = (size_t)n * n;
    for (int m = 0; m < nz && lateral; m++) {
        double *slice = work + m * plane;
        for (int v = 0; v < n; v++) mumloc_bspline_prefilter(slice + (size_t)v * n, n, 1, scratch);
        for (int u = 0; u < n; u++) mumloc_bspline_prefilter(slice + u, n, n, scratch);
    }
    for (size_t at = 0; at < plane; at++) mumloc_bspline_prefilter(work + at, nz, plane, scratch);
    free(scratch);
    for (size_t at = 0; at < plane * nz; at++) out->coef[at] = (float)work[at];
    return measure_widths(out);
}

static mumloc_status build(double pixel_nm, int oversample, int half, int nz, double z0, double zs,
                           const double *values, int lateral, mumloc_spline_psf *out) {
    MUMLOC_TRY(spline_alloc(pixel_nm, oversample, half, nz, z0, zs, out));
    size_t count = (size_t)out->n * out->n * nz;
    double *work = malloc(count * sizeof *work);
    mumloc_status s = work ? MUMLOC_OK
                           : mumloc_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory for a spline PSF");
    if (s == MUMLOC_OK) {
        memcpy(work, values, count * sizeof *work);
        s = finish(work, lateral, out);
    }
    free(work);
    if (s != MUMLOC_OK) mumloc_spline_psf_free(out);
    return s;
}

mumloc_status mumloc_spline_psf_from_nodes(double pixel_nm, int oversample, int half, int nz,
                                           double z0, double zs, const double *values,
                                           mumloc_spline_psf *out) {
    return build(pixel_nm, oversample, half, nz, z0, zs, values, 1, out);
}

mumloc_status mumloc_spline_psf_from_slices(double pixel_nm, int oversample, int half, int nz,
                                            double z0, double zs, const double *slices,
                                            mumloc_spline_psf *out) {
    return build(pixel_nm, oversample, half, nz, z0, zs, slices, 0, out);
}

mumloc_status mumloc_spline_psf_from_coefficients(double pixel_nm, int oversample, int half, int nz,
                                                 double z0, double zs, const float *coef,
                                                 mumloc_spline_psf *out) {
    MUMLOC_TRY(spline_alloc(pixel_nm, oversample, half, nz, z0, zs, out));
    memcpy(out->coef, coef, (size_t)out->n * out->n * nz * sizeof *out->coef);
    mumloc_status s = measure_widths(out);
    if (s != MUMLOC_OK) mumloc_spline_psf_free(out);
    return s;
}

void mumloc_spline_psf_free(mumloc_spline_psf *psf) {
    free(psf->coef);
    free(psf->rms_nm);
    psf->coef = NULL;
    psf->rms_nm = NULL;
}

mumloc_status mumloc_spline_psf_copy(const mumloc_spline_psf *src, mumloc_spline_psf *out) {
    MUMLOC_TRY(spline_alloc(src->pixel_nm, src->oversample, src->half, src->nz, src->z0_nm,
                            src->z_step_nm, out));
    memcpy(out->coef, src->coef, (size_t)out->n * out->n * out->nz * sizeof *out->coef);
    memcpy(out->rms_nm, src->rms_nm, (size_t)out->nz * sizeof *out->rms_nm);
    return MUMLOC_OK;
}

void mumloc_spline_psf_window(const mumloc_spline_psf *psf, double cx, double cy, double z, int i0,
                              int j0, int nx, int ny, double *g, double *gx, double *gy,
                              double *gz) {
    mumloc_spline_at at;
    mumloc_spline_locate(psf, cx, cy, z, i0, j0, &at);
    for (int b = 0; b < ny; b++)
        for (int a = 0; a < nx; a++) {
            size_t k = (size_t)b * nx + a;
            double d[3];
            g[k] = mumloc_spline_pixel(psf, &at, a, b, gx ? d : NULL);
            if (gx) gx[k] = d[0], gy[k] = d[1], gz[k] = d[2];
        }
}

void mumloc_fisher_dense(int k, const mumloc_pixel_noise *noise, const mumloc_psf_dense *views,
                         const double *share, double photons, const double *background,
                         double *fisher) {
    const int n = MUMLOC_CRLB_BACKGROUND + k;
    memset(fisher, 0, (size_t)n * n * sizeof *fisher);
    for (int d = 0; d < k; d++) {
        const mumloc_psf_dense *v = &views[d];
        const double N = photons * share[d], bg = background[d];
        const int bd = MUMLOC_CRLB_BACKGROUND + d;
        for (size_t i = 0; i < (size_t)v->nx * v->ny; i++) {
            double var = noise->excess * (N * v->g[i] + bg) + noise->read_variance;
            double inv = var > 0.0 ? 1.0 / var : 0.0;
            double grad[5] = {N * v->gx[i], N * v->gy[i], N * v->gz[i], share[d] * v->g[i], 1.0};
            int idx[5] = {0, 1, 2, 3, bd};
            for (int r = 0; r < 5; r++)
                for (int q = 0; q < 5; q++) fisher[idx[r] * n + idx[q]] += grad[r] * grad[q] * inv;
        }
    }
}
