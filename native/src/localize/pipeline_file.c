/* mumloc_localize_file: a TIFF movie → ThunderSTORM CSV, in frame batches with bounded memory. The
 * reader hands batches to a streaming localizer; each batch's localizations are written as rows at
 * once, so memory holds one batch of frames and one batch of records whatever the movie's length.
 * The table's sidecar "<table>.json" (what made it) is committed with it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/runtime.h"
#include "io/atomic_file.h"
#include "io/csv_write.h"
#include "io/tiff_read.h"
#include "localize/pipeline.h"
#include "localize/pipeline_localizer.h"
#include "model/model_psf.h"
#include "table/columns.h"
#include "table/provenance.h"

typedef struct run_state {
    tiff_reader *reader;
    mumloc_rig_movie *rig_movie; /* options->rig: the rig's raw movie instead of reader */
    mumloc_localizer *localizer;
    atomic_file out;
    csv_writer csv;
    float *frames;
    mumloc_localization *records;
    int64_t record_cap;
    int64_t rows;
    /* drift table */
    int planes;
    atomic_file drift_out;
    csv_writer drift_csv;
    mumloc_status drift_status; /* the first write failure (the callback cannot return it) */
    mumloc_drift_fn user_drift;
    void *user_drift_data;
} run_state;

/* The localizer's drift callback: a row per plane, then the caller's own callback. */
static void write_drift(void *user, int64_t frame, const mumloc_frame_drift *drift) {
    run_state *s = user;
    for (int d = 0; d < s->planes && s->drift_status == MUMLOC_OK; d++) {
        double row[TABLE_PLANE_DRIFT_COLUMNS];
        table_plane_drift_row(frame, d, drift, row);
        s->drift_status = csv_writer_row(&s->drift_csv, row);
    }
    if (s->user_drift) s->user_drift(s->user_drift_data, frame, drift);
}

static mumloc_status write_pending(run_state *s) {
    for (;;) {
        int64_t n = 0;
        ERROR_TRY(mumloc_localizer_take(s->localizer, s->records, s->record_cap, &n));
        if (n == 0) return MUMLOC_OK;
        for (int64_t i = 0; i < n; i++) {
            double row[TABLE_LOCALIZATION_COLUMNS];
            table_localization_row(&s->records[i], s->rows + 1, row);
            ERROR_TRY(csv_writer_row(&s->csv, row));
            s->rows++;
        }
    }
}

/* Reads frames [first, first + count) of the movie into s->frames (frame, plane, row, column). */
static mumloc_status read_batch(run_state *s, int64_t first, int count, int k, int64_t plane_px) {
    mumloc_status st = MUMLOC_OK;
    if (s->rig_movie) {
#pragma omp parallel for schedule(static)
        for (int f = 0; f < count; f++) {
            mumloc_status r = mumloc_rig_movie_read(s->rig_movie, first + f,
                                                    s->frames + (int64_t)f * k * plane_px);
            if (r != MUMLOC_OK) {
#pragma omp critical(pipeline_read)
                st = r;
            }
        }
        return st;
    }
    const int64_t images = (int64_t)count * k;
#pragma omp parallel for schedule(static)
    for (int64_t i = 0; i < images; i++) {
        mumloc_status r = tiff_reader_read(s->reader, first * k + i, s->frames + i * plane_px);
        if (r != MUMLOC_OK) {
#pragma omp critical(pipeline_read)
            st = r;
        }
    }
    return st;
}

static mumloc_status check_optics(mumloc_model *model, const run_state *s, const char *path) {
    mumloc_optics recorded;
    int found = 0;
    const char *description = s->rig_movie ? mumloc_rig_movie_description(s->rig_movie)
                                           : tiff_reader_description(s->reader);
    ERROR_TRY(mumloc_optics_from_description(description, &found, &recorded));
    if (!found) return MUMLOC_OK; /* a movie without mumloc's record: the user vouches for the optics */
    psf_record psf;
    ERROR_TRY(psf_record_from_description(description, &psf));
    mumloc_status st = model_check_psf(model, &psf, "movie");
    if (st != MUMLOC_OK) {
        char message[1536];
        snprintf(message, sizeof message, "%s", mumloc_last_error());
        return error_fail(st, "'%s' was recorded with another PSF than the model's: %s", path,
                           message);
    }
    st = mumloc_model_check_optics(model, &recorded);
    if (st == MUMLOC_OK) return st;
    char message[1536];
    snprintf(message, sizeof message, "%s", mumloc_last_error());
    return error_fail(st, "'%s' was recorded with other optics than the model's: %s", path,
                       message);
}

/* The optics of a CS run: options->optics, else the movie's record (the reader opened for it is the
 * one open_movie then uses). */
static mumloc_status cs_optics(run_state *s, const mumloc_localize_options *o, const char *path,
                               mumloc_optics *optics) {
    if (o->optics) {
        *optics = *o->optics;
        return MUMLOC_OK;
    }
    ERROR_TRY(tiff_reader_open(path, &s->reader));
    int found = 0;
    ERROR_TRY(mumloc_optics_from_description(tiff_reader_description(s->reader), &found,
                                              optics));
    if (!found)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "CS needs the optics: '%s' does not record them; give an optics file "
                           "(--optics)", path);
    return MUMLOC_OK;
}

/* Opens the movie (or the rig's raw movie): its frame size, and the frames it holds,
 * [*movie_first, *movie_first + *movie_frames) (0-based; a rig's common frames). */
static mumloc_status open_movie(run_state *s, const char *const *paths, int count, int k,
                                const mumloc_localize_options *o, mumloc_localize_summary *sum,
                                int *width, int *height, int64_t *movie_first,
                                int64_t *movie_frames) {
    *movie_first = 0;
    if (o->rig) {
        ERROR_TRY(mumloc_rig_movie_open(o->rig, paths, count, o->planes, &s->rig_movie));
        mumloc_rig_movie_frames(s->rig_movie, movie_first, movie_frames);
        *width = o->rig->width;
        *height = o->rig->height;
        sum->planes_from = MUMLOC_PLANES_CHANNELS;
        return MUMLOC_OK;
    }
    if (count != 1)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "%d movies were given; several files "
                           "make one movie only with a rig of layout files", count);
    if (!s->reader) ERROR_TRY(tiff_reader_open(paths[0], &s->reader));
    const tiff_info *info = tiff_reader_info(s->reader);
    char what[64 + 4096];
    snprintf(what, sizeof what, "'%.4096s'", paths[0]);
    ERROR_TRY(mumloc_plane_layout(info->channels, info->slices, info->frames, k, o->planes, what,
                                   &sum->planes_from, movie_frames));
    *width = info->width;
    *height = info->height;
    return MUMLOC_OK;
}

static mumloc_status localize(mumloc_model *model, const char *const *paths, int path_count,
                              const char *out_path, const mumloc_localize_options *o,
                              mumloc_localize_summary *sum, mumloc_progress_fn progress,
                              void *user, run_state *s) {
    const char *in_path = paths[0];
    mumloc_optics optics;
    if (model) mumloc_model_optics(model, &optics);
    else ERROR_TRY(cs_optics(s, o, in_path, &optics));
    const int k = optics.planes;
    int64_t movie_frames = 0, movie_first = 0;
    int width = 0, height = 0;
    ERROR_TRY(open_movie(s, paths, path_count, k, o, sum, &width, &height, &movie_first,
                          &movie_frames));
    if (movie_frames < 1)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "'%s' holds no frames to localize",
                           in_path);
    if (o->first_frame >= movie_frames)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "the first frame to localize (%lld) is past the movie's end: '%s' has "
                           "frames 1..%lld", (long long)o->first_frame + 1, in_path,
                           (long long)movie_frames);
    int64_t total = movie_frames - o->first_frame;
    if (o->frame_count > 0 && o->frame_count < total) total = o->frame_count;
    /* with a rig the model is checked against the rig's (calibrated) optics instead: a movie's
     * record, where one exists, is the simulation's truth, which a calibration only approaches */
    if (model && !o->rig) ERROR_TRY(check_optics(model, s, in_path));
    sum->width = width;
    sum->height = height;
    sum->field = (mumloc_rig_field){0, 0, width, height};
    sum->planes = k;
    mumloc_localize_options with_drift = *o;
    with_drift.optics = &optics; /* CS: the optics resolved above (the network keeps its model's) */
    if (o->drift_path) {
        s->planes = k;
        s->user_drift = o->drift_callback;
        s->user_drift_data = o->drift_user;
        with_drift.drift_callback = write_drift;
        with_drift.drift_user = s;
        ERROR_TRY(atomic_open(&s->drift_out, o->drift_path));
        ERROR_TRY(csv_writer_begin(&s->drift_csv, s->drift_out.file, o->drift_path,
                                           table_plane_drift_columns,
                                           TABLE_PLANE_DRIFT_COLUMNS));
    }
    /* options were checked and threads set once, at the entry */
    ERROR_TRY(pipeline_localizer_create(model, &with_drift, width, height, &s->localizer));
    if (o->rig) ERROR_TRY(mumloc_rig_common_field(o->rig, &sum->field));

    const int64_t plane_px = (int64_t)width * height;
    int64_t batch = o->batch_frames > 0 ? o->batch_frames : ((int64_t)1 << 20) / (plane_px * k);
    /* on a GPU a push should span a few queued batches, so that transfers, compute and decoding
     * overlap (pipeline_queue.c); 0 on the CPU, which keeps its batches */
    const int64_t queued = 4 * (int64_t)pipeline_queue_batch(s->localizer);
    if (o->batch_frames == 0 && batch < queued) batch = queued;
    /* a push's frames are localized together, a group at a time (pipeline_frame.c): a batch
     * holds at least one group */
    if (o->batch_frames == 0 && batch < s->localizer->group) batch = s->localizer->group;
    /* CS is slow per frame: small batches, so progress and cancel come every few seconds (each
     * batch a whole number of drift groups, one per thread) */
    if (!model && o->batch_frames == 0) batch = (int64_t)o->cs.frames * mumloc_get_threads();
    if (batch < 1) batch = 1;
    if (batch > total) batch = total;
    s->frames = malloc(sizeof(float) * (size_t)(batch * k * plane_px));
    s->record_cap = 4096;
    s->records = malloc(sizeof *s->records * (size_t)s->record_cap);
    if (!s->frames || !s->records)
        return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "no memory for a batch of %lld frames",
                           (long long)batch);
    ERROR_TRY(atomic_open(&s->out, out_path));
    ERROR_TRY(csv_writer_begin(&s->csv, s->out.file, out_path, table_localization_columns,
                                       TABLE_LOCALIZATION_COLUMNS));
    if (progress && progress(user, 0, total))
        return error_fail(MUMLOC_ERR_CANCELLED, "localization cancelled");
    for (int64_t done = 0; done < total;) {
        int count = (int)(total - done < batch ? total - done : batch);
        const int64_t first = movie_first + o->first_frame + done;
        double t0 = pipeline_now();
        ERROR_TRY(read_batch(s, first, count, k, plane_px));
        sum->read_seconds += pipeline_now() - t0;
        mumloc_status st = mumloc_localizer_push(s->localizer, s->frames, count, first);
        if (st != MUMLOC_OK) {
            char message[1536];
            snprintf(message, sizeof message, "%s", mumloc_last_error());
            return error_fail(st, "'%s': %s", in_path, message);
        }
        double t1 = pipeline_now();
        ERROR_TRY(write_pending(s));
        sum->write_seconds += pipeline_now() - t1;
        ERROR_TRY(s->drift_status);
        done += count;
        sum->frames = done;
        if (progress && progress(user, done, total))
            return error_fail(MUMLOC_ERR_CANCELLED, "localization cancelled after %lld of %lld "
                               "frames; no table written", (long long)done, (long long)total);
    }
    /* the windowed drift: estimated over every frame, then the records become pending */
    ERROR_TRY(mumloc_localizer_finish(s->localizer));
    ERROR_TRY(write_pending(s));
    ERROR_TRY(s->drift_status);
    if (o->drift_path) ERROR_TRY(atomic_commit(&s->drift_out));
    /* the table appears together with its record of what made it (table/provenance.h) */
    const mumloc_table_origin origin = {in_path, movie_first + movie_frames,
                                        movie_first + o->first_frame, total, s->rows};
    provenance record;
    ERROR_TRY(provenance_for_run(&record, model, &with_drift, &origin));
    mumloc_status st = provenance_commit_with_table(&s->out, out_path, &record);
    provenance_free(&record);
    return st;
}

mumloc_status mumloc_localize_file(mumloc_model *model, const char *in_path,
                                   const char *out_csv_path, const mumloc_localize_options *options,
                                   mumloc_localize_summary *summary, mumloc_progress_fn progress,
                                   void *user) {
    return mumloc_localize_files(model, &in_path, 1, out_csv_path, options, summary, progress,
                                 user);
}

mumloc_status mumloc_localize_files(mumloc_model *model, const char *const *in_paths, int count,
                                    const char *out_csv_path,
                                    const mumloc_localize_options *options,
                                    mumloc_localize_summary *summary,
                                    mumloc_progress_fn progress, void *user) {
    const int cs = options && options->method == MUMLOC_METHOD_CS;
    if ((!model && !cs) || !in_paths || count < 1 || !out_csv_path)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "mumloc_localize_file needs a model (or method cs), a movie and a table "
                           "path");
    for (int f = 0; f < count; f++) {
        const char *in_path = in_paths[f];
        if (!in_path)
            return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "movie file %d is missing", f + 1);
        if (mumloc_files_same(in_path, out_csv_path))
            return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                               "the table must not overwrite the movie '%s'", in_path);
        if (options && options->drift_path &&
            (mumloc_files_same(options->drift_path, in_path) ||
             mumloc_files_same(options->drift_path, out_csv_path)))
            return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                               "the drift table '%s' must not overwrite the movie or the table",
                               options->drift_path);
    }
    mumloc_localize_options defaults;
    mumloc_localize_options_default(&defaults);
    if (!options) options = &defaults;
    ERROR_TRY(mumloc_localize_options_validate(options));
    if (options->threads > 0) ERROR_TRY(mumloc_set_threads(options->threads));
    threads_apply();
    const double start = pipeline_now();
    mumloc_localize_summary sum;
    memset(&sum, 0, sizeof sum);
    run_state s;
    memset(&s, 0, sizeof s);
    mumloc_status st = localize(model, in_paths, count, out_csv_path, options, &sum, progress,
                                user, &s);
    if (st != MUMLOC_OK) {
        atomic_abort(&s.out);
        atomic_abort(&s.drift_out);
    }
    sum.localizations = s.rows;
    pipeline_stage_seconds(s.localizer, &sum);
    sum.seconds = pipeline_now() - start;
    if (model) mumloc_model_device(model, &sum.device);
    else sum.device = (mumloc_device_choice){{MUMLOC_DEVICE_CPU, 0}, "CPU: the CS solver runs on the CPU"};
    mumloc_localizer_destroy(s.localizer);
    tiff_reader_close(s.reader);
    mumloc_rig_movie_close(s.rig_movie);
    free(s.frames);
    free(s.records);
    if (summary) *summary = sum;
    return st;
}
