/* Alternation of Lasso and drift search over a block (see cs_block.h). */
#include "cs/cs_block.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

/* Σ_t of each frame's objective refitted on its own support at the grid's current shifts. */
static double refit_cost(const cs_grid *g, const float *y, int frames, const cs_sparse *c,
                         const cs_lasso_params *p, cs_work *w) {
    double cost = 0.0;
    for (int t = 0; t < frames; t++) cost += cs_support_refit(g, y + t * cs_grid_pixels(g), &c[t], p, w);
    return cost;
}

static mumloc_status copy_sparse(const cs_sparse *from, cs_sparse *to) {
    if (!cs_sparse_reserve(to, from->n > 0 ? from->n : 1))
        return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "no memory for the drift search");
    memcpy(to->idx, from->idx, sizeof *to->idx * (size_t)from->n);
    memcpy(to->val, from->val, sizeof *to->val * (size_t)from->n);
    to->n = from->n;
    return MUMLOC_OK;
}

/* Plane d's step: the molecules fitted without plane d (its share set to 0: no ghosts for it),
 * then each step scored with that support refitted on all planes. */
static mumloc_status search_plane(cs_grid *g, int d, const float *y, int frames,
                                  const cs_sparse *c, const cs_lasso_params *p, cs_work *w,
                                  cs_sparse *without, int *changed) {
    const int D = g->max_drift;
    const double share = g->share[d];
    mumloc_status st = MUMLOC_OK;
    g->share[d] = 0.0;
    for (int t = 0; t < frames && st == MUMLOC_OK; t++) {
        st = copy_sparse(&c[t], &without[t]);
        if (st == MUMLOC_OK)
            st = cs_lasso_solve(g, y + t * cs_grid_pixels(g), p, &without[t], w, NULL);
    }
    g->share[d] = share;
    ERROR_TRY(st);
    const int keep_x = g->shift[d][0], keep_y = g->shift[d][1];
    double best = refit_cost(g, y, frames, without, p, w);
    int bx = keep_x, by = keep_y;
    for (int sy = -D; sy <= D; sy++)
        for (int sx = -D; sx <= D; sx++) {
            if (sx == keep_x && sy == keep_y) continue;
            g->shift[d][0] = sx;
            g->shift[d][1] = sy;
            const double cost = refit_cost(g, y, frames, without, p, w);
            if (cost < best - 1e-9 * fabs(best)) { /* a real improvement, not rounding */
                best = cost;
                bx = sx;
                by = sy;
            }
        }
    g->shift[d][0] = bx;
    g->shift[d][1] = by;
    *changed |= bx != keep_x || by != keep_y;
    return MUMLOC_OK;
}

mumloc_status cs_drift_search(cs_grid *g, const float *y, int frames, const cs_sparse *c,
                              const cs_lasso_params *p, cs_work *w, int *changed) {
    *changed = 0;
    cs_sparse *without = calloc((size_t)frames, sizeof *without);
    if (!without) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "no memory for the drift search");
    mumloc_status st = MUMLOC_OK;
    for (int d = 1; d < g->planes && st == MUMLOC_OK; d++)
        st = search_plane(g, d, y, frames, c, p, w, without, changed);
    for (int t = 0; t < frames; t++) cs_sparse_free(&without[t]);
    free(without);
    return st;
}

mumloc_status cs_block_solve(cs_grid *g, const mumloc_optics *o, const float *y, int frames, const cs_lasso_params *p,
                             int full_grid, double merge_nm, cs_sparse *c, cs_work *w,
                             int *lasso_iterations) {
    int total = 0;
    for (int round = 0;; round++) {
        for (int t = 0; t < frames; t++) {
            int its = 0;
            const float *yt = y + t * cs_grid_pixels(g);
            ERROR_TRY(full_grid ? cs_lasso_full(g, yt, p, &c[t], w, &its)
                                 : cs_lasso_solve(g, yt, p, &c[t], w, &its));
            total += its;
        }
        if (g->max_drift == 0 || round + 1 >= CS_ALTERNATIONS_MAX) break;
        int changed = 0;
        ERROR_TRY(cs_drift_search(g, y, frames, c, p, w, &changed));
        if (!changed) break;
    }
    if (lasso_iterations) *lasso_iterations = total;
    return MUMLOC_OK;
}
