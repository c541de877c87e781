/* Pixel-integrated PSF model with analytic derivatives (see psf_model.h).
 *
 * A unit 1D Gaussian's mass on [e_i, e_{i+1}) is ½(erf(u_{i+1}) − erf(u_i)), u = (e − c)/(√2 w).
 * Since ∂erf(u)/∂u = (2/√π) e^{−u²}, ∂u/∂c = −1/(√2 w) and ∂u/∂w = −u/w:
 *     ∂mass/∂c = −(e^{−u_{i+1}²} − e^{−u_i²}) / (√(2π) w)
 *     ∂mass/∂w = −(u_{i+1} e^{−u_{i+1}²} − u_i e^{−u_i²}) / (√π w). */
#include "optics/psf_model.h"

#include <math.h>
#include <stdlib.h>

#include "core/error.h"
#include "optics/plane_optics.h"
#include "optics/psf.h"
#include "optics/spline_psf.h"

static const double PI = 3.14159265358979323846;

void psf_masses(double centre_nm, double width_nm, double pixel_nm, int i0, int n,
                       double *mass, double *d_centre, double *d_width) {
    const double k = 1.0 / (sqrt(2.0) * width_nm);
    const double dc = -1.0 / (sqrt(2.0 * PI) * width_nm);
    const double dw = -1.0 / (sqrt(PI) * width_nm);
    double edge = i0 * pixel_nm;
    double u = (edge - centre_nm) * k;
    double left = psf_edge(edge, centre_nm, k), left_g = exp(-u * u), left_ug = u * left_g;
    for (int a = 0; a < n; a++) {
        edge = (i0 + a + 1) * pixel_nm;
        u = (edge - centre_nm) * k;
        double right = psf_edge(edge, centre_nm, k);
        double right_g = exp(-u * u), right_ug = u * right_g;
        mass[a] = 0.5 * (right - left);
        if (d_centre) d_centre[a] = dc * (right_g - left_g);
        if (d_width) d_width[a] = dw * (right_ug - left_ug);
        left = right;
        left_g = right_g;
        left_ug = right_ug;
    }
}

double psf_curve_slope(const mumloc_plane_psf *c, double dz_nm) {
    /* w = w0 √P(t): ∂w/∂Δz = w0 P'(t) / (2 √P(t) d) = w0² P'(t) / (2 w d). */
    double t = dz_nm / c->d_nm;
    double dp = 2.0 * t + 3.0 * c->A * t * t + 4.0 * c->B * t * t * t;
    double w = psf_width(c->w0_nm, c->d_nm, c->A, c->B, dz_nm);
    return c->w0_nm * c->w0_nm * dp / (2.0 * w * c->d_nm);
}

double psf_width_slope(const mumloc_optics *o, double dz_nm) {
    mumloc_plane_psf common = {o->psf_w0_nm, o->psf_d_nm, o->psf_A, o->psf_B, 1.0};
    return psf_curve_slope(&common, dz_nm);
}

/* The rig's exact affine: the plane's centre (drift applied, reference nm) into its camera's nm,
 * the width and its slope scaled by the map's sqrt|det|. */
static void map_to_camera(const plane_map *map, int plane, psf_plane *pl) {
    const double *j = map->jacobian[plane], x = pl->cx, y = pl->cy;
    pl->cx = j[0] * x + j[1] * y + map->shift_nm[plane][0];
    pl->cy = j[2] * x + j[3] * y + map->shift_nm[plane][1];
    pl->width_nm *= map->width_scale[plane];
    pl->width_dz *= map->width_scale[plane];
    pl->jacobian = j;
}

void psf_plane_place(const mumloc_optics *o, int plane, double x, double y, double z,
                            const double *dx_dy, const plane_map *map,
                            psf_plane *pl) {
    double dz = o->plane_depth_nm[plane] - z;
    mumloc_plane_psf curve = mumloc_optics_plane_psf(o, plane);
    pl->cx = x - (dx_dy ? dx_dy[2 * plane] : 0.0);
    pl->cy = y - (dx_dy ? dx_dy[2 * plane + 1] : 0.0);
    pl->gain = optics_plane_gain(o, plane);
    pl->width_nm = psf_width(curve.w0_nm, curve.d_nm, curve.A, curve.B, dz);
    pl->width_dz = -psf_curve_slope(&curve, dz);
    pl->mx = pl->dmx = pl->wmx = pl->my = pl->dmy = pl->wmy = NULL;
    pl->jacobian = NULL;
    pl->spline = NULL;
    pl->g = pl->gx = pl->gy = pl->gz = NULL;
    if (map) map_to_camera(map, plane, pl);
    if (map && map->spline) { /* measured in the camera: its own width, no scaling */
        pl->spline = &map->spline[plane];
        pl->z_nm = z;
        pl->width_nm = spline_psf_width_nm(pl->spline, z);
        pl->width_dz = 0.0;
    }
}

/* Pixel index holding coordinate v, kept in int range for any finite or silly input. */
static int pixel_of(double v_nm, double pixel_nm) {
    double f = floor(v_nm / pixel_nm);
    if (!(f > -1e8)) return -100000000;
    if (f > 1e8) return 100000000;
    return (int)f;
}

int psf_plane_window(const mumloc_optics *o, int plane, double x, double y, double z,
                            const double *dx_dy, const plane_map *map, int width,
                            int height, psf_plane *pl) {
    psf_plane_place(o, plane, x, y, z, dx_dy, map, pl);
    double half = ceil(PSF_FIT_WIDTHS * pl->width_nm / o->pixel_nm);
    int h = half < PSF_FIT_MIN_HALF   ? PSF_FIT_MIN_HALF
            : half > PSF_FIT_MAX_HALF ? PSF_FIT_MAX_HALF
                                             : (int)half;
    if (pl->spline) h = spline_psf_window_half(pl->spline, z);
    int ic = pixel_of(pl->cx, o->pixel_nm), jc = pixel_of(pl->cy, o->pixel_nm);
    int i0 = ic - h, i1 = ic + h, j0 = jc - h, j1 = jc + h;
    if (width > 0) {
        if (i0 < 0) i0 = 0;
        if (j0 < 0) j0 = 0;
        if (i1 > width - 1) i1 = width - 1;
        if (j1 > height - 1) j1 = height - 1;
    }
    pl->i0 = i0;
    pl->j0 = j0;
    pl->nx = i1 >= i0 ? i1 - i0 + 1 : 0;
    pl->ny = j1 >= j0 ? j1 - j0 + 1 : 0;
    return pl->nx > 0 && pl->ny > 0;
}

void psf_plane_full(const mumloc_optics *o, int plane, double x, double y, double z,
                           const double *dx_dy, const plane_map *map, int width,
                           int height, psf_plane *pl) {
    psf_plane_place(o, plane, x, y, z, dx_dy, map, pl);
    pl->i0 = 0;
    pl->j0 = 0;
    pl->nx = width;
    pl->ny = height;
}

size_t psf_plane_buffer_size(const psf_plane *pl) {
    if (pl->spline) return 4 * (size_t)pl->nx * (size_t)pl->ny;
    return 3 * ((size_t)pl->nx + (size_t)pl->ny);
}

void psf_plane_eval(const mumloc_optics *o, psf_plane *pl, double *buffer) {
    if (pl->spline) {
        const size_t area = (size_t)pl->nx * pl->ny;
        pl->stride = pl->nx;
        pl->g = buffer;
        pl->gx = buffer + area;
        pl->gy = buffer + 2 * area;
        pl->gz = buffer + 3 * area;
        spline_psf_window(pl->spline, pl->cx, pl->cy, pl->z_nm, pl->i0, pl->j0, pl->nx,
                                 pl->ny, pl->g, pl->gx, pl->gy, pl->gz);
        return;
    }
    pl->mx = buffer;
    pl->dmx = pl->mx + pl->nx;
    pl->wmx = pl->dmx + pl->nx;
    pl->my = pl->wmx + pl->nx;
    pl->dmy = pl->my + pl->ny;
    pl->wmy = pl->dmy + pl->ny;
    psf_masses(pl->cx, pl->width_nm, o->pixel_nm, pl->i0, pl->nx, pl->mx, pl->dmx, pl->wmx);
    psf_masses(pl->cy, pl->width_nm, o->pixel_nm, pl->j0, pl->ny, pl->my, pl->dmy, pl->wmy);
}

double *psf_planes_unclipped(const mumloc_optics *o, double x, double y, double z,
                                    const double *dx_dy, const plane_map *map,
                                    psf_plane *pl) {
    size_t need = 0;
    for (int d = 0; d < o->planes; d++) {
        psf_plane_window(o, d, x, y, z, dx_dy, map, 0, 0, &pl[d]);
        need += psf_plane_buffer_size(&pl[d]);
    }
    double *buffer = malloc((need ? need : 1) * sizeof *buffer), *next = buffer;
    if (!buffer) return NULL;
    for (int d = 0; d < o->planes; d++) {
        psf_plane_eval(o, &pl[d], next);
        next += psf_plane_buffer_size(&pl[d]);
    }
    return buffer;
}

mumloc_status psf_model_image(const mumloc_optics *o, double x, double y, double z,
                                     double photons, const double *background, const double *dx_dy,
                                     const plane_map *map, int width, int height,
                                     double *mu, double *d_x, double *d_y,
                                     double *d_z, double *d_photons) {
    /* the Gaussian's factors, or a spline's dense values (map->spline) */
    const size_t need = map && map->spline ? 4 * (size_t)width * height : 3 * ((size_t)width + height);
    double *buffer = malloc(need * sizeof *buffer);
    if (!buffer) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory for a PSF model image");
    const double equal_split = photons / o->planes;
    const size_t area = (size_t)width * height;
    for (int d = 0; d < o->planes; d++) {
        psf_plane pl;
        psf_plane_full(o, d, x, y, z, dx_dy, map, width, height, &pl);
        psf_plane_eval(o, &pl, buffer);
        const double per_plane = equal_split * pl.gain; /* × 1.0 exactly for the papers' optics */
        double b = background ? background[d] : 0.0;
        for (int j = 0; j < height; j++)
            for (int i = 0; i < width; i++) {
                size_t at = d * area + (size_t)j * width + i;
                double g, gx, gy, gz;
                psf_plane_pixel(&pl, i, j, &g, &gx, &gy, &gz);
                if (mu) mu[at] = per_plane * g + b;
                if (d_x) d_x[at] = per_plane * gx;
                if (d_y) d_y[at] = per_plane * gy;
                if (d_z) d_z[at] = per_plane * gz;
                if (d_photons) d_photons[at] = g * pl.gain / o->planes;
            }
    }
    free(buffer);
    return MUMLOC_OK;
}
