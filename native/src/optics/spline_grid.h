/* The spline PSF's data (one plane): its grid and B-spline coefficients, apart from the functions
 * (optics/spline_psf.h builds and evaluates it for fits, optics/spline_eval.h per pixel for the
 * simulators), so that both headers can share it without including each other. */
#ifndef OPTICS_SPLINE_GRID_H
#define OPTICS_SPLINE_GRID_H

typedef struct spline_plane_psf {
    double pixel_nm;    /* camera pixel in the sample */
    int oversample;     /* lateral nodes per pixel (h = pixel / oversample) */
    int half;           /* lateral extent ±half pixels */
    int n;              /* lateral nodes per axis, 2 · half · oversample + 1 */
    int nz;             /* z nodes */
    double z0_nm, z_step_nm;
    float *coef;        /* B-spline coefficients [m][v][u] (u fastest), nz · n · n */
    double *rms_nm;     /* per z node: the larger of the x and y RMS widths of the pixel image (a
                           molecule on a pixel centre, over the whole extent), for fit windows */
} spline_plane_psf;

#endif
