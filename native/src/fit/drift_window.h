/* Windowed plane drift: the lateral drift of planes 2..k as a smooth function of time (drift_path.h),
 * estimated jointly from every molecule of a movie. Each molecule's own parameters are nuisance
 * parameters of its frame only, so the profiled information on the drift is the sum over frames of
 * each frame's Schur complement S_t (drift_profile.h), carried to the basis coefficients by φ(t):
 * H = Σ_t φ(t)φ(t)ᵀ ⊗ S_t, g = Σ_t φ(t) ⊗ r_t. Each pass refits every molecule at the current drift
 * and takes the profiled Fisher-scoring step −H⁻¹g (halved when the summed likelihood rises), so a
 * window of N frames estimates its drift from N frames' molecules: the bound falls as 1/√N from one
 * frame's (~11 nm at 8 molecules per 64×64 frame). The frames are read again on every pass through
 * a callback (a spool of the pushed frames, pipeline_window.c). */
#ifndef FIT_DRIFT_WINDOW_H
#define FIT_DRIFT_WINDOW_H

#include <stdint.h>

#include "fit/drift_path.h"
#include "fit/drift_profile.h"
#include "mumloc.h"
#include "optics/crlb.h"
#include "optics/plane_map.h"

/* Reads held frame `slot` (k × height × width photons) into pixels. */
typedef mumloc_status (*drift_window_read_fn)(void *user, int64_t slot, float *pixels);

typedef struct drift_window_input {
    const mumloc_optics *optics;
    const pixel_noise *noise;
    const plane_map *map; /* a rig's plane map for raw camera frames, or NULL */
    int width, height;           /* of the frames read */
    int window;                  /* frames per span of the drift's basis (≥ 2) */
    int64_t slots;               /* frames held */
    const int64_t *frame;        /* slots values: each held frame's index (time) */
    const int64_t *first;        /* slots + 1 values: slot s holds records first[s] .. first[s+1] */
    const mumloc_localization *locs; /* the decoded records (start positions, trust regions) */
    drift_window_read_fn read;
    void *user;
} drift_window_input;

typedef struct drift_window_result {
    drift_basis basis;
    int P;              /* drift values per function: 2(k − 1) */
    double *coefficient; /* functions × P */
    band_matrix covariance; /* the band of the coefficients' posterior covariance */
    int *molecules;     /* per slot: records that informed the estimate */
    int64_t used;       /* all of them */
    int passes, converged, clamped, rejected;
} drift_window_result;

/* Estimates the drift over the held frames (records must be finite, frames finite photons). With
 * fewer than 2 usable molecules in all, the drift is 0 with an infinite covariance. */
mumloc_status drift_window_estimate(const drift_window_input *in,
                                           drift_window_result *out);
void drift_window_free(drift_window_result *r);

/* Held frames of frame_floats floats each read per parallel chunk (about 32 MiB; at least 1, at most
 * slots when there are any): the estimate's passes and the localizer's final refit use the same. */
int64_t drift_window_chunk(int64_t frame_floats, int64_t slots);

/* The drift at frame t in mumloc_simulate_drift's layout (dx_dy, 2 per plane, plane 1 zero) and,
 * when cov is not NULL, its P × P covariance. */
void drift_window_at(const drift_window_result *r, int planes, double t,
                            double *dx_dy, double *cov);

/* The drift estimate's share of each record's position error: with its own Fisher blocks at its
 * position, photons and backgrounds (A, B as drift_profile.h), its position follows a drift error δ
 * by −A⁻¹B δ, so cov (P × P, the drift's covariance at this frame) adds (A⁻¹B) cov (A⁻¹B)ᵀ to its
 * bounds: uncertainty_xy and uncertainty_z grow in quadrature. Records without finite positive
 * photons are left as they are. */
mumloc_status drift_add_uncertainty(const mumloc_optics *optics,
                                           const pixel_noise *noise,
                                           const plane_map *map, const float *frame,
                                           int width, int height, const double *dx_dy,
                                           const double *cov, mumloc_localization *locs,
                                           int count);

#endif
