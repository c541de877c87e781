/* Loading safetensors model files (format in model_file.h). Only what the header declares is read,
 * and only once the header is valid: a foreign file of any size costs its first 8 bytes. */
#include "nn/model_file.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/error.h"
#include "io/c_number.h"
#include "io/input_file.h"
#include "io/json.h"
#include "nn/model_file_layout.h"

#define MAX_HEADER_BYTES (64u << 20)

static mumloc_status read_at(int fd, void *buf, size_t n, uint64_t offset, const char *path) {
    return input_read_at(fd, buf, n, offset, path, "model");
}

static const char *meta_string(const json_value *meta, const char *key) {
    const json_value *v = json_get(meta, key);
    return v && v->type == JSON_STRING ? v->string : NULL;
}

static mumloc_status meta_int(const json_value *meta, const char *key, const char *path, int lo,
                              int hi, int *out) {
    const char *s = meta_string(meta, key);
    char *end = NULL;
    long v = s ? strtol(s, &end, 10) : 0;
    if (!s || !*s || *end || v < lo || v > hi)
        return error_fail(MUMLOC_ERR_FORMAT, "model '%s': metadata '%s' must be an integer %d..%d",
                           path, key, lo, hi);
    *out = (int)v;
    return MUMLOC_OK;
}

static mumloc_status meta_float(const json_value *meta, const char *key, const char *path,
                                float *out) {
    const char *s = meta_string(meta, key);
    char *end = NULL;
    double v = s ? strtod_c(s, &end) : 0;
    if (!s || !*s || *end || !isfinite((float)v))
        return error_fail(MUMLOC_ERR_FORMAT, "model '%s': metadata '%s' must be a finite number",
                           path, key);
    *out = (float)v;
    return MUMLOC_OK;
}

static mumloc_status config_from_meta(const json_value *meta, const char *path,
                                      nn_model_config *cfg) {
    const char *format = meta_string(meta, "format");
    if (!format || strcmp(format, NN_MODEL_FORMAT) != 0)
        return error_fail(MUMLOC_ERR_FORMAT,
                           "'%s' is a safetensors file but not a mumloc model (metadata 'format' "
                           "is not \"%s\")", path, NN_MODEL_FORMAT);
    int version;
    ERROR_TRY(meta_int(meta, "format_version", path, 0, 1 << 30, &version));
    if (version != NN_MODEL_FORMAT_VERSION)
        return error_fail(MUMLOC_ERR_FORMAT,
                           "model '%s' has format version %d; this library (%s) reads version %d",
                           path, version, mumloc_version(), NN_MODEL_FORMAT_VERSION);
    const char *arch = meta_string(meta, "architecture");
    if (arch && strcmp(arch, "regression") == 0) nn_model_config_default(cfg, NN_ARCH_REGRESSION);
    else if (arch && strcmp(arch, "voxel") == 0) nn_model_config_default(cfg, NN_ARCH_VOXEL);
    else
        return error_fail(MUMLOC_ERR_FORMAT,
                           "model '%s': unknown architecture '%s' (expected regression or voxel)",
                           path, arch ? arch : "(missing)");
    ERROR_TRY(meta_int(meta, "planes", path, 1, MUMLOC_MAX_PLANES, &cfg->planes));
    ERROR_TRY(meta_int(meta, "depth_slices", path, 1, 1024, &cfg->depth_slices));
    ERROR_TRY(meta_float(meta, "negative_ratio", path, &cfg->negative_ratio));
    ERROR_TRY(meta_float(meta, "bn_eps", path, &cfg->bn_eps));
    ERROR_TRY(meta_float(meta, "bn_momentum", path, &cfg->bn_momentum));
    /* a value nn_model_create would refuse is a bad file here, not a bad argument */
    if (nn_model_config_check(cfg) != MUMLOC_OK) {
        char why[256];
        snprintf(why, sizeof why, "%s", mumloc_last_error());
        return error_fail(MUMLOC_ERR_FORMAT, "model '%s': metadata %s", path, why);
    }
    return MUMLOC_OK;
}

/* Where a tensor's bytes lie in the data section: [begin, end). */
typedef struct span {
    uint64_t begin, end;
} span;

static int is_offset(const json_value *v) {
    return v->type == JSON_NUMBER && v->number >= 0 && v->number <= 9.0e15 &&
           v->number == floor(v->number);
}

/* Checks one header entry against the tensor the architecture expects; reads nothing. */
static mumloc_status check_entry(const json_value *v, const nn_file_entry *e, uint64_t data_size,
                                 const char *path, span *out) {
    const json_value *dtype = json_get(v, "dtype"), *shape = json_get(v, "shape");
    const json_value *offs = json_get(v, "data_offsets");
    if (v->type != JSON_OBJECT || !dtype || dtype->type != JSON_STRING ||
        strcmp(dtype->string, "F32") != 0)
        return error_fail(MUMLOC_ERR_FORMAT, "model '%s': tensor '%s' must have dtype F32", path,
                           e->name);
    int want[4] = {e->shape.n, e->shape.c, e->shape.h, e->shape.w};
    if (e->rank == 1) want[0] = e->shape.c;
    int ok = shape && shape->type == JSON_ARRAY && (int)shape->count == e->rank;
    for (int i = 0; ok && i < e->rank; i++)
        ok = shape->items[i].type == JSON_NUMBER && shape->items[i].number == want[i];
    if (!ok) {
        if (e->rank == 1)
            return error_fail(MUMLOC_ERR_FORMAT, "model '%s': tensor '%s' must have shape [%d]",
                               path, e->name, want[0]);
        return error_fail(MUMLOC_ERR_FORMAT, "model '%s': tensor '%s' must have shape [%d,%d,%d,%d]",
                           path, e->name, want[0], want[1], want[2], want[3]);
    }
    const uint64_t bytes = (uint64_t)nn_shape_count(e->shape) * sizeof(float);
    if (!offs || offs->type != JSON_ARRAY || offs->count != 2 || !is_offset(&offs->items[0]) ||
        !is_offset(&offs->items[1]) || offs->items[1].number - offs->items[0].number != (double)bytes)
        return error_fail(MUMLOC_ERR_FORMAT,
                           "model '%s': tensor '%s' needs data_offsets [begin, begin + %" PRIu64
                           "] (whole byte offsets)", path, e->name, bytes);
    out->begin = (uint64_t)offs->items[0].number;
    out->end = out->begin + bytes;
    if (out->end > data_size)
        return error_fail(MUMLOC_ERR_FORMAT,
                           "model '%s' is truncated: tensor '%s' ends at byte %" PRIu64
                           " of a %" PRIu64 "-byte data section", path, e->name, out->end, data_size);
    return MUMLOC_OK;
}

/* Reads one tensor's values, refuses non-finite ones (a NaN weight makes every output NaN, and
 * running variances must be ≥ 0), and uploads them. */
static mumloc_status load_entry(nn_backend *be, int fd, uint64_t data_at, const nn_file_entry *e, span s,
                                const char *path) {
    const size_t count = (size_t)nn_shape_count(e->shape);
    float *host = malloc(count ? count * sizeof *host : 1);
    if (!host) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "no memory to load '%s'", path);
    mumloc_status st = read_at(fd, host, count * sizeof *host, data_at + s.begin, path);
    const char *suffix = strrchr(e->name, '.');
    const int variance = suffix && strcmp(suffix, ".running_var") == 0;
    for (size_t i = 0; st == MUMLOC_OK && i < count; i++)
        if (!isfinite(host[i]) || (variance && host[i] < 0.0f))
            st = error_fail(MUMLOC_ERR_FORMAT,
                             "model '%s': tensor '%s' holds %s at element %zu; the file is damaged",
                             path, e->name, isfinite(host[i]) ? "a negative variance"
                                                              : "a NaN or infinite value", i);
    if (st == MUMLOC_OK) st = be->upload(be, e->tensor, host);
    free(host);
    return st;
}

static int compare_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* The tensors tile the data section exactly: no overlaps, no gaps, nothing after. */
static mumloc_status check_tiling(const span *spans, int n, uint64_t data_size, const char *path) {
    span sorted[NN_FILE_MAX_ENTRIES];
    memcpy(sorted, spans, (size_t)n * sizeof *spans);
    qsort(sorted, (size_t)n, sizeof sorted[0], compare_u64);
    uint64_t at = 0;
    for (int i = 0; i < n; i++) {
        if (sorted[i].begin != at)
            return error_fail(MUMLOC_ERR_FORMAT,
                               "model '%s': tensor data overlap or leave a gap at byte %" PRIu64,
                               path, at);
        at = sorted[i].end;
    }
    if (at != data_size)
        return error_fail(MUMLOC_ERR_FORMAT, "model '%s' has %" PRIu64 " bytes after its last tensor",
                           path, data_size - at);
    return MUMLOC_OK;
}

/* Bounds the header before any per-key work, so that every later step is linear in a small count. */
static mumloc_status check_counts(const json_value *header, const json_value *meta,
                                  const char *path) {
    const size_t max_meta = NN_MAX_META + NN_FILE_RESERVED_KEYS;
    if (meta->count > max_meta)
        return error_fail(MUMLOC_ERR_FORMAT,
                           "model '%s' has %zu metadata entries; a mumloc model has at most %zu",
                           path, meta->count, max_meta);
    if (header->count > NN_FILE_MAX_ENTRIES + 1)
        return error_fail(MUMLOC_ERR_FORMAT,
                           "model '%s' has %zu tensors; a mumloc model has at most %d", path,
                           header->count - 1, NN_FILE_MAX_ENTRIES);
    for (size_t i = 0; i < meta->count; i++)
        if (meta->items[i].type != JSON_STRING)
            return error_fail(MUMLOC_ERR_FORMAT, "'%s': metadata '%s' is not a string", path,
                               meta->keys[i]);
    return MUMLOC_OK;
}

static mumloc_status adam_steps_from_meta(const json_value *meta, const char *path, nn_model *m) {
    ERROR_TRY(nn_model_ensure_training_state(m));
    const char *s = meta_string(meta, "adam_steps");
    char *end = NULL;
    long long steps = s ? strtoll(s, &end, 10) : -1;
    if (!s || !*s || *end || steps < 0)
        return error_fail(MUMLOC_ERR_FORMAT, "model '%s': adam_steps must be an integer ≥ 0", path);
    m->adam_steps = steps;
    return MUMLOC_OK;
}

/* Checks the whole header against the architecture it names, then reads the tensors. */
static mumloc_status load_tensors(nn_backend *be, const json_value *header, nn_model *m,
                                  int with_optimizer, int fd, uint64_t data_at, uint64_t data_size,
                                  const char *path) {
    nn_file_entry e[NN_FILE_MAX_ENTRIES];
    span spans[NN_FILE_MAX_ENTRIES];
    const int n = nn_model_file_entries(m, with_optimizer, e);
    for (int i = 0; i < n; i++) {
        const json_value *v = json_get(header, e[i].name);
        if (!v)
            return error_fail(MUMLOC_ERR_FORMAT, "model '%s' lacks tensor '%s' (%s architecture)",
                               path, e[i].name, m->cfg.arch == NN_ARCH_VOXEL ? "voxel" : "regression");
        ERROR_TRY(check_entry(v, &e[i], data_size, path, &spans[i]));
    }
    /* every header key is __metadata__ or an expected tensor */
    for (size_t k = 0; k < header->count; k++) {
        if (strcmp(header->keys[k], "__metadata__") == 0) continue;
        int known = 0;
        for (int i = 0; i < n && !known; i++) known = strcmp(header->keys[k], e[i].name) == 0;
        if (!known)
            return error_fail(MUMLOC_ERR_FORMAT, "model '%s' has an unexpected tensor '%s'", path,
                               header->keys[k]);
    }
    ERROR_TRY(check_tiling(spans, n, data_size, path));
    for (int i = 0; i < n; i++) ERROR_TRY(load_entry(be, fd, data_at, &e[i], spans[i], path));
    return MUMLOC_OK;
}

static mumloc_status load_parsed(nn_backend *be, const json_value *header, int fd, uint64_t data_at,
                                 uint64_t data_size, const char *path, nn_model **out) {
    if (header->type != JSON_OBJECT)
        return error_fail(MUMLOC_ERR_FORMAT, "'%s': the safetensors header is not a JSON object", path);
    const json_value *meta = json_get(header, "__metadata__");
    if (!meta || meta->type != JSON_OBJECT)
        return error_fail(MUMLOC_ERR_FORMAT,
                           "'%s' is a safetensors file without metadata: not a mumloc model", path);
    ERROR_TRY(check_counts(header, meta, path));
    nn_model_config cfg;
    ERROR_TRY(config_from_meta(meta, path, &cfg));
    const int with_optimizer = json_get(meta, "adam_steps") != NULL;
    nn_model *m = NULL;
    ERROR_TRY(nn_model_create(be, &cfg, &m));
    mumloc_status st = with_optimizer ? adam_steps_from_meta(meta, path, m) : MUMLOC_OK;
    if (st == MUMLOC_OK)
        st = load_tensors(be, header, m, with_optimizer, fd, data_at, data_size, path);
    for (size_t i = 0; st == MUMLOC_OK && i < meta->count; i++)
        if (!nn_model_file_reserved_key(meta->keys[i]))
            st = nn_model_set_meta(m, meta->keys[i], meta->items[i].string);
    if (st != MUMLOC_OK) {
        nn_model_destroy(m);
        return st;
    }
    nn_model_touch(m);
    *out = m;
    return MUMLOC_OK;
}

/* The JSON header, once its declared length fits the file and the format's limit. */
static mumloc_status read_header(int fd, uint64_t size, const char *path, uint64_t *header_len,
                                 json_value **header) {
    if (size < 8)
        return error_fail(MUMLOC_ERR_FORMAT,
                           "'%s' is truncated: %" PRIu64 " bytes, not a safetensors model file", path,
                           size);
    unsigned char len8[8];
    ERROR_TRY(read_at(fd, len8, 8, 0, path));
    uint64_t n = 0;
    for (int i = 0; i < 8; i++) n |= (uint64_t)len8[i] << (8 * i);
    const int tiff = (len8[0] == 'I' && len8[1] == 'I' && len8[2] == 42 && len8[3] == 0) ||
                     (len8[0] == 'M' && len8[1] == 'M' && len8[2] == 0 && len8[3] == 42);
    if (tiff)
        return error_fail(MUMLOC_ERR_FORMAT,
                           "'%s' is not a safetensors model file (it is a TIFF image)", path);
    if (n == 0 || n > MAX_HEADER_BYTES || n > size - 8)
        return error_fail(MUMLOC_ERR_FORMAT,
                           "'%s' is not a safetensors model file (its first 8 bytes declare a "
                           "%" PRIu64 "-byte header; the file has %" PRIu64 " bytes) or is truncated",
                           path, n, size);
    char *text = malloc((size_t)n);
    if (!text) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "no memory to read model '%s'", path);
    mumloc_status st = read_at(fd, text, (size_t)n, 8, path);
    if (st == MUMLOC_OK && text[0] != '{')
        st = error_fail(MUMLOC_ERR_FORMAT,
                         "'%s' is not a safetensors model file (its header is not JSON)", path);
    if (st == MUMLOC_OK) st = json_parse(text, (size_t)n, path, header);
    free(text);
    *header_len = n;
    return st;
}

mumloc_status nn_model_load(nn_backend *be, const char *path, nn_model **out) {
    *out = NULL;
    if (!nn_host_is_little_endian())
        return error_fail(MUMLOC_ERR_UNSUPPORTED, "model files need a little-endian machine");
    int fd = -1;
    uint64_t size = 0, header_len = 0;
    ERROR_TRY(input_open(path, "model", &fd, &size));
    json_value *header = NULL;
    mumloc_status st = read_header(fd, size, path, &header_len, &header);
    if (st == MUMLOC_OK)
        st = load_parsed(be, header, fd, 8 + header_len, size - 8 - header_len, path, out);
    json_free(header);
    close(fd);
    return st;
}
