/* Simulated batches and their targets (see train_data.h). */
#include "train/train_data.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "optics/voxel_geometry.h"
#include "rig/rig_internal.h"

mumloc_status train_data_init(train_data *d, const mumloc_sim_params *sim, const mumloc_rig *rig,
                              uint64_t seed, const mumloc_model *model, int capacity) {
    memset(d, 0, sizeof *d);
    if (rig) {
        d->rig = 1;
        rig_sim_views(rig, 1, d->views);
    }
    mumloc_sim_params params = *sim;
    params.seed = seed;
    params.frames = 1;
    ERROR_TRY(mumloc_simulator_create(&params, &d->sim));
    if (rig) {
        mumloc_status st = sim_use_rig_psf(d->sim, rig); /* the rig's PSF draws the frames */
        if (st != MUMLOC_OK) {
            train_data_free(d);
            return st;
        }
    }
    d->model = model;
    d->width = sim->width;
    d->height = sim->height;
    d->planes = sim->optics.planes;
    d->capacity = capacity;
    d->max_emitters = mumloc_simulator_max_emitters(d->sim);
    for (int p = 0; p < d->planes; p++) ERROR_TRY(voxel_layer(&sim->optics, p, &d->lo[p], &d->hi[p]));
    ERROR_TRY(voxel_slab(&sim->optics, &d->slab_lo, &d->slab_hi));
    int channels, ow, oh;
    mumloc_model_output_size(model, d->width, d->height, &channels, &ow, &oh);
    d->target_per_frame = (int64_t)channels * ow * oh;
    const size_t area = (size_t)d->width * d->height;
    d->input = malloc((size_t)capacity * d->planes * area * sizeof *d->input);
    d->target = malloc((size_t)(capacity * d->target_per_frame) * sizeof *d->target);
    d->truth = malloc((size_t)capacity * (d->max_emitters ? d->max_emitters : 1) * sizeof *d->truth);
    d->truth_count = calloc((size_t)capacity, sizeof *d->truth_count);
    d->weight_map = malloc((size_t)d->planes * area * sizeof *d->weight_map);
    if (!d->input || !d->target || !d->truth || !d->truth_count || !d->weight_map) {
        train_data_free(d);
        return error_fail(MUMLOC_ERR_OUT_OF_MEMORY,
                           "no memory for training batches of %d frames of %dx%d (lower the batch)",
                           capacity, d->width, d->height);
    }
    return MUMLOC_OK;
}

void train_data_free(train_data *d) {
    mumloc_simulator_destroy(d->sim);
    free(d->input);
    free(d->target);
    free(d->truth);
    free(d->truth_count);
    free(d->weight_map);
    memset(d, 0, sizeof *d);
}

/* Layer of depth z (−1 outside the slab). */
static int layer_of(const train_data *d, double z) {
    for (int p = 0; p < d->planes; p++)
        if (z >= d->lo[p] && z < d->hi[p]) return p;
    return -1;
}

static void regression_target(train_data *d, const mumloc_emitter *e, int n, float *t) {
    const int k = d->planes, w = d->width, h = d->height;
    const size_t area = (size_t)w * h;
    const double p = d->model->optics.pixel_nm;
    memset(t, 0, (size_t)d->target_per_frame * sizeof *t);
    for (size_t v = 0; v < k * area; v++) d->weight_map[v] = -1.0f;
    for (int m = 0; m < n; m++) {
        const double gx = e[m].x_nm / p, gy = e[m].y_nm / p;
        const int i = (int)floor(gx), j = (int)floor(gy), layer = layer_of(d, e[m].z_nm);
        if (i < 0 || i >= w || j < 0 || j >= h || layer < 0) continue;
        const size_t at = (size_t)j * w + i, voxel = layer * area + at;
        if (!(e[m].weight > d->weight_map[voxel])) continue; /* a brighter one is already there */
        d->weight_map[voxel] = (float)e[m].weight;
        t[voxel] = 1.0f;
        float *zeta = t + (k + 3 * layer) * area + at;
        zeta[0] = (float)(gx - i);
        zeta[area] = (float)(gy - j);
        zeta[2 * area] = (float)((e[m].z_nm - d->lo[layer]) / (d->hi[layer] - d->lo[layer]));
    }
}

static void voxel_target(const train_data *d, const mumloc_emitter *e, int n, float *t) {
    const int up = MODEL_VOXEL_UPSAMPLING, ow = up * d->width, oh = up * d->height;
    const int slices = (int)(d->target_per_frame / ((int64_t)ow * oh));
    const double size = d->model->optics.pixel_nm / up;
    const double thickness = (d->slab_hi - d->slab_lo) / slices;
    memset(t, 0, (size_t)d->target_per_frame * sizeof *t);
    for (int m = 0; m < n; m++) {
        const int i = (int)floor(e[m].x_nm / size), j = (int)floor(e[m].y_nm / size);
        const int s = (int)floor((e[m].z_nm - d->slab_lo) / thickness);
        if (i < 0 || i >= ow || j < 0 || j >= oh || s < 0 || s >= slices) continue;
        t[((size_t)s * oh + j) * ow + i] = 1.0f;
    }
}

mumloc_status train_data_fill(train_data *d, int64_t first, int count) {
    if (count > d->capacity)
        return error_fail(MUMLOC_ERR_INTERNAL, "training batch of %d frames exceeds %d", count,
                           d->capacity);
    const mumloc_camera *camera = &mumloc_simulator_params(d->sim)->camera;
    const int64_t values = (int64_t)count * d->planes * d->width * d->height;
    ERROR_TRY(sim_frames_viewed(d->sim, d->rig ? d->views : NULL, first, count, d->input));
    /* camera counts → photons, as a user converts real data before the model sees it (a rig: each
     * camera with its own offset and gains) */
    const int64_t area = (int64_t)d->width * d->height;
    for (int64_t i = 0; i < values; i++) {
        const int plane = (int)(i / area % d->planes);
        const double offset = d->rig ? d->views[plane].offset_adu : camera->offset_adu;
        const double per_photon = d->rig ? d->views[plane].adu_per_electron * d->views[plane].em_gain
                                         : camera->adu_per_electron * camera->em_gain;
        d->input[i] = (float)((d->input[i] - offset) / per_photon);
    }
    model_normalise(d->model, d->input, values);
    for (int f = 0; f < count; f++) {
        mumloc_emitter *e = d->truth + (size_t)f * d->max_emitters;
        ERROR_TRY(mumloc_simulate_truth(d->sim, first + f, e, d->max_emitters, &d->truth_count[f]));
        float *t = d->target + f * d->target_per_frame;
        if (mumloc_model_arch(d->model) == MUMLOC_ARCH_VOXEL) voxel_target(d, e, d->truth_count[f], t);
        else regression_target(d, e, d->truth_count[f], t);
    }
    return MUMLOC_OK;
}
