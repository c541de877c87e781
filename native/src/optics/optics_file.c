/* Optics files: a JSON object with the mumloc_optics field names, e.g.
 *   {"planes": 4, "plane_depth_nm": [200, 600, 1000, 1400], "pixel_nm": 192, "psf_B": 0.1225}
 * Missing fields keep mumloc_optics_default's values; "plane_depth_nm" must have "planes" values
 * (when "planes" is absent, the array's length sets it); unknown fields are an error naming them.
 * Per-plane optics: "plane_psf", one {"w0_nm","d_nm","A","B","transmission"} object per plane;
 * present means per_plane 1, absent per_plane 0 (what every file before it meant). */
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "io/atomic_file.h"
#include "io/json.h"
#include "io/small_file.h"
#include "optics/optics_json.h"
#include "io/text_buffer.h"

enum { MAX_OPTICS_FILE_BYTES = 1 << 20 };

typedef struct scalar_field {
    const char *name;
    size_t offset; /* of the double in mumloc_optics */
} scalar_field;

static const scalar_field scalar_fields[] = {
    {"pixel_nm", offsetof(mumloc_optics, pixel_nm)},
    {"psf_amplitude", offsetof(mumloc_optics, psf_amplitude)},
    {"psf_w0_nm", offsetof(mumloc_optics, psf_w0_nm)},
    {"psf_d_nm", offsetof(mumloc_optics, psf_d_nm)},
    {"psf_A", offsetof(mumloc_optics, psf_A)},
    {"psf_B", offsetof(mumloc_optics, psf_B)},
};
enum { SCALAR_FIELDS = sizeof scalar_fields / sizeof scalar_fields[0] };

static const scalar_field plane_fields[] = {
    {"w0_nm", offsetof(mumloc_plane_psf, w0_nm)},
    {"d_nm", offsetof(mumloc_plane_psf, d_nm)},
    {"A", offsetof(mumloc_plane_psf, A)},
    {"B", offsetof(mumloc_plane_psf, B)},
    {"transmission", offsetof(mumloc_plane_psf, transmission)},
};
enum { PLANE_FIELDS = sizeof plane_fields / sizeof plane_fields[0] };

static mumloc_status wrong_type(const char *path, const json_value *v, const char *field,
                                const char *expected) {
    return error_fail(MUMLOC_ERR_FORMAT, "'%s' line %d: \"%s\" must be %s, not %s", path, v->line,
                       field, expected, json_type_name(v->type));
}

/* The arrays, read once "planes" is known. */
typedef struct array_members {
    const json_value *depths, *plane_psf;
} array_members;

static mumloc_status apply_member(const char *path, const char *key, const json_value *v,
                                  mumloc_optics *o, int *planes_given, array_members *arrays,
                                  unsigned *scalars_given) {
    if (strcmp(key, "planes") == 0) {
        if (v->type != JSON_NUMBER || v->number != floor(v->number) ||
            fabs(v->number) > 1e9)
            return wrong_type(path, v, key, "a whole number");
        o->planes = (int)v->number;
        *planes_given = 1;
        return MUMLOC_OK;
    }
    if (strcmp(key, "plane_depth_nm") == 0) {
        if (v->type != JSON_ARRAY) return wrong_type(path, v, key, "an array of numbers");
        if (v->count < 1 || v->count > MUMLOC_MAX_PLANES)
            return error_fail(MUMLOC_ERR_FORMAT,
                               "'%s' line %d: \"plane_depth_nm\" has %zu values; it needs 1 to %d",
                               path, v->line, v->count, MUMLOC_MAX_PLANES);
        for (size_t i = 0; i < v->count; i++)
            if (v->items[i].type != JSON_NUMBER)
                return wrong_type(path, &v->items[i], "plane_depth_nm", "an array of numbers");
        arrays->depths = v;
        return MUMLOC_OK;
    }
    if (strcmp(key, "plane_psf") == 0) {
        if (v->type != JSON_ARRAY)
            return wrong_type(path, v, key, "an array of one object per plane");
        arrays->plane_psf = v;
        return MUMLOC_OK;
    }
    for (int f = 0; f < SCALAR_FIELDS; f++)
        if (strcmp(key, scalar_fields[f].name) == 0) {
            if (v->type != JSON_NUMBER) return wrong_type(path, v, key, "a number");
            *(double *)((char *)o + scalar_fields[f].offset) = v->number;
            *scalars_given |= 1u << f;
            return MUMLOC_OK;
        }
    return error_fail(MUMLOC_ERR_FORMAT,
                       "'%s' line %d: unknown field \"%s\"; optics files know planes, "
                       "plane_depth_nm, pixel_nm, psf_amplitude, psf_w0_nm, psf_d_nm, psf_A, psf_B, "
                       "plane_psf",
                       path, v->line, key);
}

/* One plane's {"w0_nm","d_nm","A","B","transmission"}: every member required, nothing else. */
static mumloc_status read_plane_psf(const char *path, const json_value *v, int d,
                                    mumloc_plane_psf *psf) {
    if (v->type != JSON_OBJECT)
        return error_fail(MUMLOC_ERR_FORMAT,
                           "'%s' line %d: \"plane_psf\" item %d (plane %d) must be an object "
                           "{\"w0_nm\", \"d_nm\", \"A\", \"B\", \"transmission\"}, not %s",
                           path, v->line, d, d + 1, json_type_name(v->type));
    unsigned given = 0;
    for (size_t i = 0; i < v->count; i++) {
        int f = 0;
        while (f < PLANE_FIELDS && strcmp(v->keys[i], plane_fields[f].name) != 0) f++;
        if (f == PLANE_FIELDS)
            return error_fail(MUMLOC_ERR_FORMAT,
                               "'%s' line %d: unknown field \"%s\" in \"plane_psf\" of plane %d; "
                               "a plane knows w0_nm, d_nm, A, B, transmission",
                               path, v->items[i].line, v->keys[i], d + 1);
        if (v->items[i].type != JSON_NUMBER)
            return error_fail(MUMLOC_ERR_FORMAT,
                               "'%s' line %d: \"%s\" of plane %d (plane_psf) must be a number, not %s",
                               path, v->items[i].line, v->keys[i], d + 1,
                               json_type_name(v->items[i].type));
        *(double *)((char *)psf + plane_fields[f].offset) = v->items[i].number;
        given |= 1u << f;
    }
    for (int f = 0; f < PLANE_FIELDS; f++)
        if (!(given & (1u << f)))
            return error_fail(MUMLOC_ERR_FORMAT,
                               "'%s' line %d: \"plane_psf\" of plane %d lacks \"%s\" (each plane "
                               "needs w0_nm, d_nm, A, B, transmission)",
                               path, v->line, d + 1, plane_fields[f].name);
    return MUMLOC_OK;
}

static mumloc_status read_plane_psfs(const char *path, const json_value *v, mumloc_optics *o) {
    if (v->count != (size_t)o->planes)
        return error_fail(MUMLOC_ERR_FORMAT,
                           "'%s' line %d: \"plane_psf\" has %zu planes but \"planes\" is %d; give "
                           "one object per plane",
                           path, v->line, v->count, o->planes);
    for (int d = 0; d < o->planes; d++) ERROR_TRY(read_plane_psf(path, &v->items[d], d, &o->plane_psf[d]));
    o->per_plane = 1;
    return MUMLOC_OK;
}

mumloc_status optics_from_json(const json_value *doc, const char *path, int require_all,
                                      mumloc_optics *o) {
    if (doc->type != JSON_OBJECT)
        return error_fail(MUMLOC_ERR_FORMAT, "'%s' must hold a JSON object ({...}), not %s", path,
                           json_type_name(doc->type));
    int planes_given = 0;
    unsigned scalars_given = 0;
    array_members arrays = {0};
    for (size_t i = 0; i < doc->count; i++)
        ERROR_TRY(apply_member(path, doc->keys[i], &doc->items[i], o, &planes_given, &arrays,
                                &scalars_given));
    const json_value *depths = arrays.depths;
    if (require_all) {
        if (!planes_given || !depths)
            return error_fail(MUMLOC_ERR_FORMAT, "'%s' lacks \"%s\"", path,
                               planes_given ? "plane_depth_nm" : "planes");
        for (int f = 0; f < SCALAR_FIELDS; f++)
            if (!(scalars_given & (1u << f)))
                return error_fail(MUMLOC_ERR_FORMAT, "'%s' lacks \"%s\"", path,
                                   scalar_fields[f].name);
    }
    if (depths) {
        if (!planes_given) o->planes = (int)depths->count;
        if ((size_t)o->planes != depths->count)
            return error_fail(MUMLOC_ERR_FORMAT,
                               "'%s' line %d: \"plane_depth_nm\" has %zu values but \"planes\" is %d",
                               path, depths->line, depths->count, o->planes);
        for (size_t d = 0; d < depths->count; d++) o->plane_depth_nm[d] = depths->items[d].number;
    }
    if (arrays.plane_psf) ERROR_TRY(read_plane_psfs(path, arrays.plane_psf, o));
    else if (require_all) o->per_plane = 0; /* a complete record without it: the papers' model */
    mumloc_status s = mumloc_optics_validate(o);
    if (s != MUMLOC_OK) {
        char message[768];
        snprintf(message, sizeof message, "%s", mumloc_last_error());
        return error_fail(s, "'%s': %s", path, message); /* a value out of range */
    }
    return MUMLOC_OK;
}

mumloc_status mumloc_optics_load(const char *path, mumloc_optics *optics) {
    if (!path || !optics)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "mumloc_optics_load needs a path and optics");
    char *text = NULL;
    size_t len = 0;
    ERROR_TRY(read_small_file(path, "optics file", MAX_OPTICS_FILE_BYTES, &text, &len));
    json_value *doc = NULL;
    mumloc_status s = json_parse(text, len, path, &doc);
    free(text);
    ERROR_TRY(s);
    mumloc_optics loaded;
    mumloc_optics_default(&loaded);
    s = optics_from_json(doc, path, 0, &loaded);
    json_free(doc);
    if (s == MUMLOC_OK) *optics = loaded; /* untouched on failure */
    return s;
}

mumloc_status mumloc_optics_save(const char *path, const mumloc_optics *optics) {
    if (!path || !optics)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "mumloc_optics_save needs a path and optics");
    ERROR_TRY(mumloc_optics_validate(optics));
    text_buffer t = {0};
    optics_write_json(&t, optics, 1);
    text_puts(&t, "\n");
    mumloc_status s = text_status(&t);
    atomic_file af = {0};
    if (s == MUMLOC_OK) s = atomic_open(&af, path);
    if (s == MUMLOC_OK && fwrite(t.data, 1, t.len, af.file) != t.len)
        s = error_fail(MUMLOC_ERR_IO, "cannot write '%s': %s", path, strerror(errno));
    if (s == MUMLOC_OK) s = atomic_commit(&af);
    else atomic_abort(&af);
    text_free(&t);
    return s;
}

/* ",\n" and `indent` spaces before every member but the first (pretty), or "," (compact). */
static void member_start(text_buffer *out, int indent, int first) {
    if (indent < 0) {
        if (!first) text_puts(out, ",");
        return;
    }
    text_puts(out, first ? "\n" : ",\n");
    for (int i = 0; i < indent; i++) text_puts(out, " ");
}

static void write_plane_psf(text_buffer *out, const mumloc_plane_psf *psf, int pretty) {
    text_puts(out, "{");
    for (int f = 0; f < PLANE_FIELDS; f++) {
        text_printf(out, "%s\"%s\":%s", f ? (pretty ? ", " : ",") : "", plane_fields[f].name,
                           pretty ? " " : "");
        json_write_number(out, *(const double *)((const char *)psf + plane_fields[f].offset));
    }
    text_puts(out, "}");
}

void optics_write_json_members(text_buffer *out, const mumloc_optics *optics, int indent) {
    const char *space = indent >= 0 ? " " : "";
    member_start(out, indent, 1);
    text_printf(out, "\"planes\":%s%d", space, optics->planes);
    member_start(out, indent, 0);
    text_printf(out, "\"plane_depth_nm\":%s[", space);
    for (int d = 0; d < optics->planes; d++) {
        if (d) text_puts(out, indent >= 0 ? ", " : ",");
        json_write_number(out, optics->plane_depth_nm[d]);
    }
    text_puts(out, "]");
    for (int f = 0; f < SCALAR_FIELDS; f++) {
        member_start(out, indent, 0);
        text_printf(out, "\"%s\":%s", scalar_fields[f].name, space);
        json_write_number(out, *(const double *)((const char *)optics + scalar_fields[f].offset));
    }
    if (!optics->per_plane) return; /* the papers' model writes exactly what it always wrote */
    member_start(out, indent, 0);
    text_printf(out, "\"plane_psf\":%s[", space);
    for (int d = 0; d < optics->planes; d++) {
        if (indent >= 0) member_start(out, indent + 2, d == 0);
        else if (d) text_puts(out, ",");
        write_plane_psf(out, &optics->plane_psf[d], indent >= 0);
    }
    if (indent >= 0) {
        text_puts(out, "\n");
        for (int i = 0; i < indent; i++) text_puts(out, " ");
    }
    text_puts(out, "]");
}

void optics_write_json(text_buffer *out, const mumloc_optics *optics, int pretty) {
    text_puts(out, "{");
    optics_write_json_members(out, optics, pretty ? 2 : -1);
    text_puts(out, pretty ? "\n}" : "}");
}
