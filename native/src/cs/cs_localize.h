/* The CS localizer of one region, for the pipeline (pipeline_cs.c) and mumloc_cs_localize. */
#ifndef CS_LOCALIZE_H
#define CS_LOCALIZE_H

#include "cs/cs_grid.h"

typedef struct cs_stats {
    double lambda;        /* the λ used */
    int lasso_iterations; /* FISTA iterations over all solves */
    int nonzeros;         /* non-zero voxels of the final solutions */
} cs_stats;

/* λ = sqrt(2 ln N) σ max‖P h‖: the universal threshold (Donoho–Johnstone) of the correlations Hᵀε of
 * pure noise ε, σ the camera's pixel noise at the frames' median value (the background). */
double cs_auto_lambda(const cs_grid *g, const mumloc_camera *camera, const float *photons,
                      int frames);

/* Frames (frames × k × height × width photons, checked by the caller) → *found (malloc'ed, region
 * coordinates, sorted per frame), *count, the block's drift dx_dy (2 per plane, nm; may be NULL) and
 * stats (may be NULL). No threads of its own: the pipeline runs regions in parallel. */
mumloc_status cs_localize_region(const mumloc_optics *optics, const mumloc_camera *camera,
                                 const mumloc_cs_options *options, const float *photons,
                                 int frames, int width, int height, int64_t first_frame,
                                 mumloc_localization **found, int *count, double *dx_dy,
                                 cs_stats *stats);

#endif
