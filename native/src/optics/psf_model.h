/* The pixel-integrated PSF of one molecule as a differentiable model (for fits and Cramér–Rao
 * bounds): the same erf pixel integrals as the simulator's renderer (optics/psf.h), plus their
 * derivatives with respect to the molecule's x, y and z.
 *
 * The image of a molecule in a plane is separable: pixel (i, j) gets mx[i] · my[j] per photon in that
 * plane, where mx[i] is the mass of a unit 1D Gaussian (centre cx, width w) on column i. So a window
 * of nx × ny pixels needs only nx + ny erf/exp evaluations per quantity. */
#ifndef OPTICS_PSF_MODEL_H
#define OPTICS_PSF_MODEL_H

#include "mumloc.h"
#include "optics/plane_map.h"
#include "optics/psf_window.h"


/* Masses of a unit 1D Gaussian (centre, width) on pixels i0 .. i0 + n − 1 (pixel i spans
 * [i·p, (i+1)·p)), and, when the pointers are not NULL, their derivatives with respect to the centre
 * and to the width. */
void psf_masses(double centre_nm, double width_nm, double pixel_nm, int i0, int n,
                       double *mass, double *d_centre, double *d_width);

/* ∂w/∂Δz of the common curve w(Δz) = w0 · sqrt(1 + t² + A t³ + B t⁴), t = Δz/d. (For a molecule at
 * depth z imaged by a plane at depth D, Δz = D − z, so ∂w/∂z = −this.) */
double psf_width_slope(const mumloc_optics *optics, double dz_nm);
/* The same for one plane's own curve (mumloc_optics_plane_psf). */
double psf_curve_slope(const mumloc_plane_psf *psf, double dz_nm);

/* One plane's view of one molecule: its window and the separable factors over it. */
typedef struct psf_plane {
    double cx, cy;          /* centre in this plane's camera (drift and plane map applied), nm */
    double gain;            /* this plane's photons relative to an equal split (1 for the papers'
                               optics): it holds photons / k · gain of a molecule's photons */
    double width_nm;        /* w(depth − z), the plane's own curve (× the plane map's scale) */
    double width_dz;        /* ∂w/∂z, z the molecule's depth */
    int i0, j0, nx, ny;     /* columns i0 .. i0+nx−1, rows j0 .. j0+ny−1 */
    double *mx, *dmx, *wmx; /* per column: mass, ∂mass/∂x, ∂mass/∂w */
    double *my, *dmy, *wmy; /* per row: the same along y */
    const double *jacobian; /* ∂(cx, cy)/∂(x, y) of the plane map, NULL for none (identity): the
                               factors' derivatives are along the camera's axes, turned into the
                               reference's by psf_plane_pixel / plane_map_to_reference */
    /* A measured PSF (the plane map's spline): NULL for the Gaussian factors above; else width_nm
     * is the spline's RMS width at z (for windows), and eval fills dense values g and derivatives
     * gx, gy (camera axes), gz over the window, pixel (a, b) at [b · stride + a]. */
    const struct spline_plane_psf *spline;
    double z_nm;
    int stride;
    double *g, *gx, *gy, *gz;
} psf_plane;

/* Sets centre, width, slope and the window of plane `plane` for a molecule at (x, y, z); dx_dy is the
 * frame's drift (2 per plane, the molecule appears at x − dx), or NULL for none; map is the rig's
 * registration (plane_map.h), or NULL when the planes are registered: the molecule then appears in
 * plane d's camera at map(x − dx, y − dy), with its width scaled by the map's sqrt|det|. When width > 0 the
 * window is clipped to [0, width) × [0, height); returns 0 when nothing of it is left. The factor
 * arrays are set by psf_plane_eval into a buffer the caller sizes with
 * psf_plane_buffer_size. */
int psf_plane_window(const mumloc_optics *optics, int plane, double x_nm, double y_nm,
                            double z_nm, const double *dx_dy, const plane_map *map,
                            int width, int height, psf_plane *pl);

/* Same as psf_plane_window, but the window is the whole image [0, width) × [0, height). */
void psf_plane_full(const mumloc_optics *optics, int plane, double x_nm, double y_nm,
                           double z_nm, const double *dx_dy, const plane_map *map,
                           int width, int height, psf_plane *pl);

/* Moves the molecule to (x, y, z): sets centre, width and slope, keeps the window (fits iterate over
 * a fixed set of pixels). */
void psf_plane_place(const mumloc_optics *optics, int plane, double x_nm, double y_nm,
                            double z_nm, const double *dx_dy, const plane_map *map,
                            psf_plane *pl);

/* Doubles psf_plane_eval needs for a window (3 · (nx + ny); a spline's 4 · nx · ny). */
size_t psf_plane_buffer_size(const psf_plane *pl);

/* Computes the factor arrays into buffer (psf_plane_buffer_size doubles). */
void psf_plane_eval(const mumloc_optics *optics, psf_plane *pl, double *buffer);

/* Windows (unclipped: psf_plane_window with width 0) and factors of all optics->planes planes
 * of a molecule, into pl[0 .. planes−1]; returns the buffer holding the factors (the caller frees it)
 * or NULL when out of memory. Photometry and CRLB of one molecule share this one evaluation. */
double *psf_planes_unclipped(const mumloc_optics *optics, double x_nm, double y_nm,
                                    double z_nm, const double *dx_dy, const plane_map *map,
                                    psf_plane *pl);

/* Per photon in the plane, at window pixel (a, b) = (column i0 + a, row j0 + b): the value g and its
 * derivatives with respect to the molecule's x, y and z. */
static inline void psf_plane_pixel(const psf_plane *pl, int a, int b, double *g,
                                          double *gx, double *gy, double *gz) {
    if (pl->spline) {
        const size_t at = (size_t)b * pl->stride + a;
        *g = pl->g[at];
        *gx = pl->gx[at];
        *gy = pl->gy[at];
        *gz = pl->gz[at];
    } else {
        double mx = pl->mx[a], my = pl->my[b];
        *g = mx * my;
        *gx = pl->dmx[a] * my;
        *gy = mx * pl->dmy[b];
        *gz = (pl->wmx[a] * my + mx * pl->wmy[b]) * pl->width_dz;
    }
    if (pl->jacobian) {
        const double *j = pl->jacobian, gu = *gx, gv = *gy;
        *gx = j[0] * gu + j[2] * gv;
        *gy = j[1] * gu + j[3] * gv;
    }
}

/* Per photon in the plane, g at window pixel (a, b) alone (the product mx[a] · my[b] for the
 * Gaussian). */
static inline double psf_plane_value(const psf_plane *pl, int a, int b) {
    return pl->spline ? pl->g[(size_t)b * pl->stride + a] : pl->mx[a] * pl->my[b];
}

/* c times g at window pixel (a, b), multiplied in the order the fits' results were made with:
 * c · g for the spline, (c · mx[a]) · my[b] for the Gaussian. */
static inline double psf_plane_scaled(const psf_plane *pl, int a, int b, double c) {
    return pl->spline ? c * pl->g[(size_t)b * pl->stride + a] : c * pl->mx[a] * pl->my[b];
}

/* The expected image of one molecule with `photons` expected photons summed over all k planes (each
 * plane gets photons / k · gain, i.e. photons · mumloc_optics_plane_share) on background[d]
 * photons per pixel in plane d (NULL: 0), over whole k × height × width images (frame layout of
 * mumloc.h), with drift dx_dy (NULL: none) and plane map (NULL: none; then each plane is its own
 * camera's image). Each non-NULL
 * derivative array (same size) receives ∂μ/∂x, ∂μ/∂y, ∂μ/∂z, ∂μ/∂photons. Returns
 * MUMLOC_ERR_OUT_OF_MEMORY on allocation failure. This is the simulator's expected image with
 * noise none (photons = k · c · a'/p²), without its ±5w cut-off. */
mumloc_status psf_model_image(const mumloc_optics *optics, double x_nm, double y_nm,
                                     double z_nm, double photons, const double *background,
                                     const double *dx_dy, const plane_map *map, int width,
                                     int height, double *mu,
                                     double *d_x, double *d_y, double *d_z, double *d_photons);

#endif
