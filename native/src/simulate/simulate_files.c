/* mumloc_simulate_to_files: the simulator streamed to a TIFF hyperstack, a ground-truth table and a
 * drift table, frame batch by frame batch (bounded memory), each file under a temporary name until
 * everything has succeeded (atomic_file.h). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/error.h"
#include "io/atomic_file.h"
#include "io/csv_write.h"
#include "io/rig_stack.h"
#include "optics/psf_record.h"
#include "postprocess/drift_internal.h"
#include "simulate/simulate_files.h"
#include "table/columns.h"
#include "rig/rig_internal.h"
#include "simulate/simulator.h"

/* Pixels simulated per batch: about 64 MiB, at least one frame; fewer frames when that keeps
 * about PROGRESS_STEPS progress reports per movie, but never below MIN_PROGRESS_BATCH frames. */
#define BATCH_BYTES ((size_t)64 << 20)
enum { PROGRESS_STEPS = 50, MIN_PROGRESS_BATCH = 16 };

enum { OUT_MOVIE, OUT_TRUTH, OUT_DRIFT, OUTPUTS };

static const csv_column truth_columns[] = {
    {"id", NULL}, {"frame", NULL}, {"x", "nm"}, {"y", "nm"}, {"z", "nm"}, {"intensity", "photon"},
    {"weight", NULL}};

typedef struct run {
    mumloc_simulator *sim;
    const mumloc_sim_params *p;
    const mumloc_rig *rig;    /* NULL: a plain movie (planes as channels) */
    int bits;
    sim_view views[MUMLOC_MAX_PLANES];
    const char *paths[OUTPUTS];
    atomic_file files[OUTPUTS]; /* the tables; the movie's files are the stack's */
    rig_stack movie;
    csv_writer truth, drift;
    char *description;
    float *pixels;
    mumloc_emitter *emitters;
    int64_t next_id;
} run;

/* "mumloc=<parameters as one line of JSON>" for the TIFF description. */
static mumloc_status build_description(run *r) {
    size_t needed = 0;
    char probe[1];
    if (mumloc_sim_params_to_json(r->p, probe, sizeof probe, &needed) == MUMLOC_OK) needed = 1;
    if (needed == 0) return error_fail(MUMLOC_ERR_INTERNAL, "sim params JSON reported no size");
    r->description = malloc(needed + 8);
    if (!r->description) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory for the movie description");
    strcpy(r->description, "mumloc=");
    ERROR_TRY(mumloc_sim_params_to_json(r->p, r->description + 7, needed + 1, NULL));
    if (r->rig && r->rig->psf == MUMLOC_PSF_SPLINE) {
        /* the PSF the frames were drawn with, so that a model trained with another one refuses
         * them (psf_record.h): "...}" becomes "...,"psf":{...}}" */
        psf_record record;
        psf_record_of_rig(r->rig, &record);
        text_buffer t = {0};
        size_t json = strlen(r->description) - 1;
        text_printf(&t, "%.*s,\"psf\":", (int)json, r->description);
        psf_record_write(&t, &record);
        text_puts(&t, "}");
        mumloc_status st = text_status(&t);
        if (st == MUMLOC_OK) {
            free(r->description);
            r->description = t.data;
        } else {
            text_free(&t);
            return st;
        }
    }
    if (strpbrk(r->description, "\n\r\\"))
        return error_fail(MUMLOC_ERR_INTERNAL, "sim params JSON holds a line break or backslash");
    return MUMLOC_OK;
}

static mumloc_status check_paths(const char *const paths[OUTPUTS]) {
    if (!paths[OUT_MOVIE] || !*paths[OUT_MOVIE])
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "simulate: a movie path is required");
    for (int a = 0; a < OUTPUTS; a++)
        for (int b = a + 1; b < OUTPUTS; b++)
            if (mumloc_files_same(paths[a], paths[b]))
                return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                                   "simulate: the movie, truth and drift paths must name "
                                   "different files ('%s' and '%s' are one file)",
                                   paths[a], paths[b]);
    return MUMLOC_OK;
}

static mumloc_status open_outputs(run *r) {
    const mumloc_sim_params *p = r->p;
    int planes = p->optics.planes;
    if ((int64_t)planes * p->frames > INT32_MAX)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "simulate: %lld frames of %d planes exceed the 2147483647 images an "
                           "ImageJ TIFF can hold; use fewer frames",
                           (long long)p->frames, planes);
    for (int i = OUT_MOVIE + 1; i < OUTPUTS; i++)
        if (r->paths[i]) ERROR_TRY(atomic_open(&r->files[i], r->paths[i]));
    ERROR_TRY(build_description(r));
    rig_stack_shape shape = {planes, p->width, p->height, 1, (int)p->frames, r->bits,
                             p->optics.pixel_nm / 1000.0, r->description};
    ERROR_TRY(rig_stack_open(&r->movie, r->rig ? r->rig->layout : MUMLOC_RIG_HYPERSTACK, &shape,
                              r->paths[OUT_MOVIE]));
    if (r->paths[OUT_TRUTH])
        ERROR_TRY(csv_writer_begin(&r->truth, r->files[OUT_TRUTH].file, r->paths[OUT_TRUTH],
                                           truth_columns, 7));
    if (r->paths[OUT_DRIFT])
        ERROR_TRY(csv_writer_begin(&r->drift, r->files[OUT_DRIFT].file, r->paths[OUT_DRIFT],
                                           table_plane_drift_columns, TABLE_PLANE_DRIFT_BASIC));
    return MUMLOC_OK;
}

static mumloc_status write_tables(run *r, int64_t frame) {
    if (r->paths[OUT_TRUTH]) {
        int count = 0;
        ERROR_TRY(mumloc_simulate_truth(r->sim, frame, r->emitters,
                                         mumloc_simulator_max_emitters(r->sim), &count));
        for (int m = 0; m < count; m++) {
            const mumloc_emitter *e = &r->emitters[m];
            double row[7] = {(double)++r->next_id, (double)(frame + 1), e->x_nm, e->y_nm, e->z_nm,
                             e->photons, e->weight};
            ERROR_TRY(csv_writer_row(&r->truth, row));
        }
    }
    if (r->paths[OUT_DRIFT]) {
        mumloc_frame_drift drift = {0};
        ERROR_TRY(mumloc_simulate_drift(r->sim, frame, drift.dx_dy));
        for (int d = 0; d < r->p->optics.planes; d++) {
            double row[TABLE_PLANE_DRIFT_COLUMNS];
            table_plane_drift_row(frame, d, &drift, row);
            ERROR_TRY(csv_writer_row(&r->drift, row));
        }
    }
    return MUMLOC_OK;
}

static mumloc_status stream_frames(run *r, mumloc_progress_fn progress, void *user, int64_t batch) {
    const mumloc_sim_params *p = r->p;
    size_t frame_floats = (size_t)p->optics.planes * (size_t)p->height * (size_t)p->width;
    if (batch <= 0) {
        batch = (int64_t)(BATCH_BYTES / (frame_floats * sizeof(float)));
        /* About 50 progress reports (and chances to cancel) per movie, unless batches get tiny. */
        int64_t for_progress = (p->frames + PROGRESS_STEPS - 1) / PROGRESS_STEPS;
        if (for_progress < MIN_PROGRESS_BATCH) for_progress = MIN_PROGRESS_BATCH;
        if (batch > for_progress) batch = for_progress;
    }
    if (batch < 1) batch = 1;
    if (batch > p->frames) batch = p->frames;
    r->pixels = malloc((size_t)batch * frame_floats * sizeof(float));
    int max_emitters = mumloc_simulator_max_emitters(r->sim);
    r->emitters = malloc((size_t)(max_emitters > 0 ? max_emitters : 1) * sizeof *r->emitters);
    if (!r->pixels || !r->emitters)
        return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory for a batch of %lld frames",
                           (long long)batch);
    for (int64_t first = 0; first < p->frames; first += batch) {
        int64_t count = p->frames - first < batch ? p->frames - first : batch;
        ERROR_TRY(sim_frames_viewed(r->sim, r->rig ? r->views : NULL, first, count, r->pixels));
        ERROR_TRY(rig_stack_append(&r->movie, r->pixels, count));
        for (int64_t f = first; f < first + count; f++) ERROR_TRY(write_tables(r, f));
        if (progress && progress(user, first + count, p->frames))
            return error_fail(MUMLOC_ERR_CANCELLED,
                               "simulation cancelled after %lld of %lld frames; no file was written",
                               (long long)(first + count), (long long)p->frames);
    }
    return rig_stack_finish(&r->movie);
}

/* Renames every temporary file into place; if one rename fails, the ones already renamed are
 * removed again so that no partial set of outputs remains. */
static mumloc_status commit_all(run *r) {
    ERROR_TRY(rig_stack_commit(&r->movie));
    for (int i = OUT_MOVIE + 1; i < OUTPUTS; i++) {
        if (!r->paths[i]) continue;
        mumloc_status s = atomic_commit(&r->files[i]);
        if (s != MUMLOC_OK) {
            rig_stack_unlink(&r->movie);
            for (int j = OUT_MOVIE + 1; j < i; j++)
                if (r->paths[j]) unlink(r->paths[j]);
            return s;
        }
    }
    return MUMLOC_OK;
}

mumloc_status mumloc_simulate_to_files(const mumloc_sim_params *params, const char *movie_path,
                                       const char *truth_path, const char *drift_path,
                                       mumloc_progress_fn progress, void *user) {
    return simulate_to_files_batched(params, NULL, 32, movie_path, truth_path, drift_path,
                                            progress, user, 0);
}

mumloc_status mumloc_simulate_rig_to_files(const mumloc_sim_params *params, const mumloc_rig *rig,
                                           int bits, const char *movie_path, const char *truth_path,
                                           const char *drift_path, mumloc_progress_fn progress,
                                           void *user) {
    if (!rig) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "simulate: a rig is required");
    return simulate_to_files_batched(params, rig, bits, movie_path, truth_path, drift_path,
                                            progress, user, 0);
}

mumloc_status simulate_to_files_batched(const mumloc_sim_params *params, const mumloc_rig *rig,
                                               int bits, const char *movie_path,
                                               const char *truth_path, const char *drift_path,
                                               mumloc_progress_fn progress, void *user,
                                               int64_t batch_frames) {
    if (!params) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "simulate: parameters are required");
    if (bits != 16 && bits != 32)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "simulate: bits must be 32 (float) or 16 (camera counts), not %d", bits);
    run r;
    memset(&r, 0, sizeof r);
    r.paths[OUT_MOVIE] = movie_path;
    r.paths[OUT_TRUTH] = truth_path;
    r.paths[OUT_DRIFT] = drift_path;
    r.bits = bits;
    ERROR_TRY(check_paths(r.paths));
    mumloc_sim_params rig_params = *params;
    if (rig) {
        ERROR_TRY(mumloc_rig_validate(rig));
        mumloc_rig_sim_params(rig, &rig_params);
        rig_sim_views(rig, 0, r.views);
        r.rig = rig;
    }
    ERROR_TRY(mumloc_simulator_create(&rig_params, &r.sim));
    r.p = mumloc_simulator_params(r.sim);
    mumloc_status s = rig ? sim_use_rig_psf(r.sim, rig) : MUMLOC_OK;
    if (s == MUMLOC_OK) s = open_outputs(&r);
    if (s == MUMLOC_OK) s = stream_frames(&r, progress, user, batch_frames);
    if (s == MUMLOC_OK) s = commit_all(&r);
    for (int i = 0; i < OUTPUTS; i++) atomic_abort(&r.files[i]); /* no-op once committed */
    rig_stack_close(&r.movie);
    mumloc_simulator_destroy(r.sim);
    free(r.description);
    free(r.pixels);
    free(r.emitters);
    return s;
}

/* The stage drift of a simulation (stage_drift.c) as a drift table file. */
mumloc_status mumloc_simulate_write_stage_drift(const mumloc_sim_params *params, const char *path) {
    if (!path) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "stage drift: path must not be NULL");
    mumloc_simulator *sim = NULL;
    ERROR_TRY(mumloc_simulator_create(params, &sim));
    int64_t n = params->frames;
    double *d = malloc((size_t)n * 3 * sizeof *d);
    if (!d) {
        mumloc_simulator_destroy(sim);
        return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "stage drift: out of memory for %lld frames",
                           (long long)n);
    }
    double xyz[3];
    for (int64_t k = 0; k < n; k++) {
        sim_stage_drift(sim, k, xyz);
        for (int a = 0; a < 3; a++) d[a * n + k] = xyz[a];
    }
    mumloc_simulator_destroy(sim);
    mumloc_table *table = NULL;
    mumloc_status s = drift_table_make(1, n, d, d + n, d + 2 * n, &table);
    free(d);
    if (s == MUMLOC_OK) s = mumloc_table_write_csv(table, path);
    mumloc_table_destroy(table);
    return s;
}
