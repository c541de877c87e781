/* A rig's cameras in the simulator: one view per plane (simulate/simulator.h) from the rig's cameras. */
#include <string.h>

#include "core/error.h"
#include "rig/rig_internal.h"
#include "rig/rig_psf.h"
#include "simulate/simulator.h"

void mumloc_rig_sim_params(const mumloc_rig *rig, mumloc_sim_params *params) {
    if (!rig || !params) return;
    params->optics = rig->optics;
    params->width = rig->width;
    params->height = rig->height;
}

void rig_sim_views(const mumloc_rig *rig, int registered, sim_view *views) {
    for (int d = 0; d < rig->optics.planes; d++) {
        const mumloc_rig_camera *c = &rig->camera[d];
        sim_view *v = &views[d];
        memset(v, 0, sizeof *v);
        /* registered frames are what the network sees after resampling onto camera 1's grid: the
         * reference geometry, each camera's own noise; camera 1 needs no mapping either way */
        v->mapped = !registered && d > 0;
        memcpy(v->to_camera, c->to_camera, sizeof v->to_camera);
        v->width_scale = rig_scale(c->to_camera);
        v->frame_offset = registered ? 0 : c->frame_offset;
        v->offset_adu = c->offset_adu;
        v->adu_per_electron = c->adu_per_electron;
        v->em_gain = c->em_gain;
        v->read_noise_e = c->read_noise_e;
    }
}

mumloc_status mumloc_simulate_rig_frames(const mumloc_simulator *sim, const mumloc_rig *rig,
                                         int64_t first, int64_t count, float *pixels) {
    if (!sim || !rig)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "simulate rig frames: simulator and rig are required");
    ERROR_TRY(mumloc_rig_validate(rig));
    const mumloc_sim_params *p = mumloc_simulator_params(sim);
    if (memcmp(&p->optics, &rig->optics, sizeof rig->optics) != 0 || p->width != rig->width ||
        p->height != rig->height)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "simulate rig frames: the simulator's optics and frame size must be the "
                           "rig's; make its parameters with mumloc_rig_sim_params");
    sim_view views[MUMLOC_MAX_PLANES];
    rig_sim_views(rig, 0, views);
    return sim_frames_viewed(sim, views, first, count, pixels);
}

mumloc_status sim_use_rig_psf(mumloc_simulator *sim, const mumloc_rig *rig) {
    if (!rig || rig->psf == MUMLOC_PSF_GAUSSIAN) return sim_set_spline(sim, NULL);
    spline_set set;
    psf_model model;
    ERROR_TRY(rig_psf_model(rig, &set, &model));
    mumloc_status st = sim_set_spline(sim, model.spline);
    spline_set_free(&set);
    return st;
}
