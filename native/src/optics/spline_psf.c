/* The cubic-spline PSF (see spline_psf.h): construction by B-spline prefiltering and evaluation over
 * a pixel window. */
#include "optics/spline_psf.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "optics/psf_window.h"
#include "optics/spline_eval.h"

/* Nodes of the shared contraction (on the stack: 2 blocks and 3 half-size ones of doubles, 112 KiB). */
enum { SHARED_NODES = 4096 };

void bspline_weights(double t, double w[4], double dw[4]) { bspline_basis(t, w, dw); }

void bspline_prefilter(double *f, int n, size_t stride, double *cp) {
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
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "spline PSF: bad grid (pixel %g nm, oversample %d, half %d pixels, %d z "
                           "nodes, z step %g nm); need pixel > 0, oversample 1..16, half 1..64, at "
                           "least 2 z nodes and a z step > 0",
                           pixel_nm, oversample, half, nz, z_step);
    return MUMLOC_OK;
}

static mumloc_status spline_alloc(double pixel_nm, int oversample, int half, int nz, double z0,
                                  double z_step, spline_plane_psf *out) {
    memset(out, 0, sizeof *out);
    ERROR_TRY(check_sizes(pixel_nm, oversample, half, nz, z_step));
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
        spline_psf_free(out);
        return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory for a spline PSF");
    }
    return MUMLOC_OK;
}

/* rms_nm per z node, from the finished spline. */
static mumloc_status measure_widths(spline_plane_psf *psf) {
    const int side = 2 * psf->half + 1;
    const double p = psf->pixel_nm, centre = (psf->half + 0.5) * p;
    double *g = malloc((size_t)side * side * sizeof *g);
    if (!g) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory for a spline PSF");
    for (int m = 0; m < psf->nz; m++) {
        spline_psf_window(psf, centre, centre, psf->z0_nm + m * psf->z_step_nm, 0, 0, side,
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

double spline_psf_width_nm(const spline_plane_psf *psf, double z) {
    const double rms = spline_rms_nm(psf, z), p = psf->pixel_nm;
    return sqrt(fmax(rms * rms - p * p / 12.0, p * p / 16.0));
}

int spline_psf_window_half(const spline_plane_psf *psf, double z) {
    double half = ceil(PSF_FIT_WIDTHS * spline_psf_width_nm(psf, z) / psf->pixel_nm);
    if (half < PSF_FIT_MIN_HALF) half = PSF_FIT_MIN_HALF;
    /* a pixel ±h pixels from the molecule's pixel lies up to h + ½ from it: within the grid */
    if (half > psf->half - 1) half = psf->half - 1;
    if (half < 1) half = 1;
    return (int)half;
}

/* Prefilters work ([m][v][u]) along the axes asked for, then stores it as float. */
static mumloc_status finish(double *work, int lateral, spline_plane_psf *out) {
    const int n = out->n, nz = out->nz;
    double *scratch = malloc((size_t)(n > nz ? n : nz) * sizeof *scratch);
    if (!scratch) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory for a spline PSF");
    const size_t plane = (size_t)n * n;
    for (int m = 0; m < nz && lateral; m++) {
        double *slice = work + m * plane;
        for (int v = 0; v < n; v++) bspline_prefilter(slice + (size_t)v * n, n, 1, scratch);
        for (int u = 0; u < n; u++) bspline_prefilter(slice + u, n, n, scratch);
    }
    for (size_t at = 0; at < plane; at++) bspline_prefilter(work + at, nz, plane, scratch);
    free(scratch);
    for (size_t at = 0; at < plane * nz; at++) out->coef[at] = (float)work[at];
    return measure_widths(out);
}

static mumloc_status build(double pixel_nm, int oversample, int half, int nz, double z0, double zs,
                           const double *values, int lateral, spline_plane_psf *out) {
    ERROR_TRY(spline_alloc(pixel_nm, oversample, half, nz, z0, zs, out));
    size_t count = (size_t)out->n * out->n * nz;
    double *work = malloc(count * sizeof *work);
    mumloc_status s = work ? MUMLOC_OK
                           : error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory for a spline PSF");
    if (s == MUMLOC_OK) {
        memcpy(work, values, count * sizeof *work);
        s = finish(work, lateral, out);
    }
    free(work);
    if (s != MUMLOC_OK) spline_psf_free(out);
    return s;
}

mumloc_status spline_psf_from_nodes(double pixel_nm, int oversample, int half, int nz,
                                           double z0, double zs, const double *values,
                                           spline_plane_psf *out) {
    return build(pixel_nm, oversample, half, nz, z0, zs, values, 1, out);
}

mumloc_status spline_psf_from_slices(double pixel_nm, int oversample, int half, int nz,
                                            double z0, double zs, const double *slices,
                                            spline_plane_psf *out) {
    return build(pixel_nm, oversample, half, nz, z0, zs, slices, 0, out);
}

mumloc_status spline_psf_from_coefficients(double pixel_nm, int oversample, int half, int nz,
                                                 double z0, double zs, const float *coef,
                                                 spline_plane_psf *out) {
    ERROR_TRY(spline_alloc(pixel_nm, oversample, half, nz, z0, zs, out));
    memcpy(out->coef, coef, (size_t)out->n * out->n * nz * sizeof *out->coef);
    mumloc_status s = measure_widths(out);
    if (s != MUMLOC_OK) spline_psf_free(out);
    return s;
}

mumloc_status spline_psf_copy(const spline_plane_psf *src, spline_plane_psf *out) {
    ERROR_TRY(spline_alloc(src->pixel_nm, src->oversample, src->half, src->nz, src->z0_nm,
                            src->z_step_nm, out));
    memcpy(out->coef, src->coef, (size_t)out->n * out->n * out->nz * sizeof *out->coef);
    memcpy(out->rms_nm, src->rms_nm, (size_t)out->nz * sizeof *out->rms_nm);
    return MUMLOC_OK;
}

void spline_psf_free(spline_plane_psf *psf) {
    free(psf->coef);
    free(psf->rms_nm);
    psf->coef = NULL;
    psf->rms_nm = NULL;
}

void spline_psf_window(const spline_plane_psf *psf, double cx, double cy, double z, int i0,
                              int j0, int nx, int ny, double *g, double *gx, double *gy,
                              double *gz) {
    const int n = psf->n, os = psf->oversample;
    double wz[4], dwz[4], wx[4], dwx[4], wy[4], dwy[4];
    int kz, zi[4];
    long kx0, ky0;
    const int z_inside = spline_locate_z(psf, z, &kz, zi, wz, dwz);
    spline_locate_xy(psf, cx, cy, i0, j0, &kx0, &ky0, wx, dwx, wy, dwy);
    const size_t plane = (size_t)n * n;
    /* sums in double: in float the rounding makes g a rough function of the position, and a fit's
     * last steps (0.01 nm) then see noise in the likelihood instead of its slope */
    const double *fz = wz, *fdz = dwz;
    /* With fewer than 4 nodes per pixel, neighbouring pixels' 4 × 4 stencils share nodes: the z
     * contraction is then done once per node of the window's span (a ((nx−1)·os + 4) ×
     * ((ny−1)·os + 4) block, nodes outside [−1, n] never read) instead of 16 times per pixel. */
    const long span_x = (long)(nx - 1) * os + 4, span_y = (long)(ny - 1) * os + 4;
    if (os < 4 && span_x * span_y <= SHARED_NODES && 2 * span_y * nx <= SHARED_NODES && nx > 0 &&
        ny > 0) {
        double z0[SHARED_NODES], z1[SHARED_NODES];
        double xs[3 * SHARED_NODES / 2]; /* span_y · nx ≤ span_y · span_x / os */
        const long X0 = kx0 - 1, Y0 = ky0 - 1;
        for (long y = 0; y < span_y; y++) {
            const long Y = Y0 + y;
            double *o0 = z0 + y * span_x, *o1 = z1 + y * span_x;
            if (Y < -1 || Y > n) { /* read by no pixel inside the grid */
                memset(o0, 0, (size_t)span_x * sizeof *o0);
                memset(o1, 0, (size_t)span_x * sizeof *o1);
                continue;
            }
            const size_t row = (size_t)spline_mirror((int)Y, n) * n;
            const float *c0 = psf->coef + (size_t)zi[0] * plane + row, *c1 = psf->coef + (size_t)zi[1] * plane + row;
            const float *c2 = psf->coef + (size_t)zi[2] * plane + row, *c3 = psf->coef + (size_t)zi[3] * plane + row;
            if (X0 >= 0 && X0 + span_x <= n) { /* the whole row inside: contiguous */
                c0 += X0, c1 += X0, c2 += X0, c3 += X0;
                for (long x = 0; x < span_x; x++) {
                    o0[x] = fz[0] * c0[x] + fz[1] * c1[x] + fz[2] * c2[x] + fz[3] * c3[x];
                    o1[x] = fdz[0] * c0[x] + fdz[1] * c1[x] + fdz[2] * c2[x] + fdz[3] * c3[x];
                }
                continue;
            }
            for (long x = 0; x < span_x; x++) {
                const long X = X0 + x;
                if (X < -1 || X > n) {
                    o0[x] = o1[x] = 0.0;
                    continue;
                }
                const int xi = spline_mirror((int)X, n);
                o0[x] = fz[0] * c0[xi] + fz[1] * c1[xi] + fz[2] * c2[xi] + fz[3] * c3[xi];
                o1[x] = fdz[0] * c0[xi] + fdz[1] * c1[xi] + fdz[2] * c2[xi] + fdz[3] * c3[xi];
            }
        }
        /* then x: per node row and pixel column, shared by the pixels of that column whose
         * stencils take the row; per pixel only the 4 rows along y remain */
        double *ax0 = xs, *dx0 = xs + span_y * nx, *ax1 = xs + 2 * span_y * nx;
        for (long y = 0; y < span_y; y++)
            for (int a = 0; a < nx; a++) {
                const double *s0 = z0 + y * span_x + (long)a * os, *s1 = z1 + y * span_x + (long)a * os;
                const size_t at = (size_t)y * nx + a;
                ax0[at] = wx[0] * s0[0] + wx[1] * s0[1] + wx[2] * s0[2] + wx[3] * s0[3];
                dx0[at] = dwx[0] * s0[0] + dwx[1] * s0[1] + dwx[2] * s0[2] + dwx[3] * s0[3];
                ax1[at] = wx[0] * s1[0] + wx[1] * s1[1] + wx[2] * s1[2] + wx[3] * s1[3];
            }
        for (int b = 0; b < ny; b++) {
            const long ky = ky0 + (long)b * os;
            for (int a = 0; a < nx; a++) {
                const long kx = kx0 + (long)a * os;
                const size_t at = (size_t)b * nx + a;
                if (kx < 0 || ky < 0 || kx > n - 2 || ky > n - 2) {
                    g[at] = 0.0;
                    if (gx) gx[at] = gy[at] = gz[at] = 0.0;
                    continue;
                }
                const size_t r = (size_t)b * os * nx + a;
                double v = 0, vx = 0, vy = 0, vz = 0;
                for (int q = 0; q < 4; q++) {
                    const double ax = ax0[r + (size_t)q * nx];
                    v += wy[q] * ax;
                    vy += dwy[q] * ax;
                    vx += wy[q] * dx0[r + (size_t)q * nx];
                    vz += wy[q] * ax1[r + (size_t)q * nx];
                }
                g[at] = v;
                if (gx) {
                    gx[at] = vx;
                    gy[at] = vy;
                    gz[at] = vz;
                }
            }
        }
        return;
    }
    for (int b = 0; b < ny; b++) {
        long ky = ky0 + (long)b * os;
        for (int a = 0; a < nx; a++) {
            long kx = kx0 + (long)a * os;
            size_t at = (size_t)b * nx + a;
            if (kx < 0 || ky < 0 || kx > n - 2 || ky > n - 2) {
                g[at] = 0.0;
                if (gx) gx[at] = gy[at] = gz[at] = 0.0;
                continue;
            }
            /* z contraction of the 4 × 4 node columns: s0 the value, s1 ∂/∂z. Neighbouring pixels
             * read neighbouring runs of the same node rows (oversample nodes apart). */
            double s0[4][4], s1[4][4];
            if (z_inside && kx >= 1 && ky >= 1 && kx <= n - 3 && ky <= n - 3) {
                const float *base = psf->coef + ((size_t)(kz - 1) * n + (size_t)(ky - 1)) * n + kx - 1;
                for (int q = 0; q < 4; q++) {
                    const float *r0 = base + (size_t)q * n, *r1 = r0 + plane, *r2 = r1 + plane,
                                *r3 = r2 + plane;
                    for (int r = 0; r < 4; r++) {
                        s0[q][r] = fz[0] * r0[r] + fz[1] * r1[r] + fz[2] * r2[r] + fz[3] * r3[r];
                        s1[q][r] = fdz[0] * r0[r] + fdz[1] * r1[r] + fdz[2] * r2[r] + fdz[3] * r3[r];
                    }
                }
            } else {
                for (int q = 0; q < 4; q++) {
                    int yi = spline_mirror((int)ky - 1 + q, n);
                    for (int r = 0; r < 4; r++) {
                        int xi = spline_mirror((int)kx - 1 + r, n);
                        s0[q][r] = s1[q][r] = 0.0;
                        for (int m = 0; m < 4; m++) {
                            float cv = psf->coef[(size_t)zi[m] * plane + (size_t)yi * n + xi];
                            s0[q][r] += fz[m] * cv;
                            s1[q][r] += fdz[m] * cv;
                        }
                    }
                }
            }
            double v = 0, vx = 0, vy = 0, vz = 0;
            for (int q = 0; q < 4; q++) {
                double ax = wx[0] * s0[q][0] + wx[1] * s0[q][1] + wx[2] * s0[q][2] + wx[3] * s0[q][3];
                v += wy[q] * ax;
                vy += dwy[q] * ax;
                if (gx) {
                    vx += wy[q] * (dwx[0] * s0[q][0] + dwx[1] * s0[q][1] + dwx[2] * s0[q][2] +
                                   dwx[3] * s0[q][3]);
                    vz += wy[q] * (wx[0] * s1[q][0] + wx[1] * s1[q][1] + wx[2] * s1[q][2] +
                                   wx[3] * s1[q][3]);
                }
            }
            g[at] = v;
            if (gx) {
                gx[at] = vx;
                gy[at] = vy;
                gz[at] = vz;
            }
        }
    }
}
