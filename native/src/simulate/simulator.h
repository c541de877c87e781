/* Internals of the quad-plane simulator shared by its source files (and callable from the tests). */
#ifndef SIMULATE_SIMULATOR_H
#define SIMULATE_SIMULATOR_H

#include <stdint.h>

#include "mumloc.h"
#include "optics/spline_psf.h"
#include "simulate/camera_noise.h"
#include "simulate/samplers.h"
#include "simulate/ziggurat.h"

/* Limits that separate a typo from an experiment (validation messages quote them). */
#define SIM_MAX_SIDE 16384
#define SIM_MAX_FRAMES 1000000000LL
#define SIM_MAX_MOLECULES 100000
#define SIM_MAX_FILAMENTS 100

/* A structured sample (helix, filaments) is a set of 3D polylines tabulated densely enough to be
 * smooth at the pixel scale, with cumulative arc lengths so that emitters can be placed uniformly
 * by length. */
typedef struct sim_curve {
    int points;
    double *x, *y, *z;  /* nm */
    double *arc;        /* arc[i]: length from point 0 to point i; arc[points − 1] is the total */
} sim_curve;

struct mumloc_simulator {
    mumloc_sim_params params;
    int max_emitters;
    int curve_count;
    sim_curve *curves;
    double *curve_end;  /* cumulative total length up to and including curve i */
    /* Poisson(λ + j), j < table_count, for the camera model (physical noise only; see
     * sim_build_tables). */
    int table_count;
    poisson_table *tables;
    ziggurat_table ziggurat; /* layers for the read noise's normals */
    /* Stage drift (sim_stage_drift): per axis, harmonics h = 1..3 of sin(π h t + phase),
     * t = frame / frames, minus the value at t = 0, times scale. */
    double stage_amplitude[3][3], stage_phase[3][3], stage_offset[3], stage_scale[3];
    /* Slow camera drift (camera_drift.c): per plane and axis a constant plus harmonics h = 1..3 of
     * sin(π h t + phase), t = frame / frames, scaled into ±camera_drift_nm. */
    double camera_constant[MUMLOC_MAX_PLANES][2], camera_amplitude[MUMLOC_MAX_PLANES][2][3];
    double camera_phase[MUMLOC_MAX_PLANES][2][3];
    /* The PSF: NULL, the optics' Gaussian model; else a measured PSF, one spline per plane (owned
     * copies; sim_set_spline). */
    spline_plane_psf *spline;
};

/* Makes the simulator draw plane d with per_plane[d] (optics.planes splines, on the optics' pixel;
 * copied) instead of the Gaussian model; NULL goes back to the Gaussian. Photons mean the same in
 * both (psf_interface.h). The message names a plane that does not fit. */
mumloc_status sim_set_spline(mumloc_simulator *sim, const spline_plane_psf *per_plane);
/* The rig's PSF (rig/rig_psf.h): its spline file's splines, or the Gaussian (rig NULL or gaussian).
 * Fails naming the file when the rig's spline file is missing or changed. */
mumloc_status sim_use_rig_psf(mumloc_simulator *sim, const mumloc_rig *rig);
/* Plane d's spline, or NULL when the simulator draws the Gaussian model. */
const spline_plane_psf *sim_spline(const mumloc_simulator *sim, int plane);

/* Field area in µm². */
double sim_field_area_um2(const mumloc_sim_params *params);

/* Upper bound of the density-mode count: mean + 10·sqrt(mean) + 10, so the cap changes the Poisson
 * law by less than 1e-20 in probability. */
int sim_density_cap(double mean);

/* Builds the Poisson tables of the physical camera model: Poisson(λ + j) for j < 64 when λ ≤ 100
 * (about 100–200 KiB), Poisson(λ) alone when λ ≤ 1000, none beyond (rejection is cheap there). */
mumloc_status sim_build_tables(mumloc_simulator *sim);
void sim_free_tables(mumloc_simulator *sim);

/* Builds the helix or the filaments of sim->params into sim->curves (nothing for uniform). */
mumloc_status sim_build_curves(mumloc_simulator *sim);
void sim_free_curves(mumloc_simulator *sim);
/* Point at arc length s (0 ≤ s < total length of all curves) along the curves. */
void sim_curve_point(const mumloc_simulator *sim, double s, double *x, double *y, double *z);

/* Emitters of one frame, in index order; returns the count (≤ max_emitters). Pure function of
 * (seed, frame, params). */
int sim_frame_emitters(const mumloc_simulator *sim, int64_t frame, mumloc_emitter *out);
/* The emitters the camera sees in one frame: the truth shifted by the stage drift. */
int sim_frame_imaged_emitters(const mumloc_simulator *sim, int64_t frame, mumloc_emitter *out);
/* Draws the stage drift path of sim->params (nothing to draw when stage_drift_nm is 0). */
void sim_build_stage_drift(mumloc_simulator *sim);
/* Stage drift at a frame, dxyz[3] in nm. */
void sim_stage_drift(const mumloc_simulator *sim, int64_t frame, double *dxyz);
/* Drifts of one frame: dx_dy[2d], dx_dy[2d + 1] per plane d; plane 0 is 0. */
void sim_frame_drift(const mumloc_simulator *sim, int64_t frame, double *dx_dy);
/* Draws the slow camera drift of sim->params (camera_drift_nm 0: none). */
void sim_build_camera_drift(mumloc_simulator *sim);
/* Adds the slow camera drift at a frame to dx_dy (mumloc_simulate_drift's layout). */
void sim_add_camera_drift(const mumloc_simulator *sim, int64_t frame, double *dx_dy);

/* How one plane's camera sees the reference scene: a rig camera (mumloc_rig_camera) with its own
 * geometry, camera model and frame offset. */
typedef struct sim_view {
    int mapped;              /* 1: emitter centres go through to_camera and PSF widths scale by
                                width_scale; 0: the reference geometry (as without a view) */
    double to_camera[6];     /* reference pixels → this camera's pixels (mumloc_rig_camera) */
    double width_scale;      /* sqrt|det| of to_camera's linear part */
    int64_t frame_offset;    /* camera frame f shows reference frame f + frame_offset; a reference
                                frame before 0 shows no molecules */
    double offset_adu, adu_per_electron, em_gain, read_noise_e; /* this camera's model */
} sim_view;

/* mumloc_simulate_frames with one view per plane (views NULL: the simulator's own camera and
 * geometry, bit-identical to mumloc_simulate_frames). Noise is keyed by the camera's frame. */
mumloc_status sim_frames_viewed(const mumloc_simulator *sim, const sim_view *views,
                                       int64_t first, int64_t count, float *pixels);

/* The model of a camera: camera's fields, or a rig view's own (offset, gains, read noise; the
 * background is camera's either way). physical: MUMLOC_NOISE_PHYSICAL. */
camera_noise_model sim_camera_model(const mumloc_camera *camera,
                                            const sim_view *view, int physical,
                                            const poisson_table *tables, int table_count,
                                            const ziggurat_table *ziggurat);

/* Adds plane `plane` of n emitters (reference frame, nm) to rows [row0, row1) of out as the view's
 * camera sees it (view NULL or not mapped: render_plane_rows with the drift), with the
 * Gaussian model or, when spline is not NULL, that plane's measured PSF (in the camera's own pixels,
 * so a mapped view moves its centres and leaves its shape); mapped holds n
 * emitters of scratch space, scratch as for render_plane_rows. */
void sim_render_view(const mumloc_optics *optics, const spline_plane_psf *spline,
                            const sim_view *view, int plane,
                            int width, int height, int row0, int row1, double dx_nm, double dy_nm,
                            const mumloc_emitter *emitters, int n, mumloc_emitter *mapped,
                            double *out, double *scratch);

/* psf_pixels.c: adds the pixel-integrated PSFs of n emitters to rows [row0, row1) of plane `plane`
 * (its own PSF curve and photon share) imaging `depth`, with the plane's drift (dx, dy): out holds
 * (row1 − row0) × width doubles, row-major, and is added to. scratch needs 2·(width + height + 2) doubles. The
 * ±5w window is clipped to the image. */
void render_plane_rows(const mumloc_optics *optics, int plane, int width, int height,
                              int row0, int row1, double depth_nm, double dx_nm, double dy_nm,
                              const mumloc_emitter *emitters, int n, double *out, double *scratch);

/* render_plane_rows with a measured PSF (the plane's spline, optics/spline_eval.h) over each
 * molecule's reach (spline_reach_nm) clipped to the image; molecules at their own depth z. */
void render_spline_rows(const mumloc_optics *optics, const spline_plane_psf *psf, int plane,
                               int width, int height, int row0, int row1, double dx_nm, double dy_nm,
                               const mumloc_emitter *emitters, int n, double *out);

#endif
