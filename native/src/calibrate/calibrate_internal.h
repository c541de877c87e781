/* Bead z-stack calibration, internal stages (see calibrate.c for the order they run in).
 *
 * Coordinates are in pixels of the camera named, with pixel (i, j) covering [i, i+1) × [j, j+1)
 * (the rig file's convention). An affine a[6] maps (x, y) to (a0·x + a1·y + a2, a3·x + a4·y + a5). */
#ifndef CALIBRATE_INTERNAL_H
#define CALIBRATE_INTERNAL_H

#include "mumloc.h"
#include "optics/spline_file.h"

/* --- bead_find.c: beads in one camera's projection ----------------------------------------- */
typedef struct cal_beads {
    int count;
    double *x, *y;        /* coarse centre (centroid of the max projection) */
    double *peak;         /* projection peak above background, photons */
    int *saturated;       /* 1 when a pixel near the bead reaches the saturation level in any slice */
} cal_beads;

/* Finds beads in the max projection over slices of stack (photons, steps × height × width).
 * raw (ADU, same layout) and saturation_adu (> 0) flag saturated beads; raw NULL: none flagged. */
mumloc_status cal_beads_find(const float *photons, const float *raw, double saturation_adu,
                             int width, int height, int steps, cal_beads *beads);
void cal_beads_free(cal_beads *beads);

/* --- affine_fit.c -------------------------------------------------------------------------- */
/* Least squares affine from n point pairs (x, y) → (u, v) with weights w (NULL: 1). Returns 0 when
 * the points do not determine it (fewer than 3, or collinear). */
int cal_affine_lsq(const double *x, const double *y, const double *u, const double *v,
                   const double *w, int n, double a[6]);
void cal_affine_apply(const double a[6], double x, double y, double *u, double *v);
int cal_affine_invert(const double a[6], double inverse[6]);

/* Robust affine: repeated least squares on the pairs whose residual is within
 * max(3.5 σ, floor_px) of the previous fit (σ per axis from the median residual). inlier[i] (may be NULL) receives 1/0. Returns
 * the number of inliers (0 when no fit). *rms gets the inliers' RMS residual (pixels of u, v). */
int cal_affine_robust(const double *x, const double *y, const double *u, const double *v, int n,
                      double floor_px, double a[6], int *inlier, double *rms);

/* --- bead_match.c: one camera's beads onto the reference's ----------------------------------- */
typedef struct cal_match {
    double affine[6];     /* reference → camera, from the matched coarse positions */
    int dihedral;         /* 0..7: which flip/quarter turn (cal_dihedral) */
    int matched;          /* pairs */
    int *camera_bead;     /* per reference bead: the camera's bead index, or −1 */
    int best_votes, second_votes, second_dihedral; /* the flip search's evidence */
} cal_match;

/* The 2×2 integer matrix of dihedral element e (0..7): e < 4 rotations by e quarter turns, e ≥ 4
 * the mirror x → −x followed by (e − 4) quarter turns. */
void cal_dihedral(int e, int m[4]);
/* Flags of element e as the rig file records them (flip_x, flip_y, quarter_turns). */
void cal_dihedral_flags(int e, int *flip_x, int *flip_y, int *quarter_turns);

/* Tries the 8 flips/turns with a translation vote, then matches and fits a robust affine. Fails
 * naming the camera (1-based `camera`) when too few beads match or two flips explain the beads
 * equally well. */
mumloc_status cal_match_beads(const cal_beads *reference, const cal_beads *beads, int camera,
                              int min_beads, cal_match *match);
void cal_match_free(cal_match *match);

/* --- bead_track.c: each bead's image in each slice ----------------------------------------- */
typedef struct cal_spot {
    double x, y, w, photons, background;    /* pixels, pixels, pixels, photons, photons/pixel */
    double sx, sy, sw, sphotons;            /* their Cramér–Rao standard deviations */
    int valid;                              /* the fit converged to a usable spot */
    int width_ok;                           /* its width is clear of neighbours (PSF fit) */
} cal_spot;

/* Fits the pixel-integrated Gaussian (x, y, width, photons, background) to the bead near (x0, y0)
 * in every slice of one camera's stack (photons); read_noise_photons² is added to data and model
 * (the usual Poisson approximation of read noise). isolation_px: distance to the nearest other
 * bead (widths beyond a seventh of it are not width_ok). spots: steps entries. */
void cal_track_bead(const float *photons, int width, int height, int steps, double x0, double y0,
                    double isolation_px, double read_noise_photons, cal_spot *spots);

/* Distance from bead n to the nearest other bead of the set (INFINITY when alone). */
double cal_beads_isolation(const cal_beads *beads, int n);

/* --- scan_drift.c: the sample's lateral drift during the scan ------------------------------ */
/* Joint fit of x_{d,b}(i) = c_{d,b} + L_d s_i over cameras d, beads b, slices i: spots[d][b·steps+i]
 * (beads numbered as the reference's; NULL rows for beads a camera lacks: present[d][b] = 0),
 * linear[d] the 2×2 part (row-major) of reference → camera d. Outputs drift s (2 per slice, in
 * reference pixels, mean 0 over the slices that have data) and centres c[d][2b..2b+1]. Spots that
 * disagree with the fit by more than 5 standard deviations are marked invalid. */
mumloc_status cal_scan_drift(cal_spot *const *spots, const int *const *present, int cameras,
                             int beads, int steps, const double (*linear)[4], double *drift,
                             double *const *centres);

/* --- psf_curve_fit.c: per-plane defocus curves --------------------------------------------- */
typedef struct cal_psf_fit {
    double depth_nm[MUMLOC_MAX_PLANES];
    double w0_nm[MUMLOC_MAX_PLANES], d_nm[MUMLOC_MAX_PLANES], A[MUMLOC_MAX_PLANES],
        B[MUMLOC_MAX_PLANES];
    double transmission[MUMLOC_MAX_PLANES];
    double width_rms_nm[MUMLOC_MAX_PLANES];   /* RMS of width residuals */
    double chi2_dof[MUMLOC_MAX_PLANES];       /* reduced χ² of the width fit */
    int points[MUMLOC_MAX_PLANES];            /* (bead, slice) widths used */
    int beads[MUMLOC_MAX_PLANES];
    double *bead_z_nm;                        /* per bead: its depth at slice 0 (NaN: unused) */
} cal_psf_fit;

/* Fits per plane depth (plane 1 fixed at first_depth_nm), w0, d, A, B and each bead's depth at
 * slice 0 (beads at z_b + i·z_step in slice i) to the widths in spots (converted to nm by
 * nm_per_pixel[d]), and the transmissions from the photons. start gives d, A, B starts. */
mumloc_status cal_psf_curves(cal_spot *const *spots, const int *const *present, int cameras,
                             int beads, int steps, double z_step_nm, const double *nm_per_pixel,
                             double first_depth_nm, const mumloc_optics *start, cal_psf_fit *fit);
void cal_psf_fit_free(cal_psf_fit *fit);

/* --- calibrate_run.c: the stages in order -------------------------------------------------- */
typedef struct cal_input {
    int cameras, width, height, steps;
    const float *photons[MUMLOC_MAX_PLANES]; /* camera d: steps × height × width, photons */
    const float *raw[MUMLOC_MAX_PLANES];     /* the same in ADU, for saturation (NULL: none) */
    double saturation_adu;                   /* ≤ 0: no saturation check */
    double read_noise_photons[MUMLOC_MAX_PLANES];
    double z_step_nm, pixel_nm, first_depth_nm;
    int min_beads;
    mumloc_optics start;                     /* d, A, B starting values */
} cal_input;

typedef struct cal_result {
    int found[MUMLOC_MAX_PLANES];            /* beads found in each camera (unsaturated) */
    int saturated[MUMLOC_MAX_PLANES];        /* beads left out for saturation */
    int matched[MUMLOC_MAX_PLANES];          /* beads in the final affine fit (camera 1: tracked) */
    int dihedral[MUMLOC_MAX_PLANES];
    double affine[MUMLOC_MAX_PLANES][6];     /* reference → camera, camera pixels */
    double residual_nm[MUMLOC_MAX_PLANES];   /* RMS registration residual in the sample */
    double nm_per_pixel[MUMLOC_MAX_PLANES];  /* each camera's pixel in the sample */
    cal_psf_fit psf;
    int beads, steps;                        /* reference beads, slices */
    double *drift;                           /* 2 per slice, reference pixels */
    double *ref_x, *ref_y;                   /* per reference bead: drift-free centre */
    double *res_x[MUMLOC_MAX_PLANES], *res_y[MUMLOC_MAX_PLANES]; /* residual, reference pixels
                                                (NaN: not in the fit) */
    cal_spot *spots[MUMLOC_MAX_PLANES];      /* per camera: beads × steps */
    int *present[MUMLOC_MAX_PLANES];
} cal_result;

mumloc_status cal_run(const cal_input *in, cal_result *out);
void cal_result_free(cal_result *r);

/* --- calibrate_spline.c: the measured PSF per camera (--psf spline) ------------------------ */
/* One spline per camera from in's photons after cal_run: beads of the curve fit that have no
 * neighbour within a patch, in each camera's pixels, depths as the curve fit set them (the beads'
 * median z_b). Fails naming the camera and what to do. */
mumloc_status cal_spline_psf(const cal_input *in, const cal_result *r, spline_set *set);

#endif
