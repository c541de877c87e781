/* The localizer's pending records, taken by mumloc_localizer_take (pipeline_pending.c). */
#ifndef LOCALIZE_PIPELINE_PENDING_H
#define LOCALIZE_PIPELINE_PENDING_H

#include "localize/pipeline_localizer.h"

/* Appends records[0..count) to the pending records. */
mumloc_status pipeline_append_records(mumloc_localizer *l, const mumloc_localization *records,
                                      int count);

#endif
