/* The spline PSF's per-pixel evaluation as element-wise HD functions: the CPU simulator and the
 * CUDA simulator call these, so the logic the GPU runs is the logic the CPU tests exercise; the
 * fit's window (spline_psf_window, sums in double over a shared node block) locates the molecule
 * with the same spline_locate_z / spline_locate_xy. On the GPU, psf->coef and psf->rms_nm are device
 * copies (the struct is passed by value with its pointers swapped).
 *
 * A molecule is located once per plane against a window origin (pixel i0, j0): the basis weights of
 * its fractional position, shared by every pixel of the window (pixels lie a whole number of
 * oversample nodes apart); pixel (i0 + a, j0 + b) then reads the node block a · os, b · os further. */
#ifndef OPTICS_SPLINE_EVAL_H
#define OPTICS_SPLINE_EVAL_H

#include <math.h>

#include "core/hd.h"
#include "optics/psf.h"
#include "optics/spline_grid.h"

typedef struct spline_at {
    long kx0, ky0;             /* node of the cell holding pixel (i0, j0)'s centre */
    int kz, z_inside;          /* z cell; z_inside: no mirrored z tap */
    int zi[4];                 /* z nodes with mirror ends */
    float wz[4], dwz[4];       /* z weights and their derivatives by z (0 outside the range) */
    double wx[4], dwx[4], wy[4], dwy[4]; /* lateral weights; derivatives by the molecule's x, y */
} spline_at;

/* The cubic B-spline basis at t ∈ [0, 1): weights of nodes k−1 .. k+2 and their derivatives by t. */
HD void bspline_basis(double t, double w[4], double dw[4]) {
    double s = 1.0 - t, t2 = t * t, t3 = t2 * t;
    w[0] = s * s * s / 6.0;
    w[1] = (3.0 * t3 - 6.0 * t2 + 4.0) / 6.0;
    w[2] = (-3.0 * t3 + 3.0 * t2 + 3.0 * t + 1.0) / 6.0;
    w[3] = t3 / 6.0;
    dw[0] = -0.5 * s * s;
    dw[1] = 1.5 * t2 - 2.0 * t;
    dw[2] = -1.5 * t2 + t + 0.5;
    dw[3] = 0.5 * t2;
}

/* Node index with the prefilter's mirror ends. */
HD int spline_mirror(int k, int n) {
    if (k < 0) return -k;
    if (k > n - 1) return 2 * (n - 1) - k;
    return k;
}

/* The z part of locating a molecule at depth z: its cell kz, the 4 z nodes with mirror ends, their
 * weights and derivatives by z (clamped to the nodes' range, where ∂/∂z is 0). Returns z_inside (no
 * mirrored z tap). Shared by spline_locate and the fit's window (spline_psf_window). */
HD int spline_locate_z(const spline_plane_psf *psf, double z, int *kz_out, int zi[4], double wz[4],
                       double dwz[4]) {
    const int nz = psf->nz;
    double sz = (z - psf->z0_nm) / psf->z_step_nm, z_scale = 1.0 / psf->z_step_nm;
    if (!(sz > 0.0)) sz = 0.0, z_scale = 0.0;
    if (sz > nz - 1) sz = nz - 1, z_scale = 0.0;
    int kz = (int)floor(sz);
    if (kz > nz - 2) kz = nz - 2;
    bspline_basis(sz - kz, wz, dwz);
    for (int m = 0; m < 4; m++) {
        zi[m] = spline_mirror(kz - 1 + m, nz);
        dwz[m] *= z_scale;
    }
    *kz_out = kz;
    return kz >= 1 && kz <= nz - 3;
}

/* The lateral part against window origin (i0, j0): the node (kx0, ky0) of the cell holding pixel
 * (i0, j0)'s centre and the basis weights there, with derivatives by the molecule's cx, cy. */
HD void spline_locate_xy(const spline_plane_psf *psf, double cx, double cy, int i0, int j0,
                         long *kx0, long *ky0, double wx[4], double dwx[4], double wy[4],
                         double dwy[4]) {
    const int c = psf->half * psf->oversample;
    const double p = psf->pixel_nm, h = p / psf->oversample;
    /* continuous node index of pixel (i0, j0)'s centre */
    double sx = ((i0 + 0.5) * p - cx) / h + c, sy = ((j0 + 0.5) * p - cy) / h + c;
    if (!(fabs(sx) < 1e9 && fabs(sy) < 1e9)) sx = sy = -1e9; /* far away or not finite: all zero */
    double fx = floor(sx), fy = floor(sy);
    bspline_basis(sx - fx, wx, dwx);
    bspline_basis(sy - fy, wy, dwy);
    const double inv_h = 1.0 / h;
    for (int m = 0; m < 4; m++) {
        dwx[m] *= -inv_h; /* ∂/∂cx = −∂/∂u */
        dwy[m] *= -inv_h;
    }
    *kx0 = (long)fx;
    *ky0 = (long)fy;
}

/* Locates a molecule at (cx, cy, z) (nm, this plane's frame) against window origin (i0, j0). */
HD void spline_locate(const spline_plane_psf *psf, double cx, double cy, double z,
                                    int i0, int j0, spline_at *at) {
    double wz[4], dwz[4];
    at->z_inside = spline_locate_z(psf, z, &at->kz, at->zi, wz, dwz);
    for (int m = 0; m < 4; m++) {
        at->wz[m] = (float)wz[m];
        at->dwz[m] = (float)dwz[m];
    }
    spline_locate_xy(psf, cx, cy, i0, j0, &at->kx0, &at->ky0, at->wx, at->dwx, at->wy, at->dwy);
}

/* g at pixel (i0 + a, j0 + b), per photon in the plane; with d (not NULL) also ∂g/∂x, ∂g/∂y, ∂g/∂z
 * in d[0..2]. Zero beyond the spline's lateral extent. */
HD double spline_pixel(const spline_plane_psf *psf, const spline_at *at, int a,
                                     int b, double *d) {
    const int n = psf->n;
    const long kx = at->kx0 + (long)a * psf->oversample, ky = at->ky0 + (long)b * psf->oversample;
    if (kx < 0 || ky < 0 || kx > n - 2 || ky > n - 2) {
        if (d) d[0] = d[1] = d[2] = 0.0;
        return 0.0;
    }
    /* z contraction of the 4 × 4 node columns: s0 the value, s1 ∂/∂z (only when asked). Neighbouring
     * pixels read neighbouring runs of the same node rows. */
    const size_t plane = (size_t)n * n;
    float s0[4][4], s1[4][4];
    if (at->z_inside && kx >= 1 && ky >= 1 && kx <= n - 3 && ky <= n - 3) {
        const float *base = psf->coef + ((size_t)(at->kz - 1) * n + (size_t)(ky - 1)) * n + kx - 1;
        for (int q = 0; q < 4; q++) {
            const float *r0 = base + (size_t)q * n, *r1 = r0 + plane, *r2 = r1 + plane,
                        *r3 = r2 + plane;
            for (int r = 0; r < 4; r++) {
                s0[q][r] = at->wz[0] * r0[r] + at->wz[1] * r1[r] + at->wz[2] * r2[r] +
                           at->wz[3] * r3[r];
                if (d)
                    s1[q][r] = at->dwz[0] * r0[r] + at->dwz[1] * r1[r] + at->dwz[2] * r2[r] +
                               at->dwz[3] * r3[r];
            }
        }
    } else {
        for (int q = 0; q < 4; q++) {
            int yi = spline_mirror((int)ky - 1 + q, n);
            for (int r = 0; r < 4; r++) {
                int xi = spline_mirror((int)kx - 1 + r, n);
                s0[q][r] = s1[q][r] = 0.0f;
                for (int m = 0; m < 4; m++) {
                    float cv = psf->coef[(size_t)at->zi[m] * plane + (size_t)yi * n + xi];
                    s0[q][r] += at->wz[m] * cv;
                    s1[q][r] += at->dwz[m] * cv;
                }
            }
        }
    }
    const double *wx = at->wx, *wy = at->wy, *dwx = at->dwx, *dwy = at->dwy;
    double v = 0, vx = 0, vy = 0, vz = 0;
    for (int q = 0; q < 4; q++) {
        double ax = wx[0] * s0[q][0] + wx[1] * s0[q][1] + wx[2] * s0[q][2] + wx[3] * s0[q][3];
        v += wy[q] * ax;
        if (d) {
            vy += dwy[q] * ax;
            vx += wy[q] * (dwx[0] * s0[q][0] + dwx[1] * s0[q][1] + dwx[2] * s0[q][2] +
                           dwx[3] * s0[q][3]);
            vz += wy[q] * (wx[0] * s1[q][0] + wx[1] * s1[q][1] + wx[2] * s1[q][2] + wx[3] * s1[q][3]);
        }
    }
    if (d) d[0] = vx, d[1] = vy, d[2] = vz;
    return v;
}

/* What the simulators draw: g at pixel (i0 + a, j0 + b), never below 0 — a measured spline rings
 * slightly negative in its tails (noise, interpolation), and an expected photon count cannot be. */
HD double spline_photon_share(const spline_plane_psf *psf, const spline_at *at,
                                            int a, int b) {
    double g = spline_pixel(psf, at, a, b, NULL);
    return g > 0.0 ? g : 0.0;
}

/* The spline's RMS width at depth z (nm), interpolated linearly between the z nodes' widths. */
HD double spline_rms_nm(const spline_plane_psf *psf, double z) {
    double s = (z - psf->z0_nm) / psf->z_step_nm;
    if (!(s > 0)) s = 0;
    if (s > psf->nz - 1) s = psf->nz - 1;
    int m = (int)floor(s);
    if (m > psf->nz - 2) m = psf->nz - 2;
    double t = s - m;
    return (1 - t) * psf->rms_nm[m] + t * psf->rms_nm[m + 1];
}

/* How far from its centre (nm) the simulators draw a molecule at depth z: PSF_WINDOW_WIDTHS
 * times the spline's RMS width there (as the Gaussian's ±5w), at most the spline's extent. */
HD double spline_reach_nm(const spline_plane_psf *psf, double z) {
    double reach = PSF_WINDOW_WIDTHS * spline_rms_nm(psf, z);
    double extent = psf->half * psf->pixel_nm;
    return reach < extent ? reach : extent;
}

#endif
