/* The windowed plane drift in the streaming localizer (mumloc_localize_options.drift_window ≥ 2):
 * each pushed frame's decoded records are held and its fit frame (the photons the fits read: a
 * rig's raw camera images) is spooled to a temporary file; mumloc_localizer_finish estimates the
 * drift over all of them (fit/drift_window.h, reading the spool on each pass), then refits every
 * record with the drift held, measures it, adds the drift's share to its bounds and makes it
 * pending, frame by frame in push order with each frame's drift reported. The spool keeps memory
 * bounded whatever the movie's length: a frame's records and k × its fit frame of floats on disk. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/runtime.h"
#include "fit/drift_window.h"
#include "fit/mapped_fits.h"
#include "localize/pipeline.h"
#include "localize/pipeline_localizer.h"
#include "localize/pipeline_pending.h"

typedef struct pipeline_window {
    FILE *spool;
    int64_t frame_floats;
    int64_t slots, slot_cap;
    int64_t *frame, *first; /* first: slot_cap + 1 values */
    mumloc_localization *locs;
    int64_t count, cap;
} pipeline_window;

static void fit_frame_size(const mumloc_localizer *l, int *width, int *height) {
    *width = l->rig ? l->rig->raw_width : l->width;
    *height = l->rig ? l->rig->raw_height : l->height;
}

mumloc_status pipeline_window_create(mumloc_localizer *l) {
    if (l->opt.refine != MUMLOC_REFINE_DRIFT || l->opt.drift_window < 2) return MUMLOC_OK;
    pipeline_window *w = calloc(1, sizeof *w);
    if (!w) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "no memory for the drift window");
    l->window = w;
    int width, height;
    fit_frame_size(l, &width, &height);
    w->frame_floats = (int64_t)l->planes * width * height;
    w->first = calloc(1, sizeof *w->first);
    if (!w->first) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "no memory for the drift window");
    return MUMLOC_OK;
}

void pipeline_window_free(mumloc_localizer *l) {
    pipeline_window *w = l->window;
    if (!w) return;
    if (w->spool) fclose(w->spool);
    free(w->frame);
    free(w->first);
    free(w->locs);
    free(w);
    l->window = NULL;
}

static mumloc_status grow(void **p, int64_t count, size_t size) {
    void *g = realloc(*p, (size_t)count * size);
    if (!g) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "no memory to hold %lld frames' records "
                               "for the drift window", (long long)count);
    *p = g;
    return MUMLOC_OK;
}

mumloc_status pipeline_window_hold(mumloc_localizer *l, int64_t frame, const float *fit_frame,
                                   const mumloc_localization *records, int count) {
    pipeline_window *w = l->window;
    if (!w->spool && !(w->spool = tmpfile()))
        return error_fail(MUMLOC_ERR_IO, "cannot make a temporary file for the drift window's "
                           "frames (the system's temporary folder)");
    if (w->slots == w->slot_cap) {
        const int64_t cap = w->slot_cap * 2 + 64;
        ERROR_TRY(grow((void **)&w->frame, cap, sizeof *w->frame));
        ERROR_TRY(grow((void **)&w->first, cap + 1, sizeof *w->first));
        w->slot_cap = cap;
    }
    if (w->count + count > w->cap) {
        const int64_t cap = (w->count + count) * 2 + 256;
        ERROR_TRY(grow((void **)&w->locs, cap, sizeof *w->locs));
        w->cap = cap;
    }
    if (fseeko(w->spool, (off_t)(w->slots * w->frame_floats * (int64_t)sizeof(float)), SEEK_SET) ||
        fwrite(fit_frame, sizeof(float), (size_t)w->frame_floats, w->spool) !=
            (size_t)w->frame_floats)
        return error_fail(MUMLOC_ERR_IO, "cannot write frame %lld to the drift window's "
                           "temporary file (disk full?)", (long long)frame + 1);
    if (count > 0) memcpy(w->locs + w->count, records, sizeof *w->locs * (size_t)count);
    w->frame[w->slots] = frame;
    w->count += count;
    w->first[++w->slots] = w->count;
    return MUMLOC_OK;
}

static mumloc_status read_slot(void *user, int64_t slot, float *pixels) {
    pipeline_window *w = user;
    if (fseeko(w->spool, (off_t)(slot * w->frame_floats * (int64_t)sizeof(float)), SEEK_SET) ||
        fread(pixels, sizeof(float), (size_t)w->frame_floats, w->spool) != (size_t)w->frame_floats)
        return error_fail(MUMLOC_ERR_IO, "cannot read frame %lld back from the drift window's "
                           "temporary file", (long long)w->frame[slot] + 1);
    return MUMLOC_OK;
}

/* The per-frame report of the windowed estimate at slot's frame. */
static void frame_report(const drift_window_result *r, int planes, double t, int molecules,
                         const double *cov, mumloc_frame_drift *out) {
    memset(out, 0, sizeof *out);
    drift_window_at(r, planes, t, out->dx_dy, NULL);
    for (int d = 1; d < planes; d++) {
        const int q = 2 * (d - 1);
        out->sigma_nm[2 * d] = sqrt(cov[q * r->P + q]);
        out->sigma_nm[2 * d + 1] = sqrt(cov[(q + 1) * r->P + q + 1]);
    }
    out->molecules = molecules;
    out->iterations = r->passes;
    out->converged = r->converged;
    out->clamped = r->clamped;
    const mumloc_drift_outcome informed = drift_mark_estimated(out, planes);
    out->outcome = r->used < 2 ? MUMLOC_DRIFT_TOO_FEW_MOLECULES : informed;
}

/* Every held record refitted with the drift held, measured, its bounds widened by the drift's
 * share, made pending and its frame's drift reported (slot order). */
static mumloc_status apply(mumloc_localizer *l, const drift_window_result *r,
                           const pixel_noise *noise) {
    pipeline_window *w = l->window;
    const pipeline_rig *rig = l->rig;
    const plane_map *map = rig ? &rig->map : NULL;
    const mumloc_camera *camera = rig ? &rig->noise_camera : &l->opt.camera;
    int width, height;
    fit_frame_size(l, &width, &height);
    const int P = r->P > 0 ? r->P : 1;
    const int64_t chunk = drift_window_chunk(w->frame_floats, w->slots);
    float *buffer = malloc(sizeof *buffer * (size_t)(chunk * w->frame_floats));
    double *cov = malloc(sizeof *cov * (size_t)(chunk * P * P));
    if (!buffer || !cov) {
        free(buffer);
        free(cov);
        return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "no memory for %lld frames", (long long)chunk);
    }
    mumloc_status st = MUMLOC_OK;
    for (int64_t s0 = 0; s0 < w->slots && st == MUMLOC_OK; s0 += chunk) {
        const int64_t count = w->slots - s0 < chunk ? w->slots - s0 : chunk;
        for (int64_t i = 0; i < count && st == MUMLOC_OK; i++)
            st = read_slot(w, s0 + i, buffer + i * w->frame_floats);
        if (st != MUMLOC_OK) break;
#pragma omp parallel for schedule(dynamic, 1)
        for (int64_t i = 0; i < count; i++) {
            const int64_t slot = s0 + i;
            const float *px = buffer + i * w->frame_floats;
            mumloc_localization *locs = w->locs + w->first[slot];
            const int n = (int)(w->first[slot + 1] - w->first[slot]);
            double dx_dy[2 * MUMLOC_MAX_PLANES], *c = cov + i * P * P;
            drift_window_at(r, l->planes, (double)w->frame[slot], dx_dy, c);
            mumloc_status s = MUMLOC_OK;
            if (n > 0)
                s = localizations_refine_mapped(&l->optics, camera, map, px, width, height,
                                                       dx_dy, locs, n);
            if (s == MUMLOC_OK && n > 0 && l->opt.measure)
                s = localizations_measure_mapped(&l->optics, camera, map, px, width,
                                                        height, dx_dy, locs, n);
            if (s == MUMLOC_OK && n > 0 && l->opt.measure && r->P > 0)
                s = drift_add_uncertainty(&l->optics, noise, map, px, width, height, dx_dy,
                                                 c, locs, n);
            if (s != MUMLOC_OK) {
#pragma omp critical(pipeline_window_error)
                st = s;
            }
        }
        for (int64_t i = 0; i < count && st == MUMLOC_OK; i++) {
            const int64_t slot = s0 + i;
            const int64_t n = w->first[slot + 1] - w->first[slot];
            st = pipeline_append_records(l, w->locs + w->first[slot], (int)n);
            if (st == MUMLOC_OK && l->opt.drift_callback) {
                mumloc_frame_drift report;
                frame_report(r, l->planes, (double)w->frame[slot], r->molecules[slot],
                             cov + i * P * P, &report);
                l->opt.drift_callback(l->opt.drift_user, w->frame[slot], &report);
            }
        }
    }
    free(buffer);
    free(cov);
    return st;
}

mumloc_status mumloc_localizer_finish(mumloc_localizer *l) {
    if (!l) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "finish needs a localizer");
    pipeline_window *w = l->window;
    if (!w || w->slots == 0) return MUMLOC_OK;
    threads_apply();
    const double start = pipeline_now();
    const mumloc_camera *camera = l->rig ? &l->rig->noise_camera : &l->opt.camera;
    const pixel_noise noise = pixel_noise_of(camera);
    int width, height;
    fit_frame_size(l, &width, &height);
    const drift_window_input in = {&l->optics, &noise, l->rig ? &l->rig->map : NULL,
                                          width, height, l->opt.drift_window, w->slots,
                                          w->frame, w->first, w->locs, read_slot, w};
    drift_window_result r;
    mumloc_status st = drift_window_estimate(&in, &r);
    if (st == MUMLOC_OK) {
        st = apply(l, &r, &noise);
        drift_window_free(&r);
    }
    w->slots = 0; /* the next push starts another movie */
    w->count = 0;
    l->refine_seconds += pipeline_now() - start;
    return st;
}
