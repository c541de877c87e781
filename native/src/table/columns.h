/* The one column table of what mumloc writes as tables: the localizations (mumloc_localizations_to_table,
 * `mumloc localize`'s CSV, Fiji's results) and the per-frame plane drifts (`mumloc simulate`'s drift
 * file, refine "drift"'s drift table, mumloc_plane_drift_to_table). Names and units are defined here
 * only; every writer (table, streamed CSV, JNI) takes them, and a row's values, from here. */
#ifndef TABLE_COLUMNS_H
#define TABLE_COLUMNS_H

#include <stdint.h>

#include "io/csv_write.h"
#include "mumloc.h"

/* "id", "frame", "x [nm]", "y [nm]", "z [nm]", "intensity [photon]", "offset [photon]",
 * "bkgstd [photon]", "uncertainty_xy [nm]", "uncertainty_z [nm]", "probability", "unresolved"
 * (1 within the Sparrow limit of another record, 0 resolved, NaN not assessed). A table filled
 * before the columns from TABLE_LOCALIZATION_REQUIRED on existed gets them added. */
enum { TABLE_LOCALIZATION_COLUMNS = 12, TABLE_LOCALIZATION_REQUIRED = 11 };
extern const csv_column table_localization_columns[TABLE_LOCALIZATION_COLUMNS];
/* The row of one record: id (1-based row number), frame + 1, then the record's fields. */
void table_localization_row(const mumloc_localization *l, int64_t id, double *row);

/* "frame", "plane" (both 1-based), "dx [nm]", "dy [nm]": the drift a simulation applied (the first
 * TABLE_PLANE_DRIFT_BASIC columns); then "uncertainty_dx [nm]", "uncertainty_dy [nm]", "molecules"
 * for an estimate (its Cramér–Rao bounds and how many molecules informed it). */
enum { TABLE_PLANE_DRIFT_BASIC = 4, TABLE_PLANE_DRIFT_COLUMNS = 7 };
extern const csv_column table_plane_drift_columns[TABLE_PLANE_DRIFT_COLUMNS];
/* The row of plane `plane` (0-based) of frame `frame` (0-based): TABLE_PLANE_DRIFT_COLUMNS values
 * (the first TABLE_PLANE_DRIFT_BASIC are the basic row). */
void table_plane_drift_row(int64_t frame, int plane, const mumloc_frame_drift *drift, double *row);

/* Index in table of each of count columns: added when the table has no columns, else found by name
 * and unit; a missing one among the first `required` fails naming it and `filler` (the function
 * whose tables these are), a missing later one is added (NaN in the earlier rows). */
mumloc_status table_columns_map(mumloc_table *table, const csv_column *columns, int count,
                                int required, const char *filler, int *index);

#endif
