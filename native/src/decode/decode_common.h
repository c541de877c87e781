/* Pieces both decoders share: options checks, fresh records, the output order and the cap rule. */
#ifndef LOCALIZE_DECODE_COMMON_H
#define LOCALIZE_DECODE_COMMON_H

#include "mumloc.h"

/* Checks the options the decoders read (threshold in [0, 1), distance ≥ 0, neighbourhood 0..8). */
mumloc_status decode_options_check(const mumloc_decode_options *options);

/* A record at (x, y, z) with this probability; photometry and bounds NaN. */
mumloc_localization localization_new(int64_t frame, double x_nm, double y_nm, double z_nm,
                                            double probability);

/* Sorts by y, then x, then z, then decreasing probability (a total order for distinct records). */
void localizations_sort(mumloc_localization *locs, int count);

/* Sorts found[0..n) and copies it to out under the API's cap rule: *count = n always; out NULL with
 * cap 0 is a size query; otherwise n > cap fails with a message telling how big a buffer to pass. */
mumloc_status decode_deliver(mumloc_localization *found, int n, mumloc_localization *out,
                                    int cap, int *count);

#endif
