/* Options of the localization pipeline: defaults and checks. */
#include <math.h>
#include <string.h>
#include <time.h>

#include "core/enum_names.h"
#include "core/error.h"
#include "localize/pipeline_options.h"
#include "model/model_infer.h"

void mumloc_localize_options_default(mumloc_localize_options *o) {
    if (!o) return;
    mumloc_camera_default(&o->camera); /* offset 0, gain 1, EM gain 1: values are photons */
    o->threshold = 0.0;
    o->merge_distance_nm = 100.0;
    o->neighbourhood = 1;
    o->planes = MUMLOC_PLANES_AUTO;
    o->first_frame = 0;
    o->frame_count = 0;
    o->tile = 0;
    o->threads = 0;
    o->measure = 1;
    o->batch_frames = 0;
    o->device = (mumloc_device){MUMLOC_DEVICE_AUTO, 0};
    o->refine = MUMLOC_REFINE_POSITIONS;
    o->drift_callback = NULL;
    o->drift_user = NULL;
    o->drift_path = NULL;
    o->rig = NULL;
    o->precision = MUMLOC_PRECISION_AUTO;
    o->method = MUMLOC_METHOD_NETWORK;
    mumloc_cs_options_default(&o->cs);
    o->optics = NULL;
    o->drift_window = 1;
}

static const char *const refine_names[] = {"none", "positions", "drift"};

const char *mumloc_refine_mode_name(int mode) {
    return enum_name(refine_names, ENUM_COUNT(refine_names), mode);
}

mumloc_status mumloc_refine_mode_from_name(const char *name, mumloc_refine_mode *out) {
    int v = 0;
    mumloc_status status =
        enum_from_name(refine_names, ENUM_COUNT(refine_names), "refinement", name, &v);
    if (status == MUMLOC_OK && out) *out = (mumloc_refine_mode)v;
    return status;
}

mumloc_status mumloc_localize_options_validate(const mumloc_localize_options *o) {
    if (!o) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "localize options must not be NULL");
    ERROR_TRY(mumloc_camera_validate(&o->camera));
    if (o->rig) ERROR_TRY(mumloc_rig_validate(o->rig));
    if (!(o->threshold >= 0.0 && o->threshold < 1.0))
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "threshold must be in [0, 1) (0 = the model's default), got %g",
                           o->threshold);
    if (!(o->merge_distance_nm >= 0.0 && isfinite(o->merge_distance_nm)))
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "merge distance must be a finite number of nm >= 0, got %g",
                           o->merge_distance_nm);
    if (o->neighbourhood < 0 || o->neighbourhood > 8)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "neighbourhood must be 0..8, got %d",
                           o->neighbourhood);
    if (o->planes < MUMLOC_PLANES_AUTO || o->planes > MUMLOC_PLANES_SLICES)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "planes must be auto, channels or slices (got %d)", (int)o->planes);
    if (o->first_frame < 0 || o->frame_count < 0)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "frame range must be first >= 0 and count >= 0 (got %lld, %lld)",
                           (long long)o->first_frame, (long long)o->frame_count);
    if (o->tile != 0 && (o->tile < 8 || o->tile > 65536))
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "tile must be 0 (automatic) or 8..65536 pixels, got %d", o->tile);
    if (o->threads < 0 || o->threads > 4096)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "threads must be 0..4096, got %d",
                           o->threads);
    if (o->measure != 0 && o->measure != 1)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "measure must be 0 or 1, got %d",
                           o->measure);
    if (o->batch_frames < 0 || o->batch_frames > 1000000)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "batch_frames must be 0 (automatic) or 1..1000000, got %d",
                           o->batch_frames);
    if (o->device.kind == MUMLOC_DEVICE_CUDA && o->device.index < 0)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "device cuda:%d: the number must be >= 0",
                           o->device.index);
    if (o->device.kind != MUMLOC_DEVICE_CPU && o->device.kind != MUMLOC_DEVICE_AUTO &&
        o->device.kind != MUMLOC_DEVICE_CUDA)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "unknown device kind %d",
                           (int)o->device.kind);
    if (!mumloc_refine_mode_name((int)o->refine))
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "refine must be none (0), positions (1) or drift (2), got %d",
                           (int)o->refine);
    if (!mumloc_precision_name((int)o->precision))
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "precision must be auto (0), fp32 (1) or bf16 (2), got %d",
                           (int)o->precision);
    if ((o->drift_path || o->drift_callback) && o->refine != MUMLOC_REFINE_DRIFT)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "a drift output (file or callback) needs refine = drift: only the drift "
                           "refinement estimates the drift");
    if (o->drift_window < 1 || o->drift_window > MUMLOC_MAX_DRIFT_WINDOW)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "drift-window must be 1 (each frame its own drift) to %d frames, got %d",
                           MUMLOC_MAX_DRIFT_WINDOW, o->drift_window);
    if (o->drift_window > 1 && o->refine != MUMLOC_REFINE_DRIFT)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "drift-window %d needs refine = drift: only the drift refinement "
                           "estimates the drift", o->drift_window);
    if (o->drift_window > 1 && o->method == MUMLOC_METHOD_CS)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "drift-window is for the network's refinement; method cs shares one "
                           "drift over cs.frames frames");
    if (!mumloc_localize_method_name((int)o->method))
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "method must be network (0) or cs (1), got %d", (int)o->method);
    if (o->method == MUMLOC_METHOD_CS) {
        if (o->rig)
            return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                               "method cs takes registered movies, not a rig's raw camera data: "
                               "localize the rig with the network (method network)");
        ERROR_TRY(mumloc_cs_options_validate(&o->cs));
        if (o->optics) ERROR_TRY(mumloc_optics_validate(o->optics));
    }
    return MUMLOC_OK;
}

int pipeline_default_tile(const mumloc_model *model) {
    return model_infer_auto_tile(model, mumloc_model_arch(model) == MUMLOC_ARCH_VOXEL ? 64 : 512);
}

double pipeline_now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}
