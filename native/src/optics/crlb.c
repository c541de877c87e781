/* Cramér–Rao lower bounds (see crlb.h and mumloc_crlb in mumloc.h). */
#include "optics/crlb.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "optics/psf_model.h"

#define MAX_PARAMS (CRLB_BACKGROUND + MUMLOC_MAX_PLANES)

pixel_noise pixel_noise_of(const mumloc_camera *camera) {
    pixel_noise n;
    /* The simulator's EM register turns n electrons into Gamma(n, G): variance 2 G² μ for any G > 1,
     * i.e. twice the Poisson variance once expressed in photons. Read noise σ electrons after the
     * register is σ / G photons. */
    n.excess = camera->em_gain > 1.0 ? 2.0 : 1.0;
    double s = camera->read_noise_e / camera->em_gain;
    n.read_variance = s * s;
    return n;
}

mumloc_status crlb_fisher(const mumloc_optics *o, const pixel_noise *noise, double x,
                                 double y, double z, double photons, const double *background,
                                 const double *dx_dy, const plane_map *map,
                                 double *fisher) {
    psf_plane pl[MUMLOC_MAX_PLANES];
    double *buffer = psf_planes_unclipped(o, x, y, z, dx_dy, map, pl);
    if (!buffer) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory for a CRLB");
    crlb_fisher_planes(o, noise, pl, photons, background, fisher);
    free(buffer);
    return MUMLOC_OK;
}

void crlb_fisher_planes(const mumloc_optics *o, const pixel_noise *noise,
                               const psf_plane *planes, double photons,
                               const double *background, double *fisher) {
    const int k = o->planes, n = CRLB_BACKGROUND + k;
    const double equal_split = photons / k;
    memset(fisher, 0, (size_t)n * n * sizeof *fisher);
    for (int d = 0; d < k; d++) {
        const psf_plane pl = planes[d];
        /* the plane's share of the photons (× 1.0 exactly for the papers' optics) */
        const double per_plane = equal_split * pl.gain;
        /* The 4×4 block of (x, y, z, photons), and the plane's background row, accumulated in
         * scalars so that the loop over a row vectorises. */
        double fxx = 0, fxy = 0, fxz = 0, fxn = 0, fyy = 0, fyz = 0, fyn = 0, fzz = 0, fzn = 0,
               fnn = 0, fbx = 0, fby = 0, fbz = 0, fbn = 0, fbb = 0;
        const double bg = background[d], excess = noise->excess, read = noise->read_variance;
        const double sz = pl.width_dz, inv_k = 1.0 / k * pl.gain; /* ∂(plane photons)/∂photons */
        for (int b = 0; b < pl.ny && pl.spline; b++) { /* a measured PSF: dense values */
            const size_t row = (size_t)b * pl.stride;
            for (int a = 0; a < pl.nx; a++) {
                double g = pl.g[row + a];
                double var = excess * (per_plane * g + bg) + read;
                double inv = var > 0.0 ? 1.0 / var : 0.0;
                double gx = per_plane * pl.gx[row + a], gy = per_plane * pl.gy[row + a];
                double gz = per_plane * pl.gz[row + a], gn = g * inv_k;
                double ix = gx * inv, iy = gy * inv, iz = gz * inv, in = gn * inv;
                fxx += gx * ix, fxy += gy * ix, fxz += gz * ix, fxn += gn * ix;
                fyy += gy * iy, fyz += gz * iy, fyn += gn * iy;
                fzz += gz * iz, fzn += gn * iz, fnn += gn * in;
                fbx += ix, fby += iy, fbz += iz, fbn += in, fbb += inv;
            }
        }
        for (int b = 0; b < pl.ny && !pl.spline; b++) {
            const double my = pl.my[b], dmy = pl.dmy[b], wmy = pl.wmy[b];
            const double *mx = pl.mx, *dmx = pl.dmx, *wmx = pl.wmx;
#pragma omp simd reduction(+ : fxx, fxy, fxz, fxn, fyy, fyz, fyn, fzz, fzn, fnn, fbx, fby, fbz, \
                               fbn, fbb)
            for (int a = 0; a < pl.nx; a++) {
                double g = mx[a] * my;
                double var = excess * (per_plane * g + bg) + read;
                /* a pixel of zero variance (no light, no noise) is skipped */
                double inv = var > 0.0 ? 1.0 / var : 0.0;
                double gx = per_plane * dmx[a] * my, gy = per_plane * mx[a] * dmy;
                double gz = per_plane * (wmx[a] * my + mx[a] * wmy) * sz, gn = g * inv_k;
                double ix = gx * inv, iy = gy * inv, iz = gz * inv, in = gn * inv;
                fxx += gx * ix;
                fxy += gy * ix;
                fxz += gz * ix;
                fxn += gn * ix;
                fyy += gy * iy;
                fyz += gz * iy;
                fyn += gn * iy;
                fzz += gz * iz;
                fzn += gn * iz;
                fnn += gn * in;
                fbx += ix;
                fby += iy;
                fbz += iz;
                fbn += in;
                fbb += inv;
            }
        }
        /* (x, y, z, photons, b_d); x, y along the camera's axes until the plane map turns them */
        double f[5][5] = {{fxx, fxy, fxz, fxn, fbx},
                          {fxy, fyy, fyz, fyn, fby},
                          {fxz, fyz, fzz, fzn, fbz},
                          {fxn, fyn, fzn, fnn, fbn},
                          {fbx, fby, fbz, fbn, fbb}};
        plane_map_to_reference(pl.jacobian, 5, NULL, &f[0][0]);
        const int bd = CRLB_BACKGROUND + d;
        for (int r = 0; r < 4; r++) {
            for (int c = r; c < 4; c++) {
                fisher[r * n + c] += f[r][c];
                if (c != r) fisher[c * n + r] += f[r][c];
            }
            fisher[r * n + bd] += f[r][4];
            fisher[bd * n + r] += f[r][4];
        }
        fisher[bd * n + bd] += f[4][4];
    }
}

void fisher_inverse_diagonal(const double *fisher, int n, double *diagonal) {
    /* Work on the correlation form C = S F S, S = diag(1/√F_ii), so the pivot test is scale-free;
     * then (F⁻¹)_ii = (C⁻¹)_ii / F_ii. */
    double scale[MAX_PARAMS], L[MAX_PARAMS][MAX_PARAMS];
    int keep[MAX_PARAMS], m = 0;
    for (int i = 0; i < n; i++) {
        diagonal[i] = INFINITY;
        double f = fisher[i * n + i];
        if (f > 0.0 && isfinite(f)) {
            scale[i] = 1.0 / sqrt(f);
            keep[m++] = i;
        }
    }
    /* Cholesky C = L Lᵀ over the kept parameters, dropping any whose pivot vanishes. */
    int used[MAX_PARAMS], u = 0;
    for (int q = 0; q < m; q++) {
        int i = keep[q];
        double row[MAX_PARAMS];
        for (int r = 0; r < u; r++) {
            int jr = used[r];
            double s = fisher[i * n + jr] * scale[i] * scale[jr];
            for (int t = 0; t < r; t++) s -= row[t] * L[r][t];
            row[r] = s / L[r][r];
        }
        double pivot = 1.0;
        for (int t = 0; t < u; t++) pivot -= row[t] * row[t];
        if (!(pivot > 1e-12)) continue;
        for (int t = 0; t < u; t++) L[u][t] = row[t];
        L[u][u] = sqrt(pivot);
        used[u++] = i;
    }
    /* (C⁻¹)_ii = ‖L⁻¹ e_i‖²: solve L y = e_i by forward substitution for each kept parameter. */
    for (int r = 0; r < u; r++) {
        double yv[MAX_PARAMS] = {0}, sum = 0;
        for (int t = r; t < u; t++) {
            double s = t == r ? 1.0 : 0.0;
            for (int q = r; q < t; q++) s -= L[t][q] * yv[q];
            yv[t] = s / L[t][t];
            sum += yv[t] * yv[t];
        }
        int i = used[r];
        diagonal[i] = sum * scale[i] * scale[i];
    }
}

static void bounds_of(const mumloc_optics *o, const double *fisher, double sigma[3]) {
    double diagonal[MAX_PARAMS];
    fisher_inverse_diagonal(fisher, CRLB_BACKGROUND + o->planes, diagonal);
    for (int a = 0; a < 3; a++) sigma[a] = sqrt(diagonal[a]);
}

mumloc_status crlb_bounds(const mumloc_optics *o, const pixel_noise *noise, double x,
                                 double y, double z, double photons, const double *background,
                                 const double *dx_dy, const plane_map *map,
                                 double sigma[3]) {
    double fisher[MAX_PARAMS * MAX_PARAMS];
    ERROR_TRY(crlb_fisher(o, noise, x, y, z, photons, background, dx_dy, map, fisher));
    bounds_of(o, fisher, sigma);
    return MUMLOC_OK;
}

void crlb_bounds_planes(const mumloc_optics *o, const pixel_noise *noise,
                               const psf_plane *planes, double photons,
                               const double *background, double sigma[3]) {
    double fisher[MAX_PARAMS * MAX_PARAMS];
    crlb_fisher_planes(o, noise, planes, photons, background, fisher);
    bounds_of(o, fisher, sigma);
}

mumloc_status mumloc_crlb(const mumloc_optics *optics, const mumloc_camera *camera, double x_nm,
                          double y_nm, double z_nm, double photons, const double *background,
                          double *sx_nm, double *sy_nm, double *sz_nm) {
    ERROR_TRY(mumloc_optics_validate(optics));
    ERROR_TRY(mumloc_camera_validate(camera));
    if (!sx_nm || !sy_nm || !sz_nm)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "CRLB outputs must not be NULL");
    if (!isfinite(x_nm) || !isfinite(y_nm) || !isfinite(z_nm) || fabs(x_nm) > 1e9 ||
        fabs(y_nm) > 1e9 || fabs(z_nm) > 1e9)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "CRLB position must be finite and within ±1e9 nm (got %g, %g, %g)", x_nm,
                           y_nm, z_nm);
    if (!(photons > 0.0 && photons <= 1e15))
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "CRLB photons must be above 0 and at most 1e15 (got %g)", photons);
    double bg[MUMLOC_MAX_PLANES];
    for (int d = 0; d < optics->planes; d++) {
        bg[d] = background ? background[d] : camera->background_photons;
        if (!(bg[d] >= 0.0 && bg[d] <= 1e9))
            return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                               "CRLB background of plane %d must be between 0 and 1e9 photons per "
                               "pixel (got %g)", d + 1, bg[d]);
    }
    pixel_noise noise = pixel_noise_of(camera);
    double sigma[3];
    ERROR_TRY(crlb_bounds(optics, &noise, x_nm, y_nm, z_nm, photons, bg, NULL, NULL, sigma));
    *sx_nm = sigma[0];
    *sy_nm = sigma[1];
    *sz_nm = sigma[2];
    return MUMLOC_OK;
}

void fisher_dense(int k, const pixel_noise *noise, const psf_dense *views,
                         const double *share, double photons, const double *background,
                         double *fisher) {
    const int n = CRLB_BACKGROUND + k;
    memset(fisher, 0, (size_t)n * n * sizeof *fisher);
    for (int d = 0; d < k; d++) {
        const psf_dense *v = &views[d];
        const double N = photons * share[d], bg = background[d];
        const int bd = CRLB_BACKGROUND + d;
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
