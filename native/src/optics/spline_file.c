/* Spline PSF files (format in spline_file.h). */
#include "optics/spline_file.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/error.h"
#include "core/sha256.h"
#include "io/atomic_file.h"
#include "io/c_number.h"
#include "io/input_file.h"
#include "io/json.h"
#include "io/text_buffer.h"

enum { MAX_HEADER_BYTES = 1 << 20, PLANE_KEYS = 4 };
static const char *const plane_keys[PLANE_KEYS] = {"oversample", "half", "z0_nm", "z_step_nm"};

static size_t coef_count(const spline_plane_psf *s) { return (size_t)s->n * s->n * s->nz; }

static void put_le32(unsigned char *b, float f) {
    uint32_t u;
    memcpy(&u, &f, 4);
    for (int i = 0; i < 4; i++) b[i] = (unsigned char)(u >> (8 * i));
}

static float get_le32(const unsigned char *b) {
    uint32_t u = 0;
    for (int i = 0; i < 4; i++) u |= (uint32_t)b[i] << (8 * i);
    float f;
    memcpy(&f, &u, 4);
    return f;
}

/* Streams the little-endian bytes of every plane's coefficients to `sink` (hash and/or file). */
static mumloc_status each_data_chunk(const spline_set *set,
                                     mumloc_status (*sink)(void *, const unsigned char *, size_t),
                                     void *user) {
    unsigned char chunk[4096];
    for (int d = 0; d < set->planes; d++) {
        const spline_plane_psf *s = &set->plane[d];
        size_t count = coef_count(s), at = 0;
        while (at < count) {
            size_t take = count - at < sizeof chunk / 4 ? count - at : sizeof chunk / 4;
            for (size_t i = 0; i < take; i++) put_le32(chunk + 4 * i, s->coef[at + i]);
            ERROR_TRY(sink(user, chunk, 4 * take));
            at += take;
        }
    }
    return MUMLOC_OK;
}

static mumloc_status hash_sink(void *user, const unsigned char *b, size_t n) {
    sha256_update(user, b, n);
    return MUMLOC_OK;
}

static mumloc_status check_set(const spline_set *set) {
    if (!set || set->planes < 1 || set->planes > MUMLOC_MAX_PLANES)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "spline PSF set: %d planes; need 1 to %d",
                           set ? set->planes : 0, MUMLOC_MAX_PLANES);
    for (int d = 0; d < set->planes; d++) {
        const spline_plane_psf *s = &set->plane[d];
        if (!s->coef)
            return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "spline PSF set: plane %d is empty",
                               d + 1);
        if (s->pixel_nm != set->plane[0].pixel_nm)
            return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                               "spline PSF set: plane %d has %g nm pixels, plane 1 %g nm; a rig's "
                               "planes share camera 1's pixel",
                               d + 1, s->pixel_nm, set->plane[0].pixel_nm);
    }
    return MUMLOC_OK;
}

mumloc_status spline_set_hash(const spline_set *set, char hex[65]) {
    ERROR_TRY(check_set(set));
    sha256_state h;
    sha256_init(&h);
    ERROR_TRY(each_data_chunk(set, hash_sink, &h));
    sha256_hex(&h, hex);
    return MUMLOC_OK;
}

static void meta_number(text_buffer *t, const char *key, double v) {
    text_puts(t, ",");
    json_write_string(t, key);
    text_puts(t, ":\"");
    json_write_number(t, v);
    text_puts(t, "\"");
}

static void header_text(const spline_set *set, text_buffer *t) {
    text_printf(t, "{\"__metadata__\":{\"format\":\"%s\",\"format_version\":\"%d\","
                          "\"planes\":\"%d\"",
                       SPLINE_FILE_FORMAT, SPLINE_FILE_VERSION, set->planes);
    meta_number(t, "pixel_nm", set->plane[0].pixel_nm);
    text_printf(t, ",\"sha256\":\"%s\"", set->sha256);
    for (int d = 0; d < set->planes; d++) {
        const spline_plane_psf *s = &set->plane[d];
        const double v[PLANE_KEYS] = {s->oversample, s->half, s->z0_nm, s->z_step_nm};
        for (int k = 0; k < PLANE_KEYS; k++) {
            char key[48];
            snprintf(key, sizeof key, "plane%d.%s", d + 1, plane_keys[k]);
            meta_number(t, key, v[k]);
        }
    }
    text_puts(t, "}");
    uint64_t at = 0;
    for (int d = 0; d < set->planes; d++) {
        const spline_plane_psf *s = &set->plane[d];
        uint64_t bytes = 4 * (uint64_t)coef_count(s);
        text_printf(t, ",\"plane%d.coef\":{\"dtype\":\"F32\",\"shape\":[%d,%d,%d],"
                              "\"data_offsets\":[%" PRIu64 ",%" PRIu64 "]}",
                           d + 1, s->nz, s->n, s->n, at, at + bytes);
        at += bytes;
    }
    text_puts(t, "}");
    while (t->len % 8) text_puts(t, " ");
}

typedef struct file_sink {
    FILE *file;
    const char *path;
} file_sink;

static mumloc_status write_sink(void *user, const unsigned char *b, size_t n) {
    file_sink *f = user;
    if (fwrite(b, 1, n, f->file) != n)
        return error_fail(MUMLOC_ERR_IO, "cannot write spline PSF file '%s': %s", f->path,
                           strerror(errno));
    return MUMLOC_OK;
}

mumloc_status spline_set_save(const char *path, spline_set *set) {
    if (!path) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "spline PSF file: no path given");
    ERROR_TRY(spline_set_hash(set, set->sha256));
    text_buffer t = {0};
    header_text(set, &t);
    mumloc_status s = text_status(&t);
    atomic_file af = {0};
    if (s == MUMLOC_OK) s = atomic_open(&af, path);
    if (s == MUMLOC_OK) {
        unsigned char length[8];
        for (int i = 0; i < 8; i++) length[i] = (unsigned char)((uint64_t)t.len >> (8 * i));
        file_sink sink = {af.file, path};
        s = write_sink(&sink, length, 8);
        if (s == MUMLOC_OK) s = write_sink(&sink, (const unsigned char *)t.data, t.len);
        if (s == MUMLOC_OK) s = each_data_chunk(set, write_sink, &sink);
        if (s == MUMLOC_OK) s = atomic_commit(&af);
        else atomic_abort(&af);
    }
    text_free(&t);
    return s;
}

/* ---- loading ---- */

static mumloc_status read_at(int fd, void *buf, size_t n, uint64_t offset, const char *path) {
    return input_read_at(fd, buf, n, offset, path, "spline PSF file");
}

static const char *meta_string(const json_value *meta, const char *key) {
    const json_value *v = json_get(meta, key);
    return v && v->type == JSON_STRING ? v->string : NULL;
}

static mumloc_status meta_double(const json_value *meta, const char *key, const char *path,
                                 double *out) {
    const char *s = meta_string(meta, key);
    char *end = NULL;
    double v = s ? strtod_c(s, &end) : 0;
    if (!s || !*s || *end || !isfinite(v))
        return error_fail(MUMLOC_ERR_FORMAT,
                           "spline PSF file '%s': metadata \"%s\" must be a finite number (as a "
                           "string); the file is damaged or not a mumloc spline: recalibrate with "
                           "--psf spline",
                           path, key);
    *out = v;
    return MUMLOC_OK;
}

static mumloc_status meta_whole(const json_value *meta, const char *key, const char *path, int lo,
                                int hi, int *out) {
    double v;
    ERROR_TRY(meta_double(meta, key, path, &v));
    if (v != floor(v) || v < lo || v > hi)
        return error_fail(MUMLOC_ERR_FORMAT,
                           "spline PSF file '%s': metadata \"%s\" is %g; it must be a whole number "
                           "%d to %d",
                           path, key, v, lo, hi);
    *out = (int)v;
    return MUMLOC_OK;
}

/* A tensor entry's shape [nz, n, n] and data offsets, checked against the plane's grid. */
static mumloc_status read_tensor(const json_value *header, int d, const spline_plane_psf *grid,
                                 uint64_t expect_begin, uint64_t data_bytes, const char *path) {
    char name[32];
    snprintf(name, sizeof name, "plane%d.coef", d + 1);
    const json_value *t = json_get(header, name);
    if (!t || t->type != JSON_OBJECT)
        return error_fail(MUMLOC_ERR_FORMAT,
                           "spline PSF file '%s' lacks the tensor \"%s\" (its metadata declares "
                           "%d or more planes): the file is damaged; recalibrate with --psf spline",
                           path, name, d + 1);
    const json_value *dtype = json_get(t, "dtype"), *shape = json_get(t, "shape"),
                      *offsets = json_get(t, "data_offsets");
    if (t->count != 3 || !dtype || dtype->type != JSON_STRING || strcmp(dtype->string, "F32") ||
        !shape || shape->type != JSON_ARRAY || shape->count != 3 || !offsets ||
        offsets->type != JSON_ARRAY || offsets->count != 2)
        return error_fail(MUMLOC_ERR_FORMAT,
                           "spline PSF file '%s': tensor \"%s\" must hold exactly dtype \"F32\", a "
                           "shape of 3 numbers and 2 data_offsets",
                           path, name);
    const double want[3] = {grid->nz, grid->n, grid->n};
    for (int a = 0; a < 3; a++)
        if (shape->items[a].type != JSON_NUMBER || shape->items[a].number != want[a])
            return error_fail(MUMLOC_ERR_FORMAT,
                               "spline PSF file '%s': tensor \"%s\" must have shape [%d, %d, %d] "
                               "(its plane's z nodes and 2 · half · oversample + 1 lateral nodes)",
                               path, name, grid->nz, grid->n, grid->n);
    const double bytes = 4.0 * (double)grid->nz * grid->n * grid->n;
    const json_value *b = &offsets->items[0], *e = &offsets->items[1];
    if (b->type != JSON_NUMBER || e->type != JSON_NUMBER ||
        b->number != (double)expect_begin || e->number != (double)expect_begin + bytes ||
        e->number > (double)data_bytes)
        return error_fail(MUMLOC_ERR_FORMAT,
                           "spline PSF file '%s': tensor \"%s\" must lie at data_offsets [%" PRIu64
                           ", %.0f], right after the previous plane, within the file's %" PRIu64
                           " data bytes (is the file truncated?)",
                           path, name, expect_begin, (double)expect_begin + bytes, data_bytes);
    return MUMLOC_OK;
}

static mumloc_status read_grids(const json_value *header, const char *path, uint64_t data_bytes,
                                spline_set *set, double *pixel_nm) {
    const json_value *meta = json_get(header, "__metadata__");
    const char *format = meta && meta->type == JSON_OBJECT ? meta_string(meta, "format") : NULL;
    if (!format || strcmp(format, SPLINE_FILE_FORMAT) != 0)
        return error_fail(MUMLOC_ERR_FORMAT,
                           "'%s' is not a mumloc spline PSF file (its metadata \"format\" is not "
                           "\"%s\"); give the file mumloc calibrate --psf spline wrote",
                           path, SPLINE_FILE_FORMAT);
    int version;
    ERROR_TRY(meta_whole(meta, "format_version", path, 0, 1 << 30, &version));
    if (version != SPLINE_FILE_VERSION)
        return error_fail(MUMLOC_ERR_FORMAT,
                           "spline PSF file '%s' has format version %d; this mumloc (%s) reads "
                           "version %d",
                           path, version, mumloc_version(), SPLINE_FILE_VERSION);
    ERROR_TRY(meta_whole(meta, "planes", path, 1, MUMLOC_MAX_PLANES, &set->planes));
    ERROR_TRY(meta_double(meta, "pixel_nm", path, pixel_nm));
    const char *hash = meta_string(meta, "sha256");
    if (!hash || strlen(hash) != 64 || strspn(hash, "0123456789abcdef") != 64)
        return error_fail(MUMLOC_ERR_FORMAT,
                           "spline PSF file '%s': metadata \"sha256\" must be 64 lowercase hex "
                           "digits (the data's SHA-256)",
                           path);
    memcpy(set->sha256, hash, 65);
    if (meta->count != 5 + (size_t)PLANE_KEYS * set->planes || header->count != 1 + (size_t)set->planes)
        return error_fail(MUMLOC_ERR_FORMAT,
                           "spline PSF file '%s' declares %d planes but holds %zu metadata entries "
                           "and %zu tensors (want %d and %d): the file is damaged; recalibrate with "
                           "--psf spline",
                           path, set->planes, meta->count, header->count - 1,
                           5 + PLANE_KEYS * set->planes, set->planes);
    uint64_t at = 0;
    for (int d = 0; d < set->planes; d++) {
        spline_plane_psf *g = &set->plane[d];
        char key[48];
        double v[PLANE_KEYS];
        for (int k = 0; k < PLANE_KEYS; k++) {
            snprintf(key, sizeof key, "plane%d.%s", d + 1, plane_keys[k]);
            ERROR_TRY(meta_double(meta, key, path, &v[k]));
        }
        snprintf(key, sizeof key, "plane%d.oversample", d + 1);
        ERROR_TRY(meta_whole(meta, key, path, 1, 16, &g->oversample));
        snprintf(key, sizeof key, "plane%d.half", d + 1);
        ERROR_TRY(meta_whole(meta, key, path, 1, 64, &g->half));
        g->n = 2 * g->half * g->oversample + 1;
        g->z0_nm = v[2];
        g->z_step_nm = v[3];
        if (!(g->z_step_nm > 0) || !(*pixel_nm > 0))
            return error_fail(MUMLOC_ERR_FORMAT,
                               "spline PSF file '%s': pixel_nm and plane %d's z_step_nm must be "
                               "positive",
                               path, d + 1);
        /* nz from the tensor's shape, bounded by what the data can hold before anything else */
        snprintf(key, sizeof key, "plane%d.coef", d + 1);
        const json_value *t = json_get(header, key), *shape = t ? json_get(t, "shape") : NULL;
        double nz = shape && shape->type == JSON_ARRAY && shape->count == 3 &&
                            shape->items[0].type == JSON_NUMBER
                        ? shape->items[0].number
                        : -1;
        double room = (double)(data_bytes - at) / (4.0 * g->n * g->n);
        if (nz != floor(nz) || nz < 2 || nz > 100000 || nz > room)
            return error_fail(MUMLOC_ERR_FORMAT,
                               "spline PSF file '%s': tensor \"%s\" must have 2 to 100000 z nodes "
                               "that fit in the file's data (%" PRIu64 " bytes; is it truncated?)",
                               path, key, data_bytes);
        g->nz = (int)nz;
        ERROR_TRY(read_tensor(header, d, g, at, data_bytes, path));
        at += 4 * (uint64_t)coef_count(g);
    }
    if (at != data_bytes)
        return error_fail(MUMLOC_ERR_FORMAT,
                           "spline PSF file '%s' holds %" PRIu64 " data bytes but its tensors "
                           "declare %" PRIu64 ": the file is damaged",
                           path, data_bytes, at);
    return MUMLOC_OK;
}

/* Reads each plane's coefficients, hashing them as they come, into set (grids already read). */
static mumloc_status read_planes(int fd, uint64_t data_start, double pixel_nm, const char *path,
                                 spline_set *set) {
    sha256_state h;
    sha256_init(&h);
    uint64_t at = data_start;
    for (int d = 0; d < set->planes; d++) {
        spline_plane_psf grid = set->plane[d];
        memset(&set->plane[d], 0, sizeof set->plane[d]);
        const size_t count = coef_count(&grid);
        float *coef = malloc(count * sizeof *coef + 1);
        unsigned char *raw = malloc(4 * count + 1);
        mumloc_status s = coef && raw ? read_at(fd, raw, 4 * count, at, path)
                                      : error_fail(MUMLOC_ERR_OUT_OF_MEMORY,
                                                    "out of memory reading spline PSF file '%s'", path);
        if (s == MUMLOC_OK) {
            sha256_update(&h, raw, 4 * count);
            for (size_t i = 0; i < count && s == MUMLOC_OK; i++) {
                coef[i] = get_le32(raw + 4 * i);
                if (!isfinite(coef[i]))
                    s = error_fail(MUMLOC_ERR_FORMAT,
                                    "spline PSF file '%s': plane %d holds a NaN or infinite "
                                    "coefficient; the file is damaged: recalibrate",
                                    path, d + 1);
            }
        }
        free(raw);
        if (s == MUMLOC_OK)
            s = spline_psf_from_coefficients(pixel_nm, grid.oversample, grid.half, grid.nz,
                                                    grid.z0_nm, grid.z_step_nm, coef, &set->plane[d]);
        free(coef);
        ERROR_TRY(s);
        at += 4 * (uint64_t)count;
    }
    char hex[65];
    sha256_hex(&h, hex);
    if (strcmp(hex, set->sha256) != 0)
        return error_fail(MUMLOC_ERR_FORMAT,
                           "spline PSF file '%s' was changed after it was written: its data's "
                           "SHA-256 is %.12s…, its header says %.12s…; recalibrate with --psf spline",
                           path, hex, set->sha256);
    return MUMLOC_OK;
}

static mumloc_status load_open(int fd, uint64_t size, const char *path, spline_set *set) {
    unsigned char length[8];
    if (size < 8)
        return error_fail(MUMLOC_ERR_FORMAT,
                           "'%s' is truncated: %" PRIu64 " bytes, not a spline PSF file", path, size);
    ERROR_TRY(read_at(fd, length, 8, 0, path));
    uint64_t n = 0;
    for (int i = 0; i < 8; i++) n |= (uint64_t)length[i] << (8 * i);
    if (n < 2 || n > MAX_HEADER_BYTES || n > size - 8)
        return error_fail(MUMLOC_ERR_FORMAT,
                           "'%s' is not a spline PSF file (its first 8 bytes declare a %" PRIu64
                           "-byte header in a %" PRIu64 "-byte file; at most %d)",
                           path, n, size, MAX_HEADER_BYTES);
    char *text = malloc(n + 1);
    if (!text) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory reading '%s'", path);
    mumloc_status s = read_at(fd, text, n, 8, path);
    json_value *header = NULL;
    if (s == MUMLOC_OK && json_parse(text, n, path, &header) != MUMLOC_OK)
        s = error_fail(MUMLOC_ERR_FORMAT, "'%s' is not a spline PSF file (its header is not JSON)",
                        path);
    free(text);
    if (s == MUMLOC_OK && header->type != JSON_OBJECT)
        s = error_fail(MUMLOC_ERR_FORMAT, "'%s': the safetensors header is not a JSON object", path);
    double pixel_nm = 0;
    if (s == MUMLOC_OK) s = read_grids(header, path, size - 8 - n, set, &pixel_nm);
    json_free(header);
    if (s == MUMLOC_OK) s = read_planes(fd, 8 + n, pixel_nm, path, set);
    return s;
}

mumloc_status spline_set_load(const char *path, spline_set *set) {
    if (!path || !set)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "spline PSF load needs a path and a set");
    memset(set, 0, sizeof *set);
    int fd;
    uint64_t size;
    ERROR_TRY(input_open(path, "spline PSF file", &fd, &size));
    mumloc_status s = load_open(fd, size, path, set);
    close(fd);
    if (s != MUMLOC_OK) spline_set_free(set);
    return s;
}

void spline_set_free(spline_set *set) {
    if (!set) return;
    for (int d = 0; d < MUMLOC_MAX_PLANES; d++) spline_psf_free(&set->plane[d]);
    set->planes = 0;
}
