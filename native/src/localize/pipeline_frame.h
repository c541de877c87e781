/* One frame's steps around the network (pipeline_frame.c), called by each path of the localizer. */
#ifndef MUMLOC_LOCALIZE_PIPELINE_FRAME_H
#define MUMLOC_LOCALIZE_PIPELINE_FRAME_H

#include "localize/pipeline_localizer.h"

/* Camera values of one frame → photons (the batch was checked for non-finite values before); with a
 * rig, each camera's own conversion into l->rig->raw_photons, then the registered field for the
 * network into photons. */
void pipeline_convert_frame(const mumloc_localizer *l, const float *values, float *photons);

/* Everything after the network for one frame: decode its full output, refine, measure, append to
 * the pending records, report the drift. */
mumloc_status pipeline_localize_frame(mumloc_localizer *l, int64_t frame, const float *photons,
                                      const float *output);

/* Appends found[0..count) to the pending records. */
mumloc_status pipeline_append_pending(mumloc_localizer *l, int count);

#endif
