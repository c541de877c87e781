/* Where each plane's camera sees the reference frame (a rig's registration, mumloc_rig): the
 * exact affine map from camera 1's nm to camera d's own nm, applied where a molecule is placed in a
 * plane (psf_plane_place), so that fits, photometry and bounds work on the raw camera
 * images with no interpolation. NULL everywhere means the planes are already registered (the
 * papers' movies): every result is then bit for bit what it was without a map. */
#ifndef OPTICS_PLANE_MAP_H
#define OPTICS_PLANE_MAP_H

#include "mumloc.h"

typedef struct plane_map {
    int planes;
    /* camera d's point (u, v) nm of reference point (x, y) nm: u = j0 x + j1 y + shift0,
     * v = j2 x + j3 y + shift1 (the rig's to_camera with its shift in nm) */
    double jacobian[MUMLOC_MAX_PLANES][4];
    double shift_nm[MUMLOC_MAX_PLANES][2];
    /* sqrt|det|: the PSF's width in camera d's nm per reference nm (an isotropic PSF stays one
     * when the map's two scales differ by ~1 %, as real rigs' do) */
    double width_scale[MUMLOC_MAX_PLANES];
    /* The rig's measured PSF (issue 13): one spline per plane, in that plane's camera (spline_psf.h;
     * its lateral axes are the camera's, so the affine moves the centre and turns the derivatives
     * but the shape is the camera's own), or NULL for the optics' Gaussian curves. */
    const struct spline_plane_psf *spline;
} plane_map;

/* The rig's registration as a plane map (pixel_nm the rig's optics.pixel_nm); in rig/, which sits
 * above optics/. */
void plane_map_from_rig(const mumloc_rig *rig, plane_map *map);

/* Turns a plane's sums of derivative products over (u, v, rest…) — the camera's axes, which the
 * separable PSF factors give — into sums over (x, y, rest…), the reference axes: ∂/∂x = j0 ∂/∂u +
 * j2 ∂/∂v, ∂/∂y = j1 ∂/∂u + j3 ∂/∂v. gradient: n values (may be NULL); matrix: n × n symmetric,
 * row-major (may be NULL). jacobian NULL: nothing to do. */
void plane_map_to_reference(const double *jacobian, int n, double *gradient,
                                   double *matrix);

#endif
