/* One block: T frames of one region sharing a drift. Alternates the frames' Lassos (cs_lasso.h)
 * with a search over each plane's integer drift (science.md §5), plane 1 the reference.
 *
 * The search is coordinate-wise over planes 2..k, each over its (2D+1)² steps, scoring a step by the
 * frames' objectives with c refitted on its current support (cs_support_refit: a Lasso over a few
 * dozen voxels, cheap). Scoring with c held fixed does not work: a c fitted at a wrong drift explains
 * a drifted plane by "ghost" voxels near that plane's depth, so no single step improves a fixed-c fit
 * and the search stalls at about half the drift; the refit lets the ghosts fall to zero when the
 * step is right. Each full Lasso then re-solves at the new drift (KKT-checked on the whole grid);
 * it stops when no plane's drift changes. */
#ifndef MUMLOC_CS_BLOCK_H
#define MUMLOC_CS_BLOCK_H

#include "cs/cs_lasso.h"

/* Alternations at most (a drift moves by at most 2D steps per plane; a few suffice). */
#define CS_ALTERNATIONS_MAX 6

/* Solves the block: y holds T centred frames (T × pixels), c[T] the solutions (warm starts), the
 * grid's shifts the drift (start and result). *lasso_iterations may be NULL. */
mumloc_status cs_block_solve(cs_grid *g, const mumloc_optics *o, const float *y, int frames, const cs_lasso_params *p,
                             int full_grid, double merge_nm, cs_sparse *c, cs_work *w,
                             int *lasso_iterations);

/* The drift search alone for fixed solutions; returns whether a shift changed. */
mumloc_status cs_drift_search(cs_grid *g, const float *y, int frames, const cs_sparse *c,
                              const cs_lasso_params *p, cs_work *w, int *changed);

#endif
