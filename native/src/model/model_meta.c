/* The metadata a model carries beside its weights (see model_handle.h): written when a model is
 * made, checked when a file is loaded, so that a model can only be used as it was trained. */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "io/c_number.h"
#include "io/json.h"
#include "optics/optics_json.h"
#include "optics/voxel_geometry.h"
#include "model/model_handle.h"
#include "optics/plane_optics.h"

#define DEPTH_CONVENTION                                                                           \
    "z in nm in the slab tiled by the planes' voxel layers; plane d (1-based) images "             \
    "optics.plane_depth_nm[d-1]; by default the slab is [0, 1600) and plane d images "            \
    "(d-1)*400+200 nm"

mumloc_status model_set_meta(mumloc_model *model, const char *key, const char *value) {
    return nn_model_set_meta(model->nn, key, value);
}

/* The input normalisation (x - background) / scale must stay well inside float range for any camera
 * value: a scale of 1e-300 would turn every pixel into infinity and silently find nothing. */
#define INPUT_SCALE_MIN 1e-9
#define INPUT_SCALE_MAX 1e12
#define INPUT_BACKGROUND_MAX 1e9

static int input_scale_ok(double scale) { return scale >= INPUT_SCALE_MIN && scale <= INPUT_SCALE_MAX; }

double model_input_scale(const mumloc_optics *optics, double weight_max) {
    const double pi = 3.14159265358979323846;
    /* the brightest plane's in-focus peak: its share of the photons over its own w0² */
    double scale = 0.0;
    for (int d = 0; d < optics->planes; d++) {
        mumloc_plane_psf psf = mumloc_optics_plane_psf(optics, d);
        double s = weight_max * optics->psf_amplitude * optics_plane_gain(optics, d) /
                   (2.0 * pi * psf.w0_nm * psf.w0_nm);
        if (s > scale) scale = s;
    }
    return scale;
}

void model_normalise(const mumloc_model *model, float *values, int64_t count) {
    const float background = (float)model->input_background;
    const float inverse = (float)(1.0 / model->input_scale);
    for (int64_t i = 0; i < count; i++) values[i] = (values[i] - background) * inverse;
}

static mumloc_status set_number(mumloc_model *m, const char *key, double value) {
    char buf[64];
    ERROR_TRY(mumloc_format_number(value, buf, sizeof buf));
    return model_set_meta(m, key, buf);
}

static mumloc_status set_text(mumloc_model *m, const char *key, text_buffer *t) {
    mumloc_status st = text_status(t);
    if (st == MUMLOC_OK) st = model_set_meta(m, key, t->data);
    text_free(t);
    return st;
}

/* Voxel size (x, y, z) of the network's output grid. */
static mumloc_status voxel_size(const mumloc_model *m, double size[3]) {
    double lo, hi;
    ERROR_TRY(voxel_slab(&m->optics, &lo, &hi));
    if (m->nn->cfg.arch == NN_ARCH_VOXEL) {
        size[0] = size[1] = m->optics.pixel_nm / MODEL_VOXEL_UPSAMPLING;
        size[2] = (hi - lo) / m->nn->cfg.depth_slices;
    } else {
        size[0] = size[1] = m->optics.pixel_nm;
        size[2] = (hi - lo) / m->optics.planes;
    }
    return MUMLOC_OK;
}

static mumloc_status write_meta(mumloc_model *m, const mumloc_camera *camera) {
    text_buffer t = {0};
    optics_write_json(&t, &m->optics, 0);
    ERROR_TRY(set_text(m, "optics", &t));
    text_puts(&t, "{\"background_photons\":");
    json_write_number(&t, camera->background_photons);
    text_puts(&t, ",\"read_noise_e\":");
    json_write_number(&t, camera->read_noise_e);
    text_puts(&t, ",\"em_gain\":");
    json_write_number(&t, camera->em_gain);
    text_puts(&t, ",\"adu_per_electron\":");
    json_write_number(&t, camera->adu_per_electron);
    text_puts(&t, ",\"offset_adu\":");
    json_write_number(&t, camera->offset_adu);
    text_puts(&t, "}");
    ERROR_TRY(set_text(m, "camera", &t));
    ERROR_TRY(set_number(m, "input_background_photons", m->input_background));
    ERROR_TRY(set_number(m, "input_scale_photons", m->input_scale));
    double size[3];
    ERROR_TRY(voxel_size(m, size));
    text_puts(&t, "[");
    for (int a = 0; a < 3; a++) {
        if (a) text_puts(&t, ",");
        json_write_number(&t, size[a]);
    }
    text_puts(&t, "]");
    ERROR_TRY(set_text(m, "voxel_size_nm", &t));
    ERROR_TRY(set_number(m, "upsampling", m->nn->cfg.arch == NN_ARCH_VOXEL ? MODEL_VOXEL_UPSAMPLING : 1));
    ERROR_TRY(model_set_meta(m, "depth_convention", DEPTH_CONVENTION));
    return set_number(m, "decode_threshold", m->threshold);
}

mumloc_status model_adopt_new(nn_backend *be, nn_model *nn, const mumloc_optics *optics,
                              const mumloc_camera *camera, double weight_max, mumloc_model **out) {
    mumloc_model *m = NULL;
    ERROR_TRY(model_handle_wrap(be, nn, &m));
    m->optics = *optics;
    m->input_background = camera->background_photons;
    m->input_scale = model_input_scale(optics, weight_max);
    m->threshold = nn->cfg.arch == NN_ARCH_VOXEL ? 0.1 : 0.5;
    mumloc_status st = MUMLOC_OK;
    if (!input_scale_ok(m->input_scale))
        st = error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                         "the optics and largest molecule weight give an input scale of %g photons "
                         "per pixel, outside [%g, %g]: check psf_amplitude, psf_w0_nm and the weights",
                         m->input_scale, INPUT_SCALE_MIN, INPUT_SCALE_MAX);
    if (st == MUMLOC_OK) st = write_meta(m, camera);
    if (st != MUMLOC_OK) {
        mumloc_model_destroy(m);
        return st;
    }
    *out = m;
    return MUMLOC_OK;
}

mumloc_status model_retarget(mumloc_model *m, const mumloc_optics *optics,
                             const mumloc_camera *camera, double weight_max) {
    ERROR_TRY(mumloc_optics_validate(optics));
    if (optics->planes != m->nn->cfg.planes)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "the model's network takes %d planes and these optics have %d: a model "
                           "can be fine-tuned only for optics with the same number of planes",
                           m->nn->cfg.planes, optics->planes);
    double scale = model_input_scale(optics, weight_max);
    if (!input_scale_ok(scale))
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "the optics and largest molecule weight give an input scale of %g photons "
                           "per pixel, outside [%g, %g]: check psf_amplitude, psf_w0_nm and the weights",
                           scale, INPUT_SCALE_MIN, INPUT_SCALE_MAX);
    m->optics = *optics;
    m->input_background = camera->background_photons;
    m->input_scale = scale;
    return write_meta(m, camera);
}

/* --- reading ------------------------------------------------------------------------------------ */

static mumloc_status missing(const char *path, const char *key, const char *what) {
    return error_fail(MUMLOC_ERR_FORMAT, "model '%s': metadata '%s' %s", path, key, what);
}

static mumloc_status read_number(const nn_model *nn, const char *path, const char *key,
                                 double *out) {
    const char *s = nn_model_get_meta(nn, key);
    if (!s) return missing(path, key, "is missing");
    char *end = NULL;
    double v = strtod_c(s, &end);
    if (!*s || *end || !isfinite(v)) return missing(path, key, "must be a finite number");
    *out = v;
    return MUMLOC_OK;
}

/* The optics record as optics_write_json writes it: every field present, nothing else. */
static mumloc_status read_optics(const nn_model *nn, const char *path, mumloc_optics *o) {
    const char *s = nn_model_get_meta(nn, "optics");
    if (!s) return missing(path, "optics", "is missing: the model does not say which optics it is for");
    char label[512];
    snprintf(label, sizeof label, "model %s: optics metadata", path);
    json_value *doc = NULL;
    ERROR_TRY(json_parse(s, strlen(s), label, &doc));
    mumloc_optics_default(o);
    mumloc_status st = optics_from_json(doc, label, 1, o);
    json_free(doc);
    if (st == MUMLOC_ERR_INVALID_ARGUMENT) st = MUMLOC_ERR_FORMAT; /* a value out of range: a bad file */
    return st;
}

mumloc_status model_adopt_loaded(nn_backend *be, nn_model *nn, const char *path,
                                 mumloc_model **out) {
    mumloc_model *m = NULL;
    ERROR_TRY(model_handle_wrap(be, nn, &m));
    mumloc_status st = read_optics(nn, path, &m->optics);
    if (st == MUMLOC_OK && m->optics.planes != nn->cfg.planes)
        st = error_fail(MUMLOC_ERR_FORMAT, "model '%s': optics has %d planes, the network %d", path,
                         m->optics.planes, nn->cfg.planes);
    if (st == MUMLOC_OK)
        st = read_number(nn, path, "input_background_photons", &m->input_background);
    if (st == MUMLOC_OK && !(fabs(m->input_background) <= INPUT_BACKGROUND_MAX))
        st = missing(path, "input_background_photons", "must be between -1e9 and 1e9 photons");
    if (st == MUMLOC_OK) st = read_number(nn, path, "input_scale_photons", &m->input_scale);
    if (st == MUMLOC_OK && !input_scale_ok(m->input_scale))
        st = missing(path, "input_scale_photons", "must be between 1e-9 and 1e12 photons");
    if (st == MUMLOC_OK) st = read_number(nn, path, "decode_threshold", &m->threshold);
    if (st == MUMLOC_OK && !(m->threshold >= 0 && m->threshold < 1))
        st = missing(path, "decode_threshold", "must be in [0, 1)");
    if (st != MUMLOC_OK) {
        mumloc_model_destroy(m);
        return st;
    }
    *out = m;
    return MUMLOC_OK;
}
