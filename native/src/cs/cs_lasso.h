/* The non-negative Lasso of one frame on the grid: min over c ≥ 0 of ½‖y − P H c‖² + λ Σ c, y the
 * frame already centred per plane (P, cs_grid.h).
 *
 * Default solver: FISTA on a working set, checked against the whole grid. The grid has ~500,000
 * voxels per 16×16 frame but the solution a handful of non-zeros, so each round takes the current
 * support plus the voxels that most violate the optimality (KKT) conditions (gradient below −λ),
 * solves the Lasso restricted to them by FISTA on their Gram matrix (cheap: the columns are separable,
 * so an entry costs Σ_d (width + height) products), and stops when one full-grid gradient Hᵀr finds
 * no violation above tolerance·λ. Only violating voxels are ever added and the restricted problems
 * are solved to the same tolerance, so the result is the full problem's optimum (Johnson & Guestrin's
 * Blitz and Massias et al.'s Celer are this scheme); a full FISTA iteration costs two grid-sized
 * operator applications, a round one, and FISTA needs hundreds of them on this ill-conditioned
 * dictionary (neighbouring voxels 24 nm apart correlate at > 0.99). cs_lasso_full is the plain
 * full-grid FISTA, kept as the reference the tests compare against. */
#ifndef CS_LASSO_H
#define CS_LASSO_H

#include "cs/cs_grid.h"

/* A frame's non-zero voxels. */
typedef struct cs_sparse {
    size_t *idx;
    float *val;
    int n, cap;
} cs_sparse;

void cs_sparse_free(cs_sparse *c);
/* Room for n entries; 0 when out of memory. */
int cs_sparse_reserve(cs_sparse *c, int n);

typedef struct cs_lasso_params {
    double lambda;
    double tolerance; /* KKT violations below tolerance·λ count as none */
    int max_iterations;
} cs_lasso_params;

/* Scratch of one block (a region's frames), reused across its Lasso solves. */
typedef struct cs_work {
    float *grad;     /* voxels */
    float *scratch;  /* cs_grid_scratch floats */
    float *resid;    /* pixels */
    float *fx, *fy;  /* per working-set voxel and plane: factors (width and height floats) */
    double *gram, *q, *x, *z, *gz, *x_old, *sums;
    size_t *ws;
    int ws_cap;
} cs_work;

mumloc_status cs_work_init(cs_work *w, const cs_grid *g);
void cs_work_free(cs_work *w);

/* r = y − P H c for the sparse c (y centred). */
void cs_residual(const cs_grid *g, const float *y, const cs_sparse *c, float *r, cs_work *w);

/* ½‖r‖² + λ Σ c for the sparse c. */
double cs_objective(const cs_grid *g, const float *y, const cs_sparse *c, double lambda,
                    cs_work *w);

/* Working-set solve, warm-started from *c (updated in place); *iterations (may be NULL) gets the
 * FISTA iterations summed over the rounds. */
mumloc_status cs_lasso_solve(const cs_grid *g, const float *y, const cs_lasso_params *p,
                             cs_sparse *c, cs_work *w, int *iterations);

/* The objective with c refitted (≥ 0) on its own support, at the grid's current shifts; c itself
 * is left as it is. The drift search's score. */
double cs_support_refit(const cs_grid *g, const float *y, const cs_sparse *c,
                        const cs_lasso_params *p, cs_work *w);

/* Plain FISTA (with adaptive restart) on the whole grid from c = 0; the same stopping rule. */
mumloc_status cs_lasso_full(const cs_grid *g, const float *y, const cs_lasso_params *p,
                            cs_sparse *c, cs_work *w, int *iterations);

#endif
