/* One frame's steps around the network (pipeline_frame.c), called by each path of the localizer. */
#ifndef LOCALIZE_PIPELINE_FRAME_H
#define LOCALIZE_PIPELINE_FRAME_H

#include "localize/pipeline_localizer.h"
#include "localize/pipeline_pending.h" /* pipeline_append_records */

/* Camera values of one frame → photons (the batch was checked for non-finite values before); with a
 * rig, each camera's own conversion into l->rig->raw_photons, then the registered field for the
 * network into photons. */
void pipeline_convert_frame(const mumloc_localizer *l, const float *values, float *photons);

/* Everything after the network for one frame: decode its full output, refine, measure, append to
 * the pending records, report the drift. */
mumloc_status pipeline_localize_frame(mumloc_localizer *l, int64_t frame, const float *photons,
                                      const float *output);

/* The same for frames first_frame .. first_frame + count − 1 (count <= l->slot_count), whose photons
 * and outputs lie at photons + f · photon_stride and outputs + f · output_stride (floats): worked on
 * in parallel, one frame per thread, and committed in frame order, so the records are those of
 * frame-by-frame localization, byte for byte. */
mumloc_status pipeline_localize_frames(mumloc_localizer *l, int64_t first_frame, int count,
                                       const float *photons, int64_t photon_stride,
                                       const float *outputs, int64_t output_stride);
/* Allocates `count` work slots (l->slots, l->slot_count); pipeline_free_slots releases them. */
mumloc_status pipeline_alloc_slots(mumloc_localizer *l, int count);
void pipeline_free_slots(mumloc_localizer *l);


#endif
