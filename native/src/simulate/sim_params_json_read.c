/* Reads the simulation parameters' JSON record (sim_params_json.c writes it) back into the struct.
 * Missing keys keep their defaults, so records written before a parameter existed read as they were
 * meant; unknown keys are ignored so a record can carry more than the parameters (its version). */
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "io/json.h"
#include "optics/optics_json.h"

#define LABEL "simulation record"

typedef enum { FIELD_INT, FIELD_INT64, FIELD_DOUBLE } field_type;

typedef struct number_field {
    const char *name;
    field_type type;
    size_t offset;
} number_field;

static const number_field fields[] = {
    {"width", FIELD_INT, offsetof(mumloc_sim_params, width)},
    {"height", FIELD_INT, offsetof(mumloc_sim_params, height)},
    {"frames", FIELD_INT64, offsetof(mumloc_sim_params, frames)},
    {"molecules", FIELD_INT, offsetof(mumloc_sim_params, molecules)},
    {"molecules_min", FIELD_INT, offsetof(mumloc_sim_params, molecules_min)},
    {"density_per_um2", FIELD_DOUBLE, offsetof(mumloc_sim_params, density_per_um2)},
    {"weight_min", FIELD_DOUBLE, offsetof(mumloc_sim_params, weight_min)},
    {"weight_max", FIELD_DOUBLE, offsetof(mumloc_sim_params, weight_max)},
    {"z_min_nm", FIELD_DOUBLE, offsetof(mumloc_sim_params, z_min_nm)},
    {"z_max_nm", FIELD_DOUBLE, offsetof(mumloc_sim_params, z_max_nm)},
    {"drift_max_nm", FIELD_DOUBLE, offsetof(mumloc_sim_params, drift_max_nm)},
    {"drift_step_nm", FIELD_DOUBLE, offsetof(mumloc_sim_params, drift_step_nm)},
    {"filaments", FIELD_INT, offsetof(mumloc_sim_params, filaments)},
    {"stage_drift_nm", FIELD_DOUBLE, offsetof(mumloc_sim_params, stage_drift_nm)},
    {"camera_drift_nm", FIELD_DOUBLE, offsetof(mumloc_sim_params, camera_drift_nm)},
    {"background_photons", FIELD_DOUBLE, offsetof(mumloc_sim_params, camera.background_photons)},
    {"read_noise_e", FIELD_DOUBLE, offsetof(mumloc_sim_params, camera.read_noise_e)},
    {"em_gain", FIELD_DOUBLE, offsetof(mumloc_sim_params, camera.em_gain)},
    {"adu_per_electron", FIELD_DOUBLE, offsetof(mumloc_sim_params, camera.adu_per_electron)},
    {"offset_adu", FIELD_DOUBLE, offsetof(mumloc_sim_params, camera.offset_adu)},
};

static mumloc_status wrong_type(const char *key, const json_value *v, const char *expected) {
    return error_fail(MUMLOC_ERR_FORMAT, "'" LABEL "' line %d: \"%s\" must be %s, not %s", v->line,
                       key, expected, json_type_name(v->type));
}

/* Whole numbers beyond ±1e15 are typos (the validation's ranges are far smaller). */
static mumloc_status whole(const char *key, const json_value *v, double *out) {
    if (v->type != JSON_NUMBER || v->number != floor(v->number) || fabs(v->number) > 1e15)
        return wrong_type(key, v, "a whole number");
    *out = v->number;
    return MUMLOC_OK;
}

static mumloc_status read_number(const number_field *f, const json_value *v, mumloc_sim_params *p) {
    char *at = (char *)p + f->offset;
    double value = 0;
    if (f->type == FIELD_DOUBLE) {
        if (v->type != JSON_NUMBER) return wrong_type(f->name, v, "a number");
        *(double *)at = v->number;
        return MUMLOC_OK;
    }
    ERROR_TRY(whole(f->name, v, &value));
    if (f->type == FIELD_INT64) {
        *(int64_t *)at = (int64_t)value;
    } else {
        /* out of int range: a value the validation names, not a wrapped one */
        *(int *)at = value > 2e9 ? 2000000000 : value < -2e9 ? -2000000000 : (int)value;
    }
    return MUMLOC_OK;
}

/* The seed is a 64-bit integer that a double cannot hold: read its digits from the text itself, at
 * the position the parser recorded for the value. */
static mumloc_status read_seed(const char *text, const json_value *v, uint64_t *seed) {
    const char *at = text;
    for (int line = 1; line < v->line && at; line++) {
        at = strchr(at, '\n');
        if (at) at++;
    }
    if (at) at += v->column - 1;
    char *end = NULL;
    errno = 0;
    unsigned long long value = at && v->type == JSON_NUMBER && *at != '-'
                                   ? strtoull(at, &end, 10) : 0;
    if (!end || errno == ERANGE || end == at || *end == '.' || *end == 'e' || *end == 'E')
        return error_fail(MUMLOC_ERR_FORMAT,
                           "'" LABEL "' line %d: \"seed\" must be a whole number from 0 to 2^64 - 1",
                           v->line);
    *seed = (uint64_t)value;
    return MUMLOC_OK;
}

/* A string member that must be one of an enum's names (name(0), name(1), ... until NULL). */
static mumloc_status read_word(const char *key, const json_value *v, const char *(*name)(int),
                               int *out) {
    char expected[160];
    size_t used = 0;
    expected[0] = '\0';
    for (int i = 0; name(i); i++) {
        if (v->type == JSON_STRING && strcmp(v->string, name(i)) == 0) {
            *out = i;
            return MUMLOC_OK;
        }
        int n = snprintf(expected + used, sizeof expected - used, "%s\"%s\"",
                         i == 0 ? "" : name(i + 1) ? ", " : " or ", name(i));
        if (n > 0 && (size_t)n < sizeof expected - used) used += (size_t)n;
    }
    return error_fail(MUMLOC_ERR_FORMAT, "'" LABEL "' line %d: \"%s\" must be %s", v->line, key,
                       expected);
}

static int is_camera_field(const number_field *f) {
    return f->offset >= offsetof(mumloc_sim_params, camera) &&
           f->offset < offsetof(mumloc_sim_params, camera) + sizeof(mumloc_camera);
}

static mumloc_status read_camera(const json_value *camera, mumloc_sim_params *p) {
    if (camera->type != JSON_OBJECT) return wrong_type("camera", camera, "an object");
    for (size_t i = 0; i < camera->count; i++)
        for (size_t f = 0; f < sizeof fields / sizeof fields[0]; f++)
            if (is_camera_field(&fields[f]) && strcmp(camera->keys[i], fields[f].name) == 0)
                ERROR_TRY(read_number(&fields[f], &camera->items[i], p));
    return MUMLOC_OK;
}

static mumloc_status read_member(const char *text, const char *key, const json_value *v,
                                 mumloc_sim_params *p) {
    int word = 0;
    if (strcmp(key, "optics") == 0) return optics_from_json(v, LABEL, 0, &p->optics);
    if (strcmp(key, "camera") == 0) return read_camera(v, p);
    if (strcmp(key, "seed") == 0) return read_seed(text, v, &p->seed);
    if (strcmp(key, "noise") == 0) {
        ERROR_TRY(read_word(key, v, mumloc_noise_name, &word));
        p->noise = (mumloc_noise)word;
        return MUMLOC_OK;
    }
    if (strcmp(key, "sample") == 0) {
        ERROR_TRY(read_word(key, v, mumloc_sample_name, &word));
        p->sample = (mumloc_sample)word;
        return MUMLOC_OK;
    }
    for (size_t f = 0; f < sizeof fields / sizeof fields[0]; f++)
        if (!is_camera_field(&fields[f]) && strcmp(key, fields[f].name) == 0)
            return read_number(&fields[f], v, p);
    return MUMLOC_OK; /* "mumloc_version", or a key from a newer version */
}

mumloc_status mumloc_sim_params_from_json(const char *json, mumloc_sim_params *params) {
    if (!json || !params)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "sim params from json: needs a text and "
                                                        "a parameters struct");
    json_value *doc = NULL;
    ERROR_TRY(json_parse(json, strlen(json), LABEL, &doc));
    mumloc_sim_params p;
    mumloc_sim_params_default(&p);
    mumloc_status s = MUMLOC_OK;
    if (doc->type != JSON_OBJECT) s = wrong_type("the record", doc, "an object");
    for (size_t i = 0; s == MUMLOC_OK && i < doc->count; i++)
        s = read_member(json, doc->keys[i], &doc->items[i], &p);
    json_free(doc);
    if (s == MUMLOC_OK) s = mumloc_sim_params_validate(&p);
    if (s == MUMLOC_OK) *params = p;
    return s;
}
