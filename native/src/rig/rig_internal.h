/* Rig internals shared by its source files, the simulator and the tests. */
#ifndef RIG_RIG_INTERNAL_H
#define RIG_RIG_INTERNAL_H

#include "mumloc.h"

#define RIG_VERSION 1
#define RIG_MAX_SIDE 16384
#define RIG_MAX_FRAME_OFFSET 1000000
/* Below this |det| an affine counts as singular. */
#define RIG_MIN_DET 1e-9
/* What is left of a camera's linear part after its flips and turns: beam splitters leave a
 * rotation of a fraction of a degree and about 1 % scale; these bounds separate that from a wrong
 * flip or turn (0.1745 rad = 10°). */
#define RIG_MAX_RESIDUAL_TURN 0.1745
#define RIG_MAX_SCALE_CHANGE 0.2

/* The linear map D = R^q · F of flips and quarter turns, row-major 2×2 (m[0] m[1]; m[2] m[3]). */
void rig_discrete_part(int flip_x, int flip_y, int quarter_turns, double m[4]);
/* sqrt|det| of the affine's linear part: how many of the camera's pixels one reference pixel spans. */
double rig_scale(const double to_camera[6]);

struct sim_view;
/* One simulator view per plane from the rig's cameras (simulate/simulator.h). registered = 1: every
 * camera in the reference geometry with its own camera model and no frame offset — the frames the
 * network sees once the planes are resampled onto camera 1's grid (training). */
void rig_sim_views(const mumloc_rig *rig, int registered, struct sim_view *views);

#endif
