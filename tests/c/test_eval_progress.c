/* mumloc_evaluate_progress: progress over the rows of both tables (monotonic, never past the total,
 * silent on small tables), the same result as mumloc_evaluate, and cancellation with no result. */
#include "check.h"
#include "mumloc.h"

enum { ROWS = 70000, PER_FRAME = 50 };

static mumloc_table *table(double shift) {
    mumloc_table *t = NULL;
    CHECK_OK(mumloc_table_create(&t));
    CHECK_OK(mumloc_table_add_column(t, "frame", NULL, NULL));
    CHECK_OK(mumloc_table_add_column(t, "x", "nm", NULL));
    CHECK_OK(mumloc_table_add_column(t, "y", "nm", NULL));
    CHECK_OK(mumloc_table_add_column(t, "z", "nm", NULL));
    static double rows[ROWS][4];
    for (int r = 0; r < ROWS; r++) {
        rows[r][0] = 1 + r / PER_FRAME;
        rows[r][1] = 1000.0 * (r % PER_FRAME) + shift;
        rows[r][2] = 500;
        rows[r][3] = 300;
    }
    CHECK_OK(mumloc_table_append_rows(t, &rows[0][0], ROWS));
    return t;
}

typedef struct seen {
    int calls, cancel_at;
    int64_t last, total;
    int monotonic;
} seen;

static int record(void *user, int64_t done, int64_t total) {
    seen *s = user;
    s->calls++;
    if (done < s->last || done > total) s->monotonic = 0;
    s->last = done;
    s->total = total;
    return s->cancel_at && s->calls >= s->cancel_at;
}

int main(void) {
    mumloc_table *truth = table(0), *locs = table(10);
    mumloc_evaluation *e = NULL;
    seen s = {0, 0, 0, 0, 1};
    CHECK_OK(mumloc_evaluate_progress(truth, locs, NULL, &e, record, &s));
    CHECK(s.calls >= 2 && s.monotonic && s.total == 2 * ROWS);
    CHECK(e && mumloc_evaluation_overall(e)->tp == ROWS);
    CHECK_NEAR(mumloc_evaluation_overall(e)->rmse_xy_nm, 10, 1e-9);
    mumloc_evaluation_destroy(e);

    seen c = {0, 1, 0, 0, 1};
    e = NULL;
    CHECK_STATUS(mumloc_evaluate_progress(truth, locs, NULL, &e, record, &c), MUMLOC_ERR_CANCELLED);
    CHECK(e == NULL && c.calls == 1);

    /* a small table: no progress call at all */
    CHECK_OK(mumloc_table_set_rows(truth, 100));
    CHECK_OK(mumloc_table_set_rows(locs, 100));
    seen quiet = {0, 0, 0, 0, 1};
    CHECK_OK(mumloc_evaluate_progress(truth, locs, NULL, &e, record, &quiet));
    CHECK(quiet.calls == 0);
    mumloc_evaluation_destroy(e);
    mumloc_table_destroy(truth);
    mumloc_table_destroy(locs);
    return check_failures ? 1 : 0;
}
