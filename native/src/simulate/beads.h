/* The bead z-stack simulator's internals (mumloc_simulate_beads writes the files; io/bead_files.c). */
#ifndef SIMULATE_BEADS_H
#define SIMULATE_BEADS_H

#include "mumloc.h"

/* Places params->beads beads uniformly in camera 1's field (margin inside, spacing apart), drawn from
 * the seed: x_nm, y_nm hold beads values each. Fails naming the options when they do not fit. */
mumloc_status beads_place(const mumloc_rig *rig, const mumloc_bead_params *params,
                                 double *x_nm, double *y_nm);
/* The scan at step s: the beads' depth and lateral drift. */
void beads_scan(const mumloc_bead_params *params, int step, double *z_nm, double *dx_nm,
                       double *dy_nm);
/* Every camera's image at one step (planes × height × width floats, camera counts before any
 * rounding), multithreaded, a pure function of (seed, step). */
mumloc_status beads_render_step(const mumloc_rig *rig, const mumloc_bead_params *params,
                                       const double *x_nm, const double *y_nm, int step, float *out);

#endif
