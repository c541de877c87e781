/* Runs one operation on every localization of a frame in parallel (photometry, refinement): the
 * argument checks, the thread pool and the error reporting they share. */
#ifndef LOCALIZE_PER_LOCALIZATION_H
#define LOCALIZE_PER_LOCALIZATION_H

#include "mumloc.h"
#include "optics/crlb.h"

/* Works on one record in place; must not depend on any other record. */
typedef mumloc_status (*per_localization_fn)(const mumloc_optics *optics,
                                                    const pixel_noise *noise,
                                                    const float *frame, int width, int height,
                                                    const double *dx_dy,
                                                    const plane_map *map,
                                                    mumloc_localization *l);

/* The checks every per-frame operation on records makes: valid optics and camera, a frame, a size
 * of at least 1x1, count >= 0 and finite positions (MUMLOC_ERR_INVALID_ARGUMENT naming the record). */
mumloc_status localizations_check(const mumloc_optics *optics, const mumloc_camera *camera,
                                        const float *frame, int width, int height,
                                        const mumloc_localization *locs, int count);

/* Validates the inputs, applies fn to every record (OpenMP, any order) and reports the failure of
 * the lowest-numbered failing record as "localization N: <why>"; `verb` completes "could not be …"
 * when the message is lost. */
mumloc_status for_each_localization(const mumloc_optics *optics, const mumloc_camera *camera,
                                           const float *frame, int width, int height,
                                           const double *dx_dy, const plane_map *map,
                                           mumloc_localization *locs, int count,
                                           per_localization_fn fn, const char *verb);

#endif
