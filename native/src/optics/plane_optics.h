/* Per-plane optics inside the library: how a plane's photons relate to the papers' equal split. */
#ifndef OPTICS_PLANE_OPTICS_H
#define OPTICS_PLANE_OPTICS_H

#include "mumloc.h"

/* k·t_d / Σ t: plane d's photons relative to an equal split (what psf_amplitude describes). Exactly
 * 1.0 when per_plane is 0 and when every transmission is 1, so multiplying an equal-split
 * amount by it leaves the papers' results bit for bit unchanged. */
double optics_plane_gain(const mumloc_optics *optics, int plane);

#endif
