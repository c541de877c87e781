/* Multi-emitter refinement of one frame's records: every molecule's maximum-likelihood fit models
 * the expected light of the molecules whose windows overlap its own, and the fits are repeated
 * until none moves (block coordinate ascent of the joint likelihood, converging to its optimum). */
#ifndef LOCALIZE_MULTI_EMITTER_H
#define LOCALIZE_MULTI_EMITTER_H

#include "mumloc.h"
#include "optics/crlb.h"

/* What a call did (for benchmarks and tests; any pointer may be NULL). */
typedef struct multi_emitter_stats {
    int sweeps;    /* passes over the molecules with neighbours after the independent fits */
    int refits;    /* fits made after the independent ones */
    int converged; /* 1: the last sweep moved no molecule by more than the tolerance */
} multi_emitter_stats;

/* Refines x, y, z of locs[0 .. count−1] (frame, drift and the trust rule of
 * mumloc_localizations_refine; map: a rig's plane map for raw camera frames, or NULL; other fields
 * untouched). The inputs must have passed
 * localizations_check. unresolved (count values, or NULL) gets 1 for each record whose
 * nearest other record is closer than the two molecules' images can be told apart (the Sparrow
 * limit 2w, w the two images' root-mean-square width, in the plane where the pair is sharpest),
 * else 0. */
mumloc_status refine_multi_emitter(const mumloc_optics *optics,
                                          const pixel_noise *noise, const float *frame,
                                          int width, int height, const double *dx_dy,
                                          const plane_map *map,
                                          mumloc_localization *locs, int count, int *unresolved,
                                          multi_emitter_stats *stats);

#endif
