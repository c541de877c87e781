/* mumloc_simulate_beads: a rig's bead z-stack to 16-bit TIFFs in the rig's layout, with the beads'
 * positions and the scan as CSV tables; all files or none. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/error.h"
#include "io/atomic_file.h"
#include "io/csv_write.h"
#include "io/rig_stack.h"
#include "simulate/beads.h"

static const csv_column bead_columns[] = {
    {"id", NULL}, {"x", "nm"}, {"y", "nm"}, {"intensity", "photon"}};
static const csv_column scan_columns[] = {
    {"slice", NULL}, {"z", "nm"}, {"dx", "nm"}, {"dy", "nm"}};

enum { TABLE_BEADS, TABLE_SCAN, TABLES };

typedef struct bead_run {
    const mumloc_rig *rig;
    const mumloc_bead_params *p;
    const char *table_paths[TABLES];
    atomic_file tables[TABLES];
    rig_stack stack;
    double *x, *y;
    float *images;
} bead_run;

static mumloc_status write_tables(bead_run *r) {
    if (r->table_paths[TABLE_BEADS]) {
        csv_writer w;
        ERROR_TRY(csv_writer_begin(&w, r->tables[TABLE_BEADS].file,
                                           r->table_paths[TABLE_BEADS], bead_columns, 4));
        for (int b = 0; b < r->p->beads; b++) {
            double row[4] = {b + 1, r->x[b], r->y[b], r->p->photons};
            ERROR_TRY(csv_writer_row(&w, row));
        }
    }
    if (r->table_paths[TABLE_SCAN]) {
        csv_writer w;
        ERROR_TRY(csv_writer_begin(&w, r->tables[TABLE_SCAN].file, r->table_paths[TABLE_SCAN],
                                           scan_columns, 4));
        for (int s = 0; s < mumloc_bead_steps(r->p); s++) {
            double row[4] = {s + 1, 0, 0, 0};
            beads_scan(r->p, s, &row[1], &row[2], &row[3]);
            ERROR_TRY(csv_writer_row(&w, row));
        }
    }
    return MUMLOC_OK;
}

static mumloc_status run_beads(bead_run *r, const char *stack_path, mumloc_progress_fn progress,
                               void *user) {
    const mumloc_rig *rig = r->rig;
    const int steps = mumloc_bead_steps(r->p), planes = rig->optics.planes;
    r->x = malloc((size_t)r->p->beads * sizeof *r->x);
    r->y = malloc((size_t)r->p->beads * sizeof *r->y);
    r->images = malloc((size_t)planes * rig->width * rig->height * sizeof *r->images);
    if (!r->x || !r->y || !r->images)
        return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "bead stack: out of memory");
    ERROR_TRY(beads_place(rig, r->p, r->x, r->y));
    for (int t = 0; t < TABLES; t++)
        if (r->table_paths[t]) ERROR_TRY(atomic_open(&r->tables[t], r->table_paths[t]));
    ERROR_TRY(write_tables(r));
    rig_stack_shape shape = {planes, rig->width, rig->height, steps, 1, 16,
                             rig->optics.pixel_nm / 1000.0, NULL};
    ERROR_TRY(rig_stack_open(&r->stack, rig->layout, &shape, stack_path));
    for (int s = 0; s < steps; s++) {
        ERROR_TRY(beads_render_step(rig, r->p, r->x, r->y, s, r->images));
        ERROR_TRY(rig_stack_append(&r->stack, r->images, 1));
        if (progress && progress(user, s + 1, steps))
            return error_fail(MUMLOC_ERR_CANCELLED,
                               "bead stack cancelled after %d of %d steps; no file was written", s + 1,
                               steps);
    }
    ERROR_TRY(rig_stack_finish(&r->stack));
    ERROR_TRY(rig_stack_commit(&r->stack));
    for (int t = 0; t < TABLES; t++) {
        if (!r->table_paths[t]) continue;
        mumloc_status st = atomic_commit(&r->tables[t]);
        if (st != MUMLOC_OK) {
            rig_stack_unlink(&r->stack);
            for (int o = 0; o < t; o++)
                if (r->table_paths[o]) unlink(r->table_paths[o]);
            return st;
        }
    }
    return MUMLOC_OK;
}

mumloc_status mumloc_simulate_beads(const mumloc_rig *rig, const mumloc_bead_params *params,
                                    const char *stack_path, const char *truth_path,
                                    const char *scan_path, mumloc_progress_fn progress, void *user) {
    if (!rig || !params || !stack_path || !*stack_path)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "simulate beads: a rig, bead parameters and a stack path are required");
    ERROR_TRY(mumloc_rig_validate(rig));
    ERROR_TRY(mumloc_bead_params_validate(params));
    const char *paths[3] = {stack_path, truth_path, scan_path};
    for (int a = 0; a < 3; a++)
        for (int b = a + 1; b < 3; b++)
            if (mumloc_files_same(paths[a], paths[b]))
                return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                                   "simulate beads: the stack, bead and scan paths must name different "
                                   "files ('%s' and '%s' are one file)",
                                   paths[a], paths[b]);
    bead_run r;
    memset(&r, 0, sizeof r);
    r.rig = rig;
    r.p = params;
    r.table_paths[TABLE_BEADS] = truth_path;
    r.table_paths[TABLE_SCAN] = scan_path;
    mumloc_status s = run_beads(&r, stack_path, progress, user);
    for (int t = 0; t < TABLES; t++) atomic_abort(&r.tables[t]); /* no-op once committed */
    rig_stack_close(&r.stack);
    free(r.x);
    free(r.y);
    free(r.images);
    return s;
}
