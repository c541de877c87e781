/* Rig files: the JSON form of mumloc_rig (documented in mumloc.h and the README). Strict like the
 * optics files: unknown keys and wrong types are errors naming the line, so that a typo never
 * silently falls back to a default. */
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "io/atomic_file.h"
#include "io/json.h"
#include "optics/optics_json.h"
#include "io/small_file.h"
#include "io/text_buffer.h"
#include "rig/rig_internal.h"
#include "rig/rig_psf.h"

enum { MAX_RIG_FILE_BYTES = 1 << 20 };

typedef struct camera_double {
    const char *name;
    size_t offset; /* of the double in mumloc_rig_camera */
} camera_double;

static const camera_double camera_doubles[] = {
    {"offset_adu", offsetof(mumloc_rig_camera, offset_adu)},
    {"adu_per_electron", offsetof(mumloc_rig_camera, adu_per_electron)},
    {"em_gain", offsetof(mumloc_rig_camera, em_gain)},
    {"read_noise_e", offsetof(mumloc_rig_camera, read_noise_e)},
    {"residual_nm", offsetof(mumloc_rig_camera, residual_nm)},
};
typedef struct camera_int {
    const char *name;
    size_t offset; /* of the int in mumloc_rig_camera */
} camera_int;

static const camera_int camera_ints[] = {
    {"flip_x", offsetof(mumloc_rig_camera, flip_x)},
    {"flip_y", offsetof(mumloc_rig_camera, flip_y)},
    {"quarter_turns", offsetof(mumloc_rig_camera, quarter_turns)},
    {"frame_offset", offsetof(mumloc_rig_camera, frame_offset)},
    {"beads", offsetof(mumloc_rig_camera, beads)},
};
enum { CAMERA_DOUBLES = sizeof camera_doubles / sizeof camera_doubles[0],
       CAMERA_INTS = sizeof camera_ints / sizeof camera_ints[0] };

#define CAMERA_KEYS                                                                                \
    "to_camera, flip_x, flip_y, quarter_turns, offset_adu, adu_per_electron, em_gain, "            \
    "read_noise_e, frame_offset, residual_nm, beads"
#define RIG_KEYS                                                                                   \
    "mumloc_rig, layout, width, height, optics, cameras, z_step_nm, z_steps, calibration, psf"

static mumloc_status wrong_type(const char *path, const json_value *v, const char *where,
                                const char *field, const char *expected) {
    return error_fail(MUMLOC_ERR_FORMAT, "'%s' line %d: %s\"%s\" must be %s, not %s", path,
                       v->line, where, field, expected, json_type_name(v->type));
}

static mumloc_status whole_number(const char *path, const json_value *v, const char *where,
                                  const char *field, int *out) {
    if (v->type != JSON_NUMBER || v->number != floor(v->number) || fabs(v->number) > 1e9)
        return wrong_type(path, v, where, field, "a whole number");
    *out = (int)v->number;
    return MUMLOC_OK;
}

static mumloc_status read_camera(const char *path, const json_value *v, int n, mumloc_rig_camera *c) {
    char where[32];
    snprintf(where, sizeof where, "camera %d: ", n);
    if (v->type != JSON_OBJECT)
        return error_fail(MUMLOC_ERR_FORMAT, "'%s' line %d: camera %d must be an object ({...}), not %s",
                           path, v->line, n, json_type_name(v->type));
    int affine_given = 0;
    for (size_t i = 0; i < v->count; i++) {
        const char *key = v->keys[i];
        const json_value *m = &v->items[i];
        int known = 0;
        if (strcmp(key, "to_camera") == 0) {
            known = affine_given = 1;
            if (m->type != JSON_ARRAY || m->count != 6)
                return error_fail(MUMLOC_ERR_FORMAT,
                                   "'%s' line %d: camera %d: \"to_camera\" must be an array of 6 "
                                   "numbers [t0, t1, t2, t3, t4, t5] (u = t0 x + t1 y + t2, "
                                   "v = t3 x + t4 y + t5)",
                                   path, m->line, n);
            for (int k = 0; k < 6; k++) {
                if (m->items[k].type != JSON_NUMBER)
                    return wrong_type(path, &m->items[k], where, "to_camera", "an array of 6 numbers");
                c->to_camera[k] = m->items[k].number;
            }
        }
        for (int f = 0; !known && f < CAMERA_DOUBLES; f++)
            if (strcmp(key, camera_doubles[f].name) == 0) {
                known = 1;
                if (m->type != JSON_NUMBER) return wrong_type(path, m, where, key, "a number");
                *(double *)((char *)c + camera_doubles[f].offset) = m->number;
            }
        for (int f = 0; !known && f < CAMERA_INTS; f++)
            if (strcmp(key, camera_ints[f].name) == 0) {
                known = 1;
                ERROR_TRY(whole_number(path, m, where, key, (int *)((char *)c + camera_ints[f].offset)));
            }
        if (!known)
            return error_fail(MUMLOC_ERR_FORMAT,
                               "'%s' line %d: camera %d: unknown field \"%s\"; a camera knows " CAMERA_KEYS,
                               path, m->line, n, key);
    }
    if (!affine_given)
        return error_fail(MUMLOC_ERR_FORMAT,
                           "'%s' line %d: camera %d lacks \"to_camera\" (its affine map from camera "
                           "1's pixels; [1, 0, 0, 0, 1, 0] for the reference)",
                           path, v->line, n);
    return MUMLOC_OK;
}

static mumloc_status read_cameras(const char *path, const json_value *v, mumloc_rig *rig) {
    if (v->type != JSON_ARRAY) return wrong_type(path, v, "", "cameras", "an array of objects");
    if ((int)v->count != rig->optics.planes)
        return error_fail(MUMLOC_ERR_FORMAT,
                           "'%s' line %d: \"cameras\" lists %zu cameras but \"optics\" has %d planes; "
                           "give one camera per plane (camera d images plane d) and set the optics' "
                           "\"planes\" to the number of cameras",
                           path, v->line, v->count, rig->optics.planes);
    for (size_t d = 0; d < v->count; d++)
        ERROR_TRY(read_camera(path, &v->items[d], (int)d + 1, &rig->camera[d]));
    return MUMLOC_OK;
}

static mumloc_status read_calibration(const char *path, const json_value *v, mumloc_rig *rig) {
    if (v->type != JSON_OBJECT) return wrong_type(path, v, "", "calibration", "an object");
    text_buffer t = {0};
    json_write(&t, v);
    mumloc_status s = text_status(&t);
    if (s == MUMLOC_OK && t.len >= sizeof rig->calibration)
        s = error_fail(MUMLOC_ERR_FORMAT,
                        "'%s' line %d: \"calibration\" holds %zu bytes; a rig keeps at most %d: "
                        "shorten it",
                        path, v->line, t.len, MUMLOC_RIG_CALIBRATION_MAX - 1);
    if (s == MUMLOC_OK) memcpy(rig->calibration, t.data, t.len + 1);
    text_free(&t);
    return s;
}

/* "psf": {"model": "spline", "file": ..., "hash": ...} or {"model": "gaussian"}. */
static mumloc_status read_psf(const char *path, const json_value *v, mumloc_rig *rig) {
    if (v->type != JSON_OBJECT) return wrong_type(path, v, "", "psf", "an object");
    const json_value *model = NULL, *file = NULL, *hash = NULL;
    for (size_t i = 0; i < v->count; i++) {
        const json_value *m = &v->items[i];
        const char *key = v->keys[i];
        if (m->type != JSON_STRING) return wrong_type(path, m, "psf: ", key, "a string");
        if (strcmp(key, "model") == 0) model = m;
        else if (strcmp(key, "file") == 0) file = m;
        else if (strcmp(key, "hash") == 0) hash = m;
        else
            return error_fail(MUMLOC_ERR_FORMAT,
                               "'%s' line %d: psf: unknown field \"%s\"; \"psf\" knows model, file "
                               "and hash",
                               path, m->line, key);
    }
    if (!model || mumloc_psf_kind_from_name(model->string, &rig->psf) != MUMLOC_OK)
        return error_fail(MUMLOC_ERR_FORMAT,
                           "'%s' line %d: \"psf\" needs \"model\": \"gaussian\" or \"spline\"",
                           path, v->line);
    if (rig->psf == MUMLOC_PSF_GAUSSIAN && (file || hash))
        return error_fail(MUMLOC_ERR_FORMAT,
                           "'%s' line %d: psf: \"file\" and \"hash\" belong to model \"spline\"; "
                           "remove them or set \"model\": \"spline\"",
                           path, v->line);
    if (rig->psf == MUMLOC_PSF_SPLINE) {
        if (!file || !*file->string || strlen(file->string) >= sizeof rig->psf_file || !hash ||
            strlen(hash->string) >= sizeof rig->psf_hash)
            return error_fail(MUMLOC_ERR_FORMAT,
                               "'%s' line %d: psf model \"spline\" needs \"file\" (the spline PSF "
                               "file, under %d bytes) and \"hash\" (its 64-digit SHA-256)",
                               path, v->line, MUMLOC_RIG_PSF_FILE_MAX);
        snprintf(rig->psf_file, sizeof rig->psf_file, "%s", file->string);
        snprintf(rig->psf_hash, sizeof rig->psf_hash, "%s", hash->string);
        /* relative names start in the rig file's folder */
        const char *slash = strrchr(path, '/');
        int folder = rig->psf_file[0] == '/' || !slash ? 0 : (int)(slash - path + 1);
        int wrote = snprintf(rig->psf_path, sizeof rig->psf_path, "%.*s%s", folder, path,
                             rig->psf_file);
        if (wrote < 0 || (size_t)wrote >= sizeof rig->psf_path)
            return error_fail(MUMLOC_ERR_FORMAT,
                               "'%s': the spline PSF file's path is longer than %d bytes; move the "
                               "rig to a shorter path",
                               path, MUMLOC_RIG_PSF_FILE_MAX - 1);
    }
    return MUMLOC_OK;
}

/* Every member but "cameras", which needs the optics' plane count and is read after them. */
static mumloc_status read_member(const char *path, const char *key, const json_value *v,
                                 mumloc_rig *rig, int *size_given,
                                 const json_value **optics, const json_value **cameras) {
    if (strcmp(key, "mumloc_rig") == 0) {
        ERROR_TRY(whole_number(path, v, "", key, &rig->version));
        if (rig->version != RIG_VERSION)
            return error_fail(MUMLOC_ERR_FORMAT,
                               "'%s' line %d: rig file version %d; this mumloc reads version %d: "
                               "use the mumloc that wrote it, or recalibrate with this one",
                               path, v->line, rig->version, RIG_VERSION);
        return MUMLOC_OK;
    }
    if (strcmp(key, "layout") == 0) {
        if (v->type != JSON_STRING) return wrong_type(path, v, "", key, "a string");
        if (mumloc_rig_layout_from_name(v->string, &rig->layout) != MUMLOC_OK)
            return error_fail(MUMLOC_ERR_FORMAT,
                               "'%s' line %d: unknown \"layout\" \"%s\"; use hyperstack, files, "
                               "tiles2x2, tiles1x4 or tiles4x1",
                               path, v->line, v->string);
        return MUMLOC_OK;
    }
    if (strcmp(key, "width") == 0) {
        *size_given |= 1;
        return whole_number(path, v, "", key, &rig->width);
    }
    if (strcmp(key, "height") == 0) {
        *size_given |= 2;
        return whole_number(path, v, "", key, &rig->height);
    }
    if (strcmp(key, "z_steps") == 0) return whole_number(path, v, "", key, &rig->z_steps);
    if (strcmp(key, "z_step_nm") == 0) {
        if (v->type != JSON_NUMBER) return wrong_type(path, v, "", key, "a number");
        rig->z_step_nm = v->number;
        return MUMLOC_OK;
    }
    if (strcmp(key, "optics") == 0) {
        *optics = v;
        return MUMLOC_OK;
    }
    if (strcmp(key, "cameras") == 0) {
        *cameras = v;
        return MUMLOC_OK;
    }
    if (strcmp(key, "calibration") == 0) return read_calibration(path, v, rig);
    if (strcmp(key, "psf") == 0) return read_psf(path, v, rig);
    return error_fail(MUMLOC_ERR_FORMAT, "'%s' line %d: unknown field \"%s\"; a rig file knows " RIG_KEYS,
                       path, v->line, key);
}

static mumloc_status rig_from_json(const char *path, const json_value *doc, mumloc_rig *rig) {
    if (doc->type != JSON_OBJECT)
        return error_fail(MUMLOC_ERR_FORMAT, "'%s' must hold a JSON object ({...}), not %s", path,
                           json_type_name(doc->type));
    int size_given = 0;
    const json_value *optics = NULL, *cameras = NULL;
    /* a foreign document (an optics file given as a rig) is named as such before its fields */
    if (!json_get(doc, "mumloc_rig"))
        return error_fail(MUMLOC_ERR_FORMAT,
                           "'%s' is not a rig file: it lacks \"mumloc_rig\": %d (mumloc calibrate "
                           "writes rig files; see the README's rig file section)",
                           path, RIG_VERSION);
    for (size_t i = 0; i < doc->count; i++)
        ERROR_TRY(read_member(path, doc->keys[i], &doc->items[i], rig, &size_given,
                               &optics, &cameras));
    const char *missing = size_given != 3 ? (size_given & 1 ? "height" : "width")
                          : !optics       ? "optics"
                          : !cameras      ? "cameras"
                                          : NULL;
    if (missing)
        return error_fail(MUMLOC_ERR_FORMAT, "'%s' lacks \"%s\"; a rig file needs mumloc_rig, "
                           "width, height, optics and cameras", path, missing);
    ERROR_TRY(optics_from_json(optics, path, 0, &rig->optics));
    ERROR_TRY(read_cameras(path, cameras, rig));
    if (mumloc_rig_validate(rig) != MUMLOC_OK) {
        char message[768];
        snprintf(message, sizeof message, "%s", mumloc_last_error());
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "'%s': %s", path, message);
    }
    if (rig->psf == MUMLOC_PSF_SPLINE) { /* the spline file must be there and be the rig's */
        spline_set set;
        psf_model model;
        mumloc_status s = rig_psf_model(rig, &set, &model);
        spline_set_free(&set);
        if (s != MUMLOC_OK) {
            char message[768];
            snprintf(message, sizeof message, "%s", mumloc_last_error());
            return error_fail(s, "rig '%s' (\"psf\" model spline): %s", path, message);
        }
    }
    return MUMLOC_OK;
}

mumloc_status mumloc_rig_load(const char *path, mumloc_rig *rig) {
    if (!path || !rig)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "mumloc_rig_load needs a path and a rig");
    char *text = NULL;
    size_t len = 0;
    ERROR_TRY(read_small_file(path, "rig file", MAX_RIG_FILE_BYTES, &text, &len));
    json_value *doc = NULL;
    mumloc_status s = json_parse(text, len, path, &doc);
    free(text);
    ERROR_TRY(s);
    mumloc_rig *loaded = malloc(sizeof *loaded);
    if (!loaded) {
        json_free(doc);
        return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory reading rig file '%s'", path);
    }
    mumloc_rig_default(loaded, 4, 0, 0);
    s = rig_from_json(path, doc, loaded);
    json_free(doc);
    if (s == MUMLOC_OK) *rig = *loaded; /* untouched on failure */
    free(loaded);
    return s;
}

/* Fields in the order of the file format (mumloc.h): to_camera, the discrete part, the camera
 * model, the frame offset, then the calibration's quality. */
static void write_camera(text_buffer *t, const mumloc_rig_camera *c) {
    text_puts(t, "    {\"to_camera\": [");
    for (int k = 0; k < 6; k++) {
        if (k) text_puts(t, ", ");
        json_write_number(t, c->to_camera[k]);
    }
    text_printf(t, "], \"flip_x\": %d, \"flip_y\": %d, \"quarter_turns\": %d", c->flip_x,
                       c->flip_y, c->quarter_turns);
    const double model[4] = {c->offset_adu, c->adu_per_electron, c->em_gain, c->read_noise_e};
    for (int f = 0; f < 4; f++) {
        text_printf(t, ", \"%s\": ", camera_doubles[f].name);
        json_write_number(t, model[f]);
    }
    text_printf(t, ", \"frame_offset\": %d, \"residual_nm\": ", c->frame_offset);
    json_write_number(t, c->residual_nm);
    text_printf(t, ", \"beads\": %d}", c->beads);
}

mumloc_status mumloc_rig_save(const char *path, const mumloc_rig *rig) {
    if (!path || !rig)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "mumloc_rig_save needs a path and a rig");
    ERROR_TRY(mumloc_rig_validate(rig));
    text_buffer t = {0};
    text_printf(&t, "{\n  \"mumloc_rig\": %d,\n  \"layout\": \"%s\",\n  \"width\": %d,\n"
                           "  \"height\": %d,\n  \"optics\": {",
                       rig->version, mumloc_rig_layout_name(rig->layout), rig->width, rig->height);
    optics_write_json_members(&t, &rig->optics, 4); /* plane_psf too, when per plane */
    text_puts(&t, "\n  }");
    text_puts(&t, ",\n  \"cameras\": [\n");
    for (int d = 0; d < rig->optics.planes; d++) {
        write_camera(&t, &rig->camera[d]);
        text_puts(&t, d + 1 < rig->optics.planes ? ",\n" : "\n");
    }
    text_puts(&t, "  ],\n  \"z_step_nm\": ");
    json_write_number(&t, rig->z_step_nm);
    text_printf(&t, ",\n  \"z_steps\": %d", rig->z_steps);
    if (rig->psf == MUMLOC_PSF_SPLINE) {
        text_puts(&t, ",\n  \"psf\": {\"model\": \"spline\", \"file\": ");
        json_write_string(&t, rig->psf_file);
        text_puts(&t, ", \"hash\": ");
        json_write_string(&t, rig->psf_hash);
        text_puts(&t, "}");
    }
    mumloc_status s = MUMLOC_OK;
    if (rig->calibration[0]) {
        /* only a JSON object may go into the file: parse what the caller gave */
        json_value *doc = NULL;
        s = json_parse(rig->calibration, strlen(rig->calibration), "rig calibration record",
                              &doc);
        if (s == MUMLOC_OK && doc->type != JSON_OBJECT)
            s = error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                            "rig calibration record must be a JSON object ({...}), not %s",
                            json_type_name(doc->type));
        if (s == MUMLOC_OK) {
            text_puts(&t, ",\n  \"calibration\": ");
            json_write(&t, doc);
        }
        json_free(doc);
    }
    text_puts(&t, "\n}\n");
    if (s == MUMLOC_OK) s = text_status(&t);
    atomic_file af = {0};
    if (s == MUMLOC_OK) s = atomic_open(&af, path);
    if (s == MUMLOC_OK && fwrite(t.data, 1, t.len, af.file) != t.len)
        s = error_fail(MUMLOC_ERR_IO, "cannot write '%s': %s", path, strerror(errno));
    if (s == MUMLOC_OK) s = atomic_commit(&af);
    else atomic_abort(&af);
    text_free(&t);
    return s;
}
