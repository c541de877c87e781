/* Fiducial drift: beads seen in every frame among blinking molecules give the drift to within the
 * beads' own precision; without beads the error says what to change. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "drift_tables.h"
#include "mumloc.h"

enum { ROWS = 6000, FRAMES = 2000 };

int main(void) {
    mumloc_table *table = test_drift_table(ROWS, FRAMES, 10.0, 25.0, 3, 1, 11);
    mumloc_drift_options o;
    mumloc_drift_options_default(&o);
    o.method = MUMLOC_DRIFT_FIDUCIAL;
    mumloc_drift_info info;
    mumloc_table *drift = NULL;
    CHECK_OK(mumloc_drift_estimate(table, &o, &info, NULL, NULL, &drift));
    CHECK(info.beads == 3);
    if (drift) {
        CHECK(mumloc_table_rows(drift) == FRAMES);
        const char *names[3] = {"dx", "dy", "dz"};
        for (int a = 0; a < 3; a++) {
            const double *d = mumloc_table_column_data(drift, mumloc_table_find_column(drift, names[a], "nm"));
            double sq = 0, mean = 0, truth[3];
            for (int64_t k = 0; k < FRAMES; k++) {
                test_drift(k + 1, FRAMES, truth);
                mean += (d[k] - truth[a]) / FRAMES;
            }
            for (int64_t k = 0; k < FRAMES; k++) {
                test_drift(k + 1, FRAMES, truth);
                sq += pow(d[k] - truth[a] - mean, 2) / FRAMES;
            }
            /* Three beads of σ 3 nm (5 nm in z) per frame: about σ/√3 per frame. */
            printf("fiducial: %s rms error %.2f nm\n", names[a], sqrt(sq));
            CHECK(sqrt(sq) <= (a < 2 ? 3.0 : 5.0));
        }
    }
    mumloc_table_destroy(drift);
    mumloc_table_destroy(table);

    /* No beads: the message names the option to change. */
    table = test_drift_table(ROWS, FRAMES, 10.0, 25.0, 0, 1, 11);
    drift = NULL;
    CHECK_STATUS(mumloc_drift_estimate(table, &o, NULL, NULL, NULL, &drift), MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK(strstr(mumloc_last_error(), "--fiducial-presence") != NULL);
    CHECK(drift == NULL);
    mumloc_table_destroy(table);
    return CHECK_DONE("test_drift_fiducial");
}
