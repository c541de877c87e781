/* The localizer's pending records (pipeline_pending.h): below pipeline_frame.c and
 * pipeline_window.c, which both append to them. */
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "localize/pipeline_pending.h"

mumloc_status pipeline_append_records(mumloc_localizer *l, const mumloc_localization *records,
                                      int count) {
    if (count == 0) return MUMLOC_OK; /* buffers may still be NULL: no pointer arithmetic on them */
    if (l->pending_first > 0) { /* drop what was taken (one move per push, not per take) */
        memmove(l->pending, l->pending + l->pending_first,
                sizeof *l->pending * (size_t)l->pending_count);
        l->pending_first = 0;
    }
    if (l->pending_count + count > l->pending_cap) {
        int64_t cap = (l->pending_count + count) * 2 + 64;
        mumloc_localization *grown = realloc(l->pending, sizeof *grown * (size_t)cap);
        if (!grown)
            return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "no memory for %lld localizations "
                               "(take them more often)", (long long)cap);
        l->pending = grown;
        l->pending_cap = cap;
    }
    memcpy(l->pending + l->pending_count, records, sizeof *records * (size_t)count);
    l->pending_count += count;
    return MUMLOC_OK;
}
