/* The PSF model interface (see psf_interface.h). */
#include "optics/psf_interface.h"

#include <math.h>
#include <stdlib.h>

#include "core/enum_names.h"
#include "core/error.h"
#include "optics/psf_model.h"

#define MAX_PARAMS (CRLB_BACKGROUND + MUMLOC_MAX_PLANES)

static const char *const kind_names[] = {"gaussian", "spline"};

const char *mumloc_psf_kind_name(int kind) {
    return enum_name(kind_names, ENUM_COUNT(kind_names), kind);
}

mumloc_status mumloc_psf_kind_from_name(const char *name, mumloc_psf_kind *kind) {
    int v;
    if (!kind) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "PSF model: no output given");
    ERROR_TRY(enum_from_name(kind_names, ENUM_COUNT(kind_names), "PSF model", name, &v));
    *kind = (mumloc_psf_kind)v;
    return MUMLOC_OK;
}

mumloc_status psf_model_check(const psf_model *m) {
    if (!m || !m->optics)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "a PSF model needs its optics");
    if (m->kind == MUMLOC_PSF_GAUSSIAN) return MUMLOC_OK;
    if (m->kind != MUMLOC_PSF_SPLINE || !m->spline)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "PSF model: kind must be gaussian or spline, and a spline model needs "
                           "one spline per plane (calibrate with --psf spline)");
    for (int d = 0; d < m->optics->planes; d++) {
        const spline_plane_psf *s = &m->spline[d];
        if (!s->coef)
            return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                               "spline PSF: plane %d has no spline; calibrate every plane", d + 1);
        if (fabs(s->pixel_nm - m->optics->pixel_nm) > 1e-9 * m->optics->pixel_nm)
            return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                               "spline PSF: plane %d was measured with %g nm pixels but the optics "
                               "say %g nm; use the optics of the calibration",
                               d + 1, s->pixel_nm, m->optics->pixel_nm);
    }
    return MUMLOC_OK;
}

static int pixel_of(double v_nm, double pixel_nm) {
    double f = floor(v_nm / pixel_nm);
    if (!(f > -1e8)) return -100000000;
    if (f > 1e8) return 100000000;
    return (int)f;
}

void psf_model_window(const psf_model *m, int plane, double x, double y, double z,
                             const double *dx_dy, int *i0, int *j0, int *nx, int *ny) {
    if (m->kind == MUMLOC_PSF_GAUSSIAN) {
        psf_plane pl;
        psf_plane_window(m->optics, plane, x, y, z, dx_dy, NULL, 0, 0, &pl);
        *i0 = pl.i0, *j0 = pl.j0, *nx = pl.nx, *ny = pl.ny;
        return;
    }
    const int h = spline_psf_window_half(&m->spline[plane], z);
    const double p = m->optics->pixel_nm;
    double cx = x - (dx_dy ? dx_dy[2 * plane] : 0.0), cy = y - (dx_dy ? dx_dy[2 * plane + 1] : 0.0);
    *i0 = pixel_of(cx, p) - h;
    *j0 = pixel_of(cy, p) - h;
    *nx = *ny = 2 * h + 1;
}

mumloc_status psf_model_eval(const psf_model *m, int plane, double x, double y,
                                    double z, const double *dx_dy, int i0, int j0, int nx, int ny,
                                    double *g, double *gx, double *gy, double *gz) {
    if (m->kind == MUMLOC_PSF_SPLINE) {
        double cx = x - (dx_dy ? dx_dy[2 * plane] : 0.0);
        double cy = y - (dx_dy ? dx_dy[2 * plane + 1] : 0.0);
        spline_psf_window(&m->spline[plane], cx, cy, z, i0, j0, nx, ny, g, gx, gy, gz);
        return MUMLOC_OK;
    }
    psf_plane pl;
    psf_plane_place(m->optics, plane, x, y, z, dx_dy, NULL, &pl);
    pl.i0 = i0, pl.j0 = j0, pl.nx = nx, pl.ny = ny;
    double *buffer = malloc(psf_plane_buffer_size(&pl) * sizeof *buffer + 1);
    if (!buffer) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory evaluating a PSF");
    psf_plane_eval(m->optics, &pl, buffer);
    for (int b = 0; b < ny; b++)
        for (int a = 0; a < nx; a++) {
            size_t at = (size_t)b * nx + a;
            double v, vx, vy, vz;
            psf_plane_pixel(&pl, a, b, &v, &vx, &vy, &vz);
            g[at] = v;
            if (gx) gx[at] = vx, gy[at] = vy, gz[at] = vz;
        }
    free(buffer);
    return MUMLOC_OK;
}

mumloc_status psf_model_bounds(const psf_model *m, const pixel_noise *noise,
                                      double x, double y, double z, double photons,
                                      const double *background, const double *dx_dy,
                                      double sigma[3]) {
    const int k = m->optics->planes;
    psf_dense views[MUMLOC_MAX_PLANES];
    double *store[MUMLOC_MAX_PLANES] = {0}, share[MUMLOC_MAX_PLANES];
    mumloc_status s = MUMLOC_OK;
    for (int d = 0; d < k && s == MUMLOC_OK; d++) {
        int i0, j0, nx, ny;
        psf_model_window(m, d, x, y, z, dx_dy, &i0, &j0, &nx, &ny);
        size_t count = (size_t)nx * ny;
        store[d] = malloc(4 * count * sizeof(double) + 1);
        if (!store[d]) {
            s = error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory for a CRLB");
            break;
        }
        double *g = store[d], *gx = g + count, *gy = gx + count, *gz = gy + count;
        s = psf_model_eval(m, d, x, y, z, dx_dy, i0, j0, nx, ny, g, gx, gy, gz);
        views[d] = (psf_dense){i0, j0, nx, ny, g, gx, gy, gz};
        share[d] = mumloc_optics_plane_share(m->optics, d);
    }
    if (s == MUMLOC_OK) {
        double fisher[MAX_PARAMS * MAX_PARAMS], diagonal[MAX_PARAMS];
        fisher_dense(k, noise, views, share, photons, background, fisher);
        fisher_inverse_diagonal(fisher, CRLB_BACKGROUND + k, diagonal);
        for (int a = 0; a < 3; a++) sigma[a] = sqrt(diagonal[a]);
    }
    for (int d = 0; d < k; d++) free(store[d]);
    return s;
}

mumloc_status psf_model_expected(const psf_model *m, double x, double y, double z,
                                        double photons, const double *background,
                                        const double *dx_dy, int width, int height, double *mu) {
    const size_t area = (size_t)width * height;
    for (int d = 0; d < m->optics->planes; d++) {
        double *plane = mu + d * area, N = photons * mumloc_optics_plane_share(m->optics, d);
        ERROR_TRY(psf_model_eval(m, d, x, y, z, dx_dy, 0, 0, width, height, plane, NULL,
                                         NULL, NULL));
        double b = background ? background[d] : 0.0;
        for (size_t i = 0; i < area; i++) plane[i] = N * plane[i] + b;
    }
    return MUMLOC_OK;
}
