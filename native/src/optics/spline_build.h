/* Building the spline PSF of one plane from a calibration bead z-stack (issue 13): beads aligned
 * sub-pixel, background subtracted, each normalised to its own in-focus photons, and all of them
 * fitted together by least squares onto the spline's fine lateral grid — each bead samples the
 * pixel-integrated PSF at its own sub-pixel phase, so together they fill the grid between camera
 * pixels. Then interpolated along z through the stage steps. */
#ifndef OPTICS_SPLINE_BUILD_H
#define OPTICS_SPLINE_BUILD_H

#include "optics/spline_psf.h"

typedef struct spline_beads {
    const float *images;      /* beads × steps × side × side, photons (background included); a
                                 patch of camera pixels around each bead, pixel (i, j) spanning
                                 [i·p, (i+1)·p) × [j·p, (j+1)·p) in the patch's frame */
    int beads, steps, side;
    const double *x_nm, *y_nm; /* each bead's centre in its patch's frame, or NULL: estimated
                                  (centroid, then registration against the spline) */
    const double *background; /* each bead's background, photons per pixel, or NULL: the median of
                                 its patch's border pixels over all steps */
    double z0_nm, z_step_nm;  /* the depth of step 0 (mumloc's frame) and the stage step */
    double z_smoothing_nm;    /* > 0: smooth the per-step fits along z (a Whittaker smoother whose
                                 response is ½ at this period; noisy beads), 0: none */
} spline_beads;

/* Builds the plane's spline (z nodes = the steps) with lateral grid pixel/oversample over ±half
 * pixels (side must be at least 2·half + 1). x_out, y_out (beads values each, or NULL) receive the
 * centres used. Fails with a message for too few beads (< 4), a stack without signal, or bad sizes. */
mumloc_status spline_psf_from_beads(const spline_beads *beads, double pixel_nm,
                                           int oversample, int half, spline_plane_psf *out,
                                           double *x_out, double *y_out);

/* The same from one plane of a bead z-stack hyperstack (images in the order plane fastest, then step:
 * image (step · planes + plane), each height × width photons) with the beads' positions in that plane
 * (nm, pixel (i, j) spanning [i·p, (i+1)·p)): a patch of 2·half + 1 pixels is cut around each bead;
 * beads whose patch leaves the image are left out (*used, when not NULL, says how many were kept).
 * The given positions only choose the patches (the builder finds and aligns the centres itself).
 * background: photons per pixel, or negative to take the median of the plane's images averaged over
 * the steps (right for sparse beads; where beads cover much of the field their tails raise it). */
mumloc_status spline_psf_from_stack(const float *stack, int planes, int plane, int width,
                                           int height, int steps, double z0_nm, double z_step_nm,
                                           const double *bead_x_nm, const double *bead_y_nm,
                                           int beads, double pixel_nm, int oversample, int half,
                                           double background, spline_plane_psf *out, int *used);

/* The same with the given positions taken as the beads' centres (no alignment, no centroid origin):
 * for beads registered elsewhere (a rig calibration), so that the spline's origin is the point the
 * registration calls the bead's position in this plane; z_smoothing_nm as spline_beads. */
mumloc_status spline_psf_from_stack_at(const float *stack, int planes, int plane, int width,
                                              int height, int steps, double z0_nm,
                                              double z_step_nm, const double *bead_x_nm,
                                              const double *bead_y_nm, int beads, double pixel_nm,
                                              int oversample, int half, double background,
                                              double z_smoothing_nm, spline_plane_psf *out,
                                              int *used);

#endif
