/* Internal twin of mumloc_simulate_to_files and mumloc_simulate_rig_to_files (rig NULL: a plain
 * movie) with an explicit batch size, so tests can check that
 * the output does not depend on how the movie was cut into batches. */
#ifndef IO_SIMULATE_FILES_H
#define IO_SIMULATE_FILES_H

#include <stdint.h>

#include "mumloc.h"

/* batch_frames ≤ 0 picks about 64 MiB of pixels per batch (at least one frame). */
mumloc_status simulate_to_files_batched(const mumloc_sim_params *params, const mumloc_rig *rig,
                                               int bits, const char *movie_path,
                                               const char *truth_path, const char *drift_path,
                                               mumloc_progress_fn progress, void *user,
                                               int64_t batch_frames);

#endif
