/* Photometry, bounds and refinement on a rig's raw camera frames: the public
 * mumloc_localizations_measure / refine / refine_with_drift with a plane map (optics/plane_map.h),
 * so each plane is fitted in its own camera's pixels through the exact affine. Positions stay in
 * the reference (camera 1) frame; the drift is in reference nm too (plane d shows the molecule at
 * map_d(x − dx, y − dy)). map NULL is the public functions. */
#ifndef LOCALIZE_MAPPED_FITS_H
#define LOCALIZE_MAPPED_FITS_H

#include "mumloc.h"
#include "optics/plane_map.h"

mumloc_status localizations_measure_mapped(const mumloc_optics *optics,
                                                  const mumloc_camera *camera,
                                                  const plane_map *map, const float *frame,
                                                  int width, int height, const double *dx_dy,
                                                  mumloc_localization *locs, int count);

mumloc_status localizations_refine_mapped(const mumloc_optics *optics,
                                                 const mumloc_camera *camera,
                                                 const plane_map *map, const float *frame,
                                                 int width, int height, const double *dx_dy,
                                                 mumloc_localization *locs, int count);

mumloc_status localizations_refine_with_drift_mapped(const mumloc_optics *optics,
                                                            const mumloc_camera *camera,
                                                            const plane_map *map,
                                                            const float *frame, int width,
                                                            int height, mumloc_localization *locs,
                                                            int count, mumloc_frame_drift *drift);

#endif
