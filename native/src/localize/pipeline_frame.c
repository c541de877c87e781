/* One frame's steps around the network, shared by every path of the localizer (pipeline.c frame by
 * frame, pipeline_queue.c in batches, pipeline_cs.c after the CS solver): camera values → photons
 * before, and after: decode, refinement, photometry and bounds, pending records. Below those files,
 * so that none of them calls back into another.
 *
 * Why several frames at once after the network: a frame's refinement and photometry are parallel
 * over its molecules, but a 64×64 frame holds a few dozen, the multi-emitter sweeps go colour by
 * colour with a barrier each, and 2 threads then spend much of the time waiting. Frames are
 * independent, so several frames, one per thread, keep every thread busy with no barrier inside a
 * frame (the fits' own parallel loops run on the one thread: OpenMP leaves nested regions inactive
 * by default). Every fit gives the same result on any number of threads, and records are committed
 * in frame order, so the table is that of frame-by-frame localization, byte for byte. */
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "fit/drift_window.h"
#include "fit/mapped_fits.h"
#include "localize/pipeline_options.h"
#include "localize/pipeline_frame.h"
#include "localize/pipeline_localizer.h"
#include "localize/pipeline_pending.h"

#define FIRST_FOUND_CAP 1024

void pipeline_free_slots(mumloc_localizer *l) {
    for (int s = 0; s < l->slot_count && l->slots; s++) free(l->slots[s].found);
    free(l->slots);
    l->slots = NULL;
    l->slot_count = 0;
}

mumloc_status pipeline_alloc_slots(mumloc_localizer *l, int count) {
    pipeline_free_slots(l);
    l->slots = calloc((size_t)count, sizeof *l->slots);
    if (!l->slots) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "no memory for %d frames' work", count);
    l->slot_count = count;
    for (int s = 0; s < count; s++) {
        /* never NULL: the decoders read (NULL, 0) as a size query */
        l->slots[s].found = malloc(sizeof *l->slots[s].found * FIRST_FOUND_CAP);
        if (!l->slots[s].found)
            return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "no memory for a frame's records");
        l->slots[s].found_cap = FIRST_FOUND_CAP;
    }
    return MUMLOC_OK;
}

/* Decodes a frame's full network output, growing the record buffer when a frame holds more. */
static mumloc_status decode(const mumloc_localizer *l, pipeline_frame *w) {
    for (;;) {
        mumloc_status st;
        if (l->arch == MUMLOC_ARCH_VOXEL)
            st = mumloc_decode_voxel(&l->optics, w->output, l->channels, l->upsampling, l->width,
                                     l->height, &l->decode, w->frame, w->found, w->found_cap,
                                     &w->count);
        else
            st = mumloc_decode_regression(&l->optics, w->output, l->width, l->height, &l->decode,
                                          w->frame, w->found, w->found_cap, &w->count);
        if (st == MUMLOC_OK || w->count <= w->found_cap) return st;
        int cap = w->count + w->count / 2 + 64;
        mumloc_localization *grown = realloc(w->found, sizeof *grown * (size_t)cap);
        if (!grown) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "no memory for %d records", cap);
        w->found = grown;
        w->found_cap = cap;
    }
}

void pipeline_convert_frame(const mumloc_localizer *l, const float *values, float *photons) {
    if (l->rig) {
        pipeline_rig *r = l->rig;
        memcpy(r->raw_photons, values, sizeof(float) * (size_t)pipeline_input_floats(l));
        mumloc_rig_to_photons(&r->rig, r->raw_photons);
        /* the field lies inside the rig's frame by construction: this cannot fail */
        mumloc_rig_resample(&r->rig, &r->field, r->raw_photons, photons);
        return;
    }
    const int64_t n = (int64_t)l->planes * l->width * l->height;
    const float scale = (float)(1.0 / (l->opt.camera.adu_per_electron * l->opt.camera.em_gain));
    const float offset = (float)l->opt.camera.offset_adu;
    for (int64_t i = 0; i < n; i++) photons[i] = (values[i] - offset) * scale;
}

/* A frame's records and drift (reads the localizer only: frames run concurrently). */
static mumloc_status work(const mumloc_localizer *l, pipeline_frame *w) {
    w->count = 0;
    w->has_drift = 0;
    w->held = 0;
    w->decode_seconds = w->refine_seconds = w->measure_seconds = 0;
    double t0 = pipeline_now();
    ERROR_TRY(decode(l, w));
    double t1 = pipeline_now();
    w->decode_seconds = t1 - t0;
    const int n = w->count;
    mumloc_localization *found = w->found;
    /* with a rig: positions from the field back to camera 1's whole frame, and the fits on the
     * raw camera images through the exact affine (one frame at a time: raw_photons is the rig's) */
    const pipeline_rig *r = l->rig;
    const plane_map *map = r ? &r->map : NULL;
    const mumloc_camera *camera = r ? &r->noise_camera : &l->opt.camera;
    const float *fit_frame = r ? r->raw_photons : w->photons;
    const int fit_width = r ? r->raw_width : l->width, fit_height = r ? r->raw_height : l->height;
    if (r)
        for (int m = 0; m < n; m++) {
            found[m].x_nm += r->field.x0 * l->optics.pixel_nm;
            found[m].y_nm += r->field.y0 * l->optics.pixel_nm;
        }
    if (l->window) { /* the drift comes from every frame: refined and measured at the finish */
        w->held = 1;
        return MUMLOC_OK;
    }
    const double *dx_dy = NULL;
    if (l->opt.refine == MUMLOC_REFINE_POSITIONS && n > 0)
        ERROR_TRY(localizations_refine_mapped(&l->optics, camera, map, fit_frame,
                                                      fit_width, fit_height, NULL, found, n));
    if (l->opt.refine == MUMLOC_REFINE_DRIFT) {
        ERROR_TRY(localizations_refine_with_drift_mapped(&l->optics, camera, map,
                                                                 fit_frame, fit_width, fit_height,
                                                                 found, n, &w->drift));
        dx_dy = w->drift.dx_dy;
        w->has_drift = 1;
    }
    double t2 = pipeline_now();
    w->refine_seconds = t2 - t1;
    if (l->opt.measure && n > 0)
        ERROR_TRY(localizations_measure_mapped(&l->optics, camera, map, fit_frame,
                                                       fit_width, fit_height, dx_dy, found, n));
    if (l->opt.measure && n > 0 && dx_dy && l->planes > 1) { /* the frame's drift estimate's share */
        const pixel_noise noise = pixel_noise_of(camera);
        ERROR_TRY(drift_add_uncertainty(&l->optics, &noise, map, fit_frame, fit_width,
                                                fit_height, dx_dy, w->drift.covariance, found, n));
    }
    w->measure_seconds = pipeline_now() - t2;
    return MUMLOC_OK;
}

/* In frame order: with a drift window the decoded records and the fit frame are held for
 * mumloc_localizer_finish (the spool keeps push order), else the records become pending. */
static mumloc_status commit(mumloc_localizer *l, pipeline_frame *w) {
    if (w->held) {
        const double t = pipeline_now();
        const float *fit_frame = l->rig ? l->rig->raw_photons : w->photons;
        ERROR_TRY(pipeline_window_hold(l, w->frame, fit_frame, w->found, w->count));
        l->refine_seconds += pipeline_now() - t;
        return MUMLOC_OK;
    }
    ERROR_TRY(pipeline_append_records(l, w->found, w->count));
    if (w->has_drift && l->opt.drift_callback)
        l->opt.drift_callback(l->opt.drift_user, w->frame, &w->drift);
    return MUMLOC_OK;
}

mumloc_status pipeline_localize_frame(mumloc_localizer *l, int64_t frame, const float *photons,
                                      const float *output) {
    return pipeline_localize_frames(l, frame, 1, photons, 0, output, 0);
}

mumloc_status pipeline_localize_frames(mumloc_localizer *l, int64_t first_frame, int count,
                                       const float *photons, int64_t photon_stride,
                                       const float *outputs, int64_t output_stride) {
    for (int f = 0; f < count; f++) {
        pipeline_frame *w = &l->slots[f];
        w->frame = first_frame + f;
        w->photons = photons + f * photon_stride;
        w->output = outputs + f * output_stride;
    }
    const double start = pipeline_now();
    if (count == 1) {
        l->slots[0].status = work(l, &l->slots[0]);
    } else {
#pragma omp parallel for schedule(dynamic, 1)
        for (int f = 0; f < count; f++) l->slots[f].status = work(l, &l->slots[f]);
    }
    /* the stage timers share out the wall time of the frames' work in proportion to each stage's
     * thread time, so that the stages still add up to the run's time */
    const double wall = pipeline_now() - start;
    double decode_s = 0, refine_s = 0, measure_s = 0;
    for (int f = 0; f < count; f++) {
        decode_s += l->slots[f].decode_seconds;
        refine_s += l->slots[f].refine_seconds;
        measure_s += l->slots[f].measure_seconds;
    }
    const double busy = decode_s + refine_s + measure_s;
    const double scale = count == 1 || !(busy > 0) ? 1.0 : wall / busy;
    l->decode_seconds += decode_s * scale;
    l->refine_seconds += refine_s * scale;
    l->measure_seconds += measure_s * scale;
    for (int f = 0; f < count; f++) {
        pipeline_frame *w = &l->slots[f];
        if (w->status != MUMLOC_OK) {
            if (count == 1) return w->status; /* this thread's message stands */
            /* messages are per thread: redo the frame here for the caller's message */
            mumloc_status again = work(l, w);
            if (again != MUMLOC_OK) return again;
            return error_fail(w->status, "frame %lld could not be localized",
                               (long long)w->frame + 1);
        }
        ERROR_TRY(commit(l, w));
    }
    return MUMLOC_OK;
}
