/* A made-up rig for the per-plane optics tests: the default four planes, each with its own PSF curve
 * (w0, d, A, B) and transmission, all unlike the papers' common values. */
#ifndef TESTS_RIG_OPTICS_H
#define TESTS_RIG_OPTICS_H

#include "mumloc.h"

static void test_rig_optics(mumloc_optics *o) {
    mumloc_optics_default(o);
    o->per_plane = 1;
    o->plane_psf[0] = (mumloc_plane_psf){125.0, 290.0, 0.02, 0.15, 1.0};
    o->plane_psf[1] = (mumloc_plane_psf){150.0, 320.0, -0.03, 0.1, 1.8};
    o->plane_psf[2] = (mumloc_plane_psf){140.0, 300.0, 0.0, 0.12, 0.6};
    o->plane_psf[3] = (mumloc_plane_psf){160.0, 340.0, 0.01, 0.09, 1.2};
}

#endif
