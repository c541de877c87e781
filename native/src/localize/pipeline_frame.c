/* One frame's steps around the network, shared by every path of the localizer (pipeline.c frame by
 * frame, pipeline_queue.c in batches, pipeline_cs.c after the CS solver): camera values → photons
 * before, and after: decode, refinement, photometry and bounds, pending records. Below those files,
 * so that none of them calls back into another. */
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "fit/mapped_fits.h"
#include "localize/pipeline_options.h"
#include "localize/pipeline_frame.h"
#include "localize/pipeline_localizer.h"

/* Decodes a frame's full network output, growing the record buffer when a frame holds more. */
static mumloc_status decode(mumloc_localizer *l, const float *output, int64_t frame, int *count) {
    for (;;) {
        mumloc_status st;
        if (l->arch == MUMLOC_ARCH_VOXEL)
            st = mumloc_decode_voxel(&l->optics, output, l->channels, l->upsampling, l->width,
                                     l->height, &l->decode, frame, l->found, l->found_cap, count);
        else
            st = mumloc_decode_regression(&l->optics, output, l->width, l->height, &l->decode,
                                          frame, l->found, l->found_cap, count);
        if (st == MUMLOC_OK || *count <= l->found_cap) return st;
        int cap = *count + *count / 2 + 64;
        mumloc_localization *grown = realloc(l->found, sizeof *grown * (size_t)cap);
        if (!grown) return mumloc_fail(MUMLOC_ERR_OUT_OF_MEMORY, "no memory for %d records", cap);
        l->found = grown;
        l->found_cap = cap;
    }
}

mumloc_status pipeline_append_pending(mumloc_localizer *l, int count) {
    if (count == 0) return MUMLOC_OK; /* buffers may still be NULL: no pointer arithmetic on them */
    if (l->pending_first > 0) { /* drop what was taken (one move per push, not per take) */
        memmove(l->pending, l->pending + l->pending_first,
                sizeof *l->pending * (size_t)l->pending_count);
        l->pending_first = 0;
    }
    if (l->pending_count + count > l->pending_cap) {
        int64_t cap = (l->pending_count + count) * 2 + 64;
        mumloc_localization *grown = realloc(l->pending, sizeof *grown * (size_t)cap);
        if (!grown)
            return mumloc_fail(MUMLOC_ERR_OUT_OF_MEMORY, "no memory for %lld localizations "
                               "(take them more often)", (long long)cap);
        l->pending = grown;
        l->pending_cap = cap;
    }
    memcpy(l->pending + l->pending_count, l->found, sizeof *l->found * (size_t)count);
    l->pending_count += count;
    return MUMLOC_OK;
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

mumloc_status pipeline_localize_frame(mumloc_localizer *l, int64_t frame, const float *photons,
                                      const float *output) {
    int n = 0;
    double t0 = pipeline_now();
    MUMLOC_TRY(decode(l, output, frame, &n));
    double t1 = pipeline_now();
    l->decode_seconds += t1 - t0;
    /* with a rig: positions from the field back to camera 1's whole frame, and the fits on the
     * raw camera images through the exact affine */
    const pipeline_rig *r = l->rig;
    const mumloc_plane_map *map = r ? &r->map : NULL;
    const mumloc_camera *camera = r ? &r->noise_camera : &l->opt.camera;
    const float *fit_frame = r ? r->raw_photons : photons;
    const int fit_width = r ? r->raw_width : l->width, fit_height = r ? r->raw_height : l->height;
    if (r)
        for (int m = 0; m < n; m++) {
            l->found[m].x_nm += r->field.x0 * l->optics.pixel_nm;
            l->found[m].y_nm += r->field.y0 * l->optics.pixel_nm;
        }
    mumloc_frame_drift drift;
    const double *dx_dy = NULL;
    if (l->opt.refine == MUMLOC_REFINE_POSITIONS && n > 0)
        MUMLOC_TRY(mumloc_localizations_refine_mapped(&l->optics, camera, map, fit_frame,
                                                      fit_width, fit_height, NULL, l->found, n));
    if (l->opt.refine == MUMLOC_REFINE_DRIFT) {
        MUMLOC_TRY(mumloc_localizations_refine_with_drift_mapped(&l->optics, camera, map,
                                                                 fit_frame, fit_width, fit_height,
                                                                 l->found, n, &drift));
        dx_dy = drift.dx_dy;
    }
    double t2 = pipeline_now();
    l->refine_seconds += t2 - t1;
    if (l->opt.measure && n > 0)
        MUMLOC_TRY(mumloc_localizations_measure_mapped(&l->optics, camera, map, fit_frame,
                                                       fit_width, fit_height, dx_dy, l->found,
                                                       n));
    l->measure_seconds += pipeline_now() - t2;
    MUMLOC_TRY(pipeline_append_pending(l, n));
    if (dx_dy && l->opt.drift_callback) l->opt.drift_callback(l->opt.drift_user, frame, &drift);
    return MUMLOC_OK;
}
