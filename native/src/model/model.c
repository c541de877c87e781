/* The public model handle (mumloc.h "Models and training"): create, load, save, inspect, forward. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/device.h"
#include "core/enum_names.h"
#include "core/error.h"
#include "core/runtime.h"
#include "core/sha256.h"
#include "model/model_handle.h"
#include "nn/model_file.h"

static const char *const arch_names[] = {"regression", "voxel"};

const char *mumloc_arch_name(int arch) {
    return enum_name(arch_names, ENUM_COUNT(arch_names), arch);
}

/* The bundled models, one per architecture, in the repository's test-data/ (and the plugin jar). */
static const char *const bundled_model_files[] = {"default-model.safetensors",
                                                  "voxel-model.safetensors"};

const char *mumloc_bundled_model_file(int arch) {
    return enum_name(bundled_model_files, ENUM_COUNT(bundled_model_files), arch);
}

mumloc_status mumloc_arch_from_name(const char *name, mumloc_arch *out) {
    int v = 0;
    mumloc_status status =
        enum_from_name(arch_names, ENUM_COUNT(arch_names), "architecture", name, &v);
    if (status == MUMLOC_OK && out) *out = (mumloc_arch)v;
    return status;
}

/* The backend a new model is built on: the CPU where no device is named (the handle's "where models
 * start"), else the device's, resolved as mumloc_device_resolve says (choice filled). */
static mumloc_status new_backend(const mumloc_device *device, nn_backend **be,
                                 mumloc_device_choice *choice) {
    if (!device) return nn_backend_cpu_create(be);
    threads_apply();
    return nn_backend_create_for_device(*device, be, choice);
}

/* A handle made on a named device says so, and takes the precision request's effect there (fp32 at
 * first, as a model moved there by mumloc_model_set_device). */
static mumloc_status placed(mumloc_model *m, const mumloc_device *device,
                            const mumloc_device_choice *choice) {
    if (!device) return MUMLOC_OK;
    m->device = *choice;
    return model_apply_precision(m, 0);
}

mumloc_status model_create_on(mumloc_arch arch, const mumloc_optics *optics,
                              const mumloc_camera *camera, double weight_max, uint64_t seed,
                              const mumloc_device *device, mumloc_device_choice *choice,
                              mumloc_model **out) {
    if (!out) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "mumloc_model_create needs out");
    *out = NULL;
    if (!mumloc_arch_name((int)arch))
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "unknown architecture %d", (int)arch);
    if (!optics) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "a model needs optics");
    ERROR_TRY(mumloc_optics_validate(optics));
    mumloc_camera default_camera;
    mumloc_camera_default(&default_camera);
    if (!camera) camera = &default_camera;
    ERROR_TRY(mumloc_camera_validate(camera));
    if (!(weight_max > 0)) weight_max = 1.0;
    threads_apply();
    nn_model_config cfg;
    nn_model_config_default(&cfg, arch == MUMLOC_ARCH_VOXEL ? NN_ARCH_VOXEL : NN_ARCH_REGRESSION);
    cfg.planes = optics->planes;
    cfg.seed = seed;
    mumloc_device_choice local;
    if (!choice) choice = &local;
    nn_backend *be = NULL;
    ERROR_TRY(new_backend(device, &be, choice));
    nn_model *nn = NULL;
    mumloc_status st = nn_model_create(be, &cfg, &nn); /* weights drawn on the host, uploaded */
    if (st != MUMLOC_OK) {
        nn_backend_destroy(be);
        return st;
    }
    ERROR_TRY(model_adopt_new(be, nn, optics, camera, weight_max, out));
    st = placed(*out, device, choice);
    if (st != MUMLOC_OK) {
        mumloc_model_destroy(*out);
        *out = NULL;
    }
    return st;
}

mumloc_status mumloc_model_create(mumloc_arch arch, const mumloc_optics *optics,
                                  const mumloc_camera *camera, double weight_max, uint64_t seed,
                                  mumloc_model **out) {
    return model_create_on(arch, optics, camera, weight_max, seed, NULL, NULL, out);
}

mumloc_status mumloc_model_load_on_device(const char *path, const mumloc_device *device,
                                          mumloc_device_choice *choice, mumloc_model **out) {
    mumloc_device_choice local;
    if (!choice) choice = &local;
    memset(choice, 0, sizeof *choice);
    choice->device.kind = MUMLOC_DEVICE_CPU;
    if (!out || !path) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "mumloc_model_load needs a path");
    *out = NULL;
    threads_apply();
    nn_backend *be = NULL;
    ERROR_TRY(new_backend(device, &be, choice));
    nn_model *nn = NULL;
    mumloc_status st = nn_model_load(be, path, &nn); /* read on the host, uploaded tensor by tensor */
    if (st != MUMLOC_OK) {
        nn_backend_destroy(be);
        return st;
    }
    ERROR_TRY(model_adopt_loaded(be, nn, path, out));
    st = placed(*out, device, choice);
    /* the file's digest, for the provenance of the tables this model makes */
    if (st == MUMLOC_OK) st = sha256_file(path, (*out)->sha256);
    if (st != MUMLOC_OK) {
        mumloc_model_destroy(*out);
        *out = NULL;
        return st;
    }
    *choice = (*out)->device;
    return MUMLOC_OK;
}

mumloc_status mumloc_model_load(const char *path, mumloc_model **out) {
    return mumloc_model_load_on_device(path, NULL, NULL, out);
}

const char *mumloc_model_sha256(const mumloc_model *model) { return model ? model->sha256 : ""; }

mumloc_status mumloc_model_save(mumloc_model *model, const char *path) {
    if (!model || !path)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "mumloc_model_save needs a model and a path");
    /* a trained model keeps Adam's state so that training can resume from the file */
    return nn_model_save(model->nn, path, model->nn->adam_steps > 0);
}

mumloc_arch mumloc_model_arch(const mumloc_model *model) {
    return model->nn->cfg.arch == NN_ARCH_VOXEL ? MUMLOC_ARCH_VOXEL : MUMLOC_ARCH_REGRESSION;
}

int64_t mumloc_model_parameter_count(const mumloc_model *model) {
    return nn_model_parameter_count(model->nn);
}

void mumloc_model_optics(const mumloc_model *model, mumloc_optics *optics) { *optics = model->optics; }

double mumloc_model_threshold(const mumloc_model *model) { return model->threshold; }

const char *mumloc_model_metadata(const mumloc_model *model, const char *key) {
    return key ? nn_model_get_meta(model->nn, key) : NULL;
}

static int differs(double a, double b) { return fabs(a - b) > 1e-9 * fmax(fabs(a), fabs(b)); }

mumloc_status mumloc_model_check_optics(const mumloc_model *model, const mumloc_optics *optics) {
    if (!model || !optics)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "optics check needs a model and optics");
    const mumloc_optics *m = &model->optics;
    char message[1024] = "";
    size_t used = 0;
#define NOTE(...)                                                                                  \
    do {                                                                                           \
        if (used < sizeof message) {                                                               \
            int n_ = snprintf(message + used, sizeof message - used, __VA_ARGS__);                 \
            if (n_ > 0) used += (size_t)n_;                                                        \
        }                                                                                          \
    } while (0)
    if (m->planes != optics->planes) NOTE("; planes %d (model) vs %d", m->planes, optics->planes);
    for (int d = 0; d < m->planes && d < optics->planes; d++)
        if (differs(m->plane_depth_nm[d], optics->plane_depth_nm[d]))
            NOTE("; plane_depth_nm[%d] %.10g (model) vs %.10g", d, m->plane_depth_nm[d],
                 optics->plane_depth_nm[d]);
    const struct {
        const char *name;
        double model, given;
    } fields[] = {{"pixel_nm", m->pixel_nm, optics->pixel_nm},
                  {"psf_amplitude", m->psf_amplitude, optics->psf_amplitude},
                  {"psf_w0_nm", m->psf_w0_nm, optics->psf_w0_nm},
                  {"psf_d_nm", m->psf_d_nm, optics->psf_d_nm},
                  {"psf_A", m->psf_A, optics->psf_A},
                  {"psf_B", m->psf_B, optics->psf_B}};
    for (size_t f = 0; f < sizeof fields / sizeof fields[0]; f++)
        if (differs(fields[f].model, fields[f].given))
            NOTE("; %s %.10g (model) vs %.10g", fields[f].name, fields[f].model, fields[f].given);
    /* Each plane's own curve and photon share as the simulator uses them (per_plane 0 resolves to
     * the common curve, so a per-plane record equal to it everywhere is the same optics; with both
     * 0 the common fields above already said it all). */
    const int compare_planes = (m->per_plane || optics->per_plane) && m->planes == optics->planes;
    for (int d = 0; compare_planes && d < m->planes; d++) {
        mumloc_plane_psf a = mumloc_optics_plane_psf(m, d), b = mumloc_optics_plane_psf(optics, d);
        const struct {
            const char *name;
            double model, given;
        } plane_fields[] = {{"w0_nm", a.w0_nm, b.w0_nm},
                            {"d_nm", a.d_nm, b.d_nm},
                            {"A", a.A, b.A},
                            {"B", a.B, b.B},
                            {"photon share", mumloc_optics_plane_share(m, d),
                             mumloc_optics_plane_share(optics, d)}};
        for (size_t f = 0; f < sizeof plane_fields / sizeof plane_fields[0]; f++)
            if (differs(plane_fields[f].model, plane_fields[f].given))
                NOTE("; plane %d %s %.10g (model) vs %.10g", d + 1, plane_fields[f].name,
                     plane_fields[f].model, plane_fields[f].given);
    }
#undef NOTE
    if (!used) return MUMLOC_OK;
    return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                       "the model was trained for other optics%s; retrain it for these optics or "
                       "use the model's optics", message);
}

void mumloc_model_output_size(const mumloc_model *model, int width, int height, int *channels,
                              int *out_width, int *out_height) {
    nn_shape s = nn_model_output_shape(model->nn, (nn_shape){1, model->nn->cfg.planes, height, width});
    if (channels) *channels = s.c;
    if (out_width) *out_width = s.w;
    if (out_height) *out_height = s.h;
}

double mumloc_model_macs(const mumloc_model *model, int width, int height) {
    return nn_model_macs(model->nn, height, width);
}

mumloc_status mumloc_model_forward(mumloc_model *model, const float *photons, int count, int width,
                                   int height, float *out) {
    if (!model || !photons || !out)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "forward needs a model, input and output");
    if (count < 1 || width < 1 || height < 1 || (int64_t)width * height > (1 << 26))
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "forward needs count >= 1 and a frame of 1x1 to 2^26 pixels (got %d of "
                           "%dx%d)", count, width, height);
    threads_apply();
    const int64_t values = (int64_t)count * model->nn->cfg.planes * width * height;
    float *staging = malloc((size_t)values * sizeof *staging);
    if (!staging) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "no memory for %d frames", count);
    mumloc_status st = model_forward_staged(model, photons, count, width, height, staging, out);
    free(staging);
    return st;
}

mumloc_status model_forward_staged(mumloc_model *model, const float *photons, int count, int width,
                                   int height, float *staging, float *out) {
    const int64_t values = (int64_t)count * model->nn->cfg.planes * width * height;
    const float background = (float)model->input_background;
    const float inverse = (float)(1.0 / model->input_scale);
    /* model_normalise's arithmetic, while copying: the same bits */
    for (int64_t i = 0; i < values; i++) staging[i] = (photons[i] - background) * inverse;
    nn_tensor *x = NULL;
    const nn_tensor *y = NULL;
    mumloc_status st = nn_model_input(model->nn, count, height, width, &x);
    if (st == MUMLOC_OK) st = model->be->upload(model->be, x, staging);
    if (st == MUMLOC_OK) st = nn_model_forward(model->nn, x, NN_MODE_INFER, &y);
    if (st == MUMLOC_OK) st = model->be->download(model->be, y, out);
    return st;
}
