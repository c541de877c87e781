/* Sections through a plane's PSF for display (issue 13: Fiji's "MUMLoc Calibrate" shows the measured
 * PSF beside the Gaussian model): the pixel-integrated PSF (psf_interface.h, per photon in the plane)
 * of a molecule moved along x (xz section) or y (yz section) past a pixel centre, against depth. One
 * image per plane, four panels side by side with a 1-sample gap: measured xz | Gaussian xz |
 * measured yz | Gaussian yz; rows are depths (first row the shallowest). */
#ifndef OPTICS_PSF_SECTIONS_H
#define OPTICS_PSF_SECTIONS_H

#include "optics/psf_interface.h"

typedef struct psf_sections_grid {
    int lateral;            /* samples per panel row, centred on the pixel centre */
    double lateral_step_nm; /* the spline's node spacing */
    int depths;             /* rows */
    double z0_nm, z_step_nm;
    int width, height;      /* of one plane's image: 4 · lateral + 3, depths */
} psf_sections_grid;

/* The grid of plane `plane` of a spline model: the spline's lateral extent at its node spacing, its
 * z range at half its z step. */
void psf_sections_grid_of(const psf_model *spline, int plane,
                                 psf_sections_grid *grid);

/* Plane `plane`'s image (grid->width × grid->height floats) from the measured model (spline) and the
 * Gaussian model of the same optics. */
mumloc_status psf_sections(const psf_model *spline, int plane,
                                  const psf_sections_grid *grid, float *out);

#endif
