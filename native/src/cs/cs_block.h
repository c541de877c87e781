/* One block: T frames of one region sharing a drift. Alternates the frames' Lassos (cs_lasso.h)
 * with a search over each plane's integer drift (science.md §5), plane 1 the reference.
 *
 * The search is coordinate-wise over planes 2..k, each over its (2D+1)² steps. Scoring a step with c
 * held fixed (the literal alternation) stalls at about half the drift: a c fitted at a wrong drift
 * explains the drifted plane with "ghost" voxels near that plane's depth, so moving the plane alone
 * never helps. So for plane d the molecules are first fitted without plane d (its share 0: a warm
 * Lasso, no ghosts for it), and each step is scored by the objective over all planes with that
 * support's amplitudes refitted (cs_support_refit: a Lasso over a few dozen voxels). Each full Lasso
 * then re-solves at the new drift; it stops when no plane's drift changes. */
#ifndef CS_BLOCK_H
#define CS_BLOCK_H

#include "cs/cs_lasso.h"

/* Alternations at most (a drift moves by at most 2D steps per plane; a few suffice). */
#define CS_ALTERNATIONS_MAX 12

/* Solves the block: y holds T centred frames (T × pixels), c[T] the solutions (warm starts), the
 * grid's shifts the drift (start and result). *lasso_iterations may be NULL. */
mumloc_status cs_block_solve(cs_grid *g, const mumloc_optics *o, const float *y, int frames, const cs_lasso_params *p,
                             int full_grid, double merge_nm, cs_sparse *c, cs_work *w,
                             int *lasso_iterations);

/* The drift search alone for fixed solutions; returns whether a shift changed. */
mumloc_status cs_drift_search(cs_grid *g, const float *y, int frames, const cs_sparse *c,
                              const cs_lasso_params *p, cs_work *w, int *changed);

#endif
