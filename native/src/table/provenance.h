/* The sidecar "<table>.json" that records what made a localization table (format in mumloc.h,
 * "Table provenance and merging"): built by the localization, read and combined by the merge. */
#ifndef TABLE_PROVENANCE_H
#define TABLE_PROVENANCE_H

#include <stdint.h>

#include "io/atomic_file.h"
#include "mumloc.h"

/* One localization run's contribution. */
typedef struct provenance_part {
    char version[32];
    char sha256[65];           /* "" = unknown (null in the file) */
    mumloc_optics optics;
    double threshold;
    int refine;                /* mumloc_refine_mode */
    int precision;             /* mumloc_precision the network ran in: FP32 or BF16 (records from
                                  before it was written: FP32) */
    double merge_distance_nm;
    char *movie;               /* absolute path; "" = unknown */
    int64_t movie_bytes;       /* -1 = unknown */
    int64_t movie_frames;
    int64_t first_frame, last_frame; /* 1-based, inclusive */
    int64_t rows;
    int movie_index;           /* 1-based */
    int64_t frame_offset;
} provenance_part;

typedef struct provenance {
    int64_t rows;
    mumloc_merge_movies movies;
    int part_count;
    provenance_part *parts;
} provenance;

/* "<table_path>.json", malloc'd (NULL when out of memory). */
char *provenance_sidecar_path(const char *table_path);

/* Fills a one-part record for a run of model with options (NULL = defaults) over origin. */
mumloc_status provenance_for_run(provenance *p, const mumloc_model *model,
                                 const mumloc_localize_options *options,
                                 const mumloc_table_origin *origin);

/* Reads table_path's sidecar: *found = 0 (p untouched) when there is none; a sidecar that is not
 * such a record fails with MUMLOC_ERR_FORMAT naming the file. */
mumloc_status provenance_read(const char *table_path, provenance *p, int *found);

/* Commits a table's pending atomic file together with its sidecar: the sidecar is written first
 * to its own temporary file, then both are renamed in place; if anything fails, neither file is
 * left (the table's temporary file is aborted). */
mumloc_status provenance_commit_with_table(atomic_file *table, const char *table_path,
                                           const provenance *p);

/* Appends a copy of part to p (the movie string copied). */
mumloc_status provenance_add_part(provenance *p, const provenance_part *part);

void provenance_free(provenance *p);

#endif
