/* safetensors model files (see model_file.h). */
#include "nn/model_file.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "io/atomic_file.h"
#include "io/c_number.h"
#include "io/json.h"
#include "io/text_buffer.h"

#define MAX_HEADER_BYTES (64u << 20)
#define MAX_ENTRIES (3 * NN_MAX_PARAMS + 2 * NN_MAX_LAYERS)

static const char *const reserved[] = {"format",       "format_version", "architecture",
                                       "planes",       "depth_slices",   "negative_ratio",
                                       "bn_eps",       "bn_momentum",    "parameter_count",
                                       "adam_steps",   "library_version"};

int nn_model_file_reserved_key(const char *key) {
    for (size_t i = 0; i < sizeof reserved / sizeof reserved[0]; i++)
        if (strcmp(key, reserved[i]) == 0) return 1;
    return 0;
}

typedef struct entry {
    char name[96];
    nn_shape shape;
    int rank; /* 1 for vectors, 4 for weights */
    nn_tensor *tensor;
} entry;

/* The tensors of a model in file order; optimiser moments only if requested (and present). */
static int list_entries(const nn_model *m, int with_optimizer, entry *e) {
    int n = 0;
    for (int i = 0; i < m->layer_count; i++) {
        const nn_layer *l = &m->layers[i];
        nn_param *ps[4] = {l->w, l->b, l->gamma, l->beta};
        for (int j = 0; j < 4; j++) {
            if (!ps[j]) continue;
            snprintf(e[n].name, sizeof e[n].name, "%s", ps[j]->name);
            e[n].shape = ps[j]->shape;
            e[n].rank = j == 0 ? 4 : 1;
            e[n++].tensor = ps[j]->value;
        }
        if (l->batch_norm) {
            nn_shape vs = {1, l->out_c, 1, 1};
            snprintf(e[n].name, sizeof e[n].name, "block%d.bn.running_mean", i + 1);
            e[n].shape = vs;
            e[n].rank = 1;
            e[n++].tensor = l->running_mean;
            snprintf(e[n].name, sizeof e[n].name, "block%d.bn.running_var", i + 1);
            e[n].shape = vs;
            e[n].rank = 1;
            e[n++].tensor = l->running_var;
        }
    }
    if (with_optimizer)
        for (int k = 0; k < 2; k++)
            for (int i = 0; i < m->param_count; i++) {
                const nn_param *p = &m->params[i];
                snprintf(e[n].name, sizeof e[n].name, "optimizer.%s.%s", k ? "v" : "m", p->name);
                e[n].shape = p->shape;
                e[n].rank = p->shape.n == 1 && p->shape.h == 1 && p->shape.w == 1 ? 1 : 4;
                e[n++].tensor = k ? p->v : p->m;
            }
    return n;
}

static void put_meta(mumloc_text *t, int *first, const char *key, const char *value) {
    if (!*first) mumloc_text_puts(t, ",");
    *first = 0;
    mumloc_json_write_string(t, key);
    mumloc_text_puts(t, ":");
    mumloc_json_write_string(t, value);
}

/* The shortest plain decimal that reads back to the same float (1e-5f → "0.00001"). */
static void put_float(mumloc_text *t, int *first, const char *key, float v) {
    char buf[64] = "";
    for (int digits = 1; digits <= 9; digits++) {
        double r = v;
        if (v != 0.0f) {
            double scale = pow(10.0, digits - 1 - floor(log10(fabs((double)v))));
            r = round((double)v * scale) / scale;
        }
        if (mumloc_format_number(r, buf, sizeof buf) != MUMLOC_OK) buf[0] = 0;
        if ((float)mumloc_strtod_c(buf, NULL) == v) break;
    }
    put_meta(t, first, key, buf);
}

static int host_is_little_endian(void) {
    const uint32_t one = 1;
    return *(const unsigned char *)&one == 1;
}

mumloc_status nn_model_save(nn_model *m, const char *path, int with_optimizer) {
    if (!host_is_little_endian())
        return mumloc_fail(MUMLOC_ERR_UNSUPPORTED, "model files need a little-endian machine");
    if (with_optimizer) MUMLOC_TRY(nn_model_ensure_training_state(m));
    entry e[MAX_ENTRIES];
    const int n = list_entries(m, with_optimizer, e);
    mumloc_text t = {0};
    int first = 1;
    char buf[64];
    mumloc_text_puts(&t, "{\"__metadata__\":{");
    put_meta(&t, &first, "format", NN_MODEL_FORMAT);
    snprintf(buf, sizeof buf, "%d", NN_MODEL_FORMAT_VERSION);
    put_meta(&t, &first, "format_version", buf);
    put_meta(&t, &first, "architecture", m->cfg.arch == NN_ARCH_VOXEL ? "voxel" : "regression");
    snprintf(buf, sizeof buf, "%d", m->cfg.planes);
    put_meta(&t, &first, "planes", buf);
    snprintf(buf, sizeof buf, "%d", m->cfg.depth_slices);
    put_meta(&t, &first, "depth_slices", buf);
    put_float(&t, &first, "negative_ratio", m->cfg.negative_ratio);
    put_float(&t, &first, "bn_eps", m->cfg.bn_eps);
    put_float(&t, &first, "bn_momentum", m->cfg.bn_momentum);
    snprintf(buf, sizeof buf, "%" PRId64, nn_model_parameter_count(m));
    put_meta(&t, &first, "parameter_count", buf);
    if (with_optimizer) {
        snprintf(buf, sizeof buf, "%" PRId64, m->adam_steps);
        put_meta(&t, &first, "adam_steps", buf);
    }
    put_meta(&t, &first, "library_version", mumloc_version());
    for (int i = 0; i < m->meta.count; i++) put_meta(&t, &first, m->meta.keys[i], m->meta.values[i]);
    mumloc_text_puts(&t, "}");
    uint64_t offset = 0;
    for (int i = 0; i < n; i++) {
        uint64_t bytes = (uint64_t)nn_shape_count(e[i].shape) * sizeof(float);
        mumloc_text_puts(&t, ",");
        mumloc_json_write_string(&t, e[i].name);
        if (e[i].rank == 1)
            mumloc_text_printf(&t, ":{\"dtype\":\"F32\",\"shape\":[%d]", e[i].shape.c);
        else
            mumloc_text_printf(&t, ":{\"dtype\":\"F32\",\"shape\":[%d,%d,%d,%d]", e[i].shape.n,
                               e[i].shape.c, e[i].shape.h, e[i].shape.w);
        mumloc_text_printf(&t, ",\"data_offsets\":[%" PRIu64 ",%" PRIu64 "]}", offset, offset + bytes);
        offset += bytes;
    }
    mumloc_text_puts(&t, "}");
    while (t.len % 8) mumloc_text_puts(&t, " ");
    mumloc_status st = mumloc_text_status(&t);
    if (st != MUMLOC_OK) {
        mumloc_text_free(&t);
        return st;
    }
    mumloc_atomic_file af;
    st = mumloc_atomic_open(&af, path);
    if (st != MUMLOC_OK) {
        mumloc_text_free(&t);
        return st;
    }
    unsigned char len8[8];
    for (int i = 0; i < 8; i++) len8[i] = (unsigned char)((uint64_t)t.len >> (8 * i));
    int ok = fwrite(len8, 1, 8, af.file) == 8 && fwrite(t.data, 1, t.len, af.file) == t.len;
    mumloc_text_free(&t);
    for (int i = 0; ok && i < n; i++) {
        size_t count = (size_t)nn_shape_count(e[i].shape);
        float *host = malloc(count * sizeof *host);
        if (!host) {
            mumloc_atomic_abort(&af);
            return mumloc_fail(MUMLOC_ERR_OUT_OF_MEMORY, "no memory to save '%s'", path);
        }
        st = m->be->download(m->be, e[i].tensor, host);
        if (st == MUMLOC_OK) ok = fwrite(host, sizeof *host, count, af.file) == count;
        free(host);
        if (st != MUMLOC_OK) {
            mumloc_atomic_abort(&af);
            return st;
        }
    }
    if (!ok) {
        int err = errno;
        mumloc_atomic_abort(&af);
        return mumloc_fail(MUMLOC_ERR_IO, "cannot write '%s': %s", path, strerror(err));
    }
    return mumloc_atomic_commit(&af);
}

/* --- loading ------------------------------------------------------------------------------------ */

static mumloc_status read_file(const char *path, unsigned char **data, size_t *size) {
    *data = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) return mumloc_fail(MUMLOC_ERR_IO, "cannot open model '%s': %s", path, strerror(errno));
    long len = -1;
    if (fseek(f, 0, SEEK_END) == 0) len = ftell(f);
    if (len < 0 || fseek(f, 0, SEEK_SET) != 0) {
        fclose(f);
        return mumloc_fail(MUMLOC_ERR_IO, "cannot read model '%s'", path);
    }
    *data = malloc(len > 0 ? (size_t)len : 1);
    if (!*data) {
        fclose(f);
        return mumloc_fail(MUMLOC_ERR_OUT_OF_MEMORY, "no memory to read model '%s'", path);
    }
    size_t got = fread(*data, 1, (size_t)len, f);
    fclose(f);
    if (got != (size_t)len) {
        free(*data);
        *data = NULL;
        return mumloc_fail(MUMLOC_ERR_IO, "cannot read model '%s'", path);
    }
    *size = (size_t)len;
    return MUMLOC_OK;
}

static const char *meta_string(const mumloc_json *meta, const char *key) {
    const mumloc_json *v = mumloc_json_get(meta, key);
    return v && v->type == MUMLOC_JSON_STRING ? v->string : NULL;
}

static mumloc_status meta_int(const mumloc_json *meta, const char *key, const char *path, int lo,
                              int hi, int *out) {
    const char *s = meta_string(meta, key);
    char *end = NULL;
    long v = s ? strtol(s, &end, 10) : 0;
    if (!s || !*s || *end || v < lo || v > hi)
        return mumloc_fail(MUMLOC_ERR_FORMAT, "model '%s': metadata '%s' must be an integer %d..%d",
                           path, key, lo, hi);
    *out = (int)v;
    return MUMLOC_OK;
}

static mumloc_status meta_float(const mumloc_json *meta, const char *key, const char *path,
                                float *out) {
    const char *s = meta_string(meta, key);
    char *end = NULL;
    double v = s ? mumloc_strtod_c(s, &end) : 0;
    if (!s || !*s || *end || !(v == v))
        return mumloc_fail(MUMLOC_ERR_FORMAT, "model '%s': metadata '%s' must be a number", path,
                           key);
    *out = (float)v;
    return MUMLOC_OK;
}

static mumloc_status config_from_meta(const mumloc_json *meta, const char *path,
                                      nn_model_config *cfg) {
    const char *format = meta_string(meta, "format");
    if (!format || strcmp(format, NN_MODEL_FORMAT) != 0)
        return mumloc_fail(MUMLOC_ERR_FORMAT,
                           "'%s' is a safetensors file but not a mumloc model (metadata 'format' "
                           "is not \"%s\")", path, NN_MODEL_FORMAT);
    int version;
    MUMLOC_TRY(meta_int(meta, "format_version", path, 0, 1 << 30, &version));
    if (version != NN_MODEL_FORMAT_VERSION)
        return mumloc_fail(MUMLOC_ERR_FORMAT,
                           "model '%s' has format version %d; this library (%s) reads version %d",
                           path, version, mumloc_version(), NN_MODEL_FORMAT_VERSION);
    const char *arch = meta_string(meta, "architecture");
    if (arch && strcmp(arch, "regression") == 0) nn_model_config_default(cfg, NN_ARCH_REGRESSION);
    else if (arch && strcmp(arch, "voxel") == 0) nn_model_config_default(cfg, NN_ARCH_VOXEL);
    else
        return mumloc_fail(MUMLOC_ERR_FORMAT,
                           "model '%s': unknown architecture '%s' (expected regression or voxel)",
                           path, arch ? arch : "(missing)");
    MUMLOC_TRY(meta_int(meta, "planes", path, 1, MUMLOC_MAX_PLANES, &cfg->planes));
    MUMLOC_TRY(meta_int(meta, "depth_slices", path, 1, 1024, &cfg->depth_slices));
    MUMLOC_TRY(meta_float(meta, "negative_ratio", path, &cfg->negative_ratio));
    MUMLOC_TRY(meta_float(meta, "bn_eps", path, &cfg->bn_eps));
    MUMLOC_TRY(meta_float(meta, "bn_momentum", path, &cfg->bn_momentum));
    return MUMLOC_OK;
}

/* Checks one header entry against the tensor the architecture expects and uploads its data. */
static mumloc_status load_entry(nn_backend *be, const mumloc_json *v, const entry *e,
                                const unsigned char *data, uint64_t data_size, const char *path,
                                uint64_t *end_out) {
    const mumloc_json *dtype = mumloc_json_get(v, "dtype"), *shape = mumloc_json_get(v, "shape");
    const mumloc_json *offs = mumloc_json_get(v, "data_offsets");
    if (v->type != MUMLOC_JSON_OBJECT || !dtype || dtype->type != MUMLOC_JSON_STRING ||
        strcmp(dtype->string, "F32") != 0)
        return mumloc_fail(MUMLOC_ERR_FORMAT, "model '%s': tensor '%s' must have dtype F32", path,
                           e->name);
    int want[4] = {e->shape.n, e->shape.c, e->shape.h, e->shape.w};
    if (e->rank == 1) want[0] = e->shape.c;
    int ok = shape && shape->type == MUMLOC_JSON_ARRAY && (int)shape->count == e->rank;
    for (int i = 0; ok && i < e->rank; i++)
        ok = shape->items[i].type == MUMLOC_JSON_NUMBER && shape->items[i].number == want[i];
    if (!ok) {
        if (e->rank == 1)
            return mumloc_fail(MUMLOC_ERR_FORMAT, "model '%s': tensor '%s' must have shape [%d]",
                               path, e->name, want[0]);
        return mumloc_fail(MUMLOC_ERR_FORMAT, "model '%s': tensor '%s' must have shape [%d,%d,%d,%d]",
                           path, e->name, want[0], want[1], want[2], want[3]);
    }
    const uint64_t bytes = (uint64_t)nn_shape_count(e->shape) * sizeof(float);
    if (!offs || offs->type != MUMLOC_JSON_ARRAY || offs->count != 2 ||
        offs->items[0].type != MUMLOC_JSON_NUMBER || offs->items[1].type != MUMLOC_JSON_NUMBER ||
        !(offs->items[0].number >= 0) || !(offs->items[1].number <= 9.0e15) ||
        offs->items[1].number - offs->items[0].number != (double)bytes)
        return mumloc_fail(MUMLOC_ERR_FORMAT,
                           "model '%s': tensor '%s' needs data_offsets [begin, begin + %" PRIu64 "]",
                           path, e->name, bytes);
    uint64_t begin = (uint64_t)offs->items[0].number, end = begin + bytes;
    if (end > data_size)
        return mumloc_fail(MUMLOC_ERR_FORMAT,
                           "model '%s' is truncated: tensor '%s' ends at byte %" PRIu64
                           " of a %" PRIu64 "-byte data section", path, e->name, end, data_size);
    float *host = malloc(bytes ? (size_t)bytes : 1);
    if (!host) return mumloc_fail(MUMLOC_ERR_OUT_OF_MEMORY, "no memory to load '%s'", path);
    memcpy(host, data + begin, (size_t)bytes); /* data may be unaligned */
    mumloc_status st = be->upload(be, e->tensor, host);
    free(host);
    *end_out = end;
    return st;
}

static int compare_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static mumloc_status load_parsed(nn_backend *be, const mumloc_json *header, const unsigned char *data,
                                 uint64_t data_size, const char *path, nn_model **out) {
    if (header->type != MUMLOC_JSON_OBJECT)
        return mumloc_fail(MUMLOC_ERR_FORMAT, "'%s': the safetensors header is not a JSON object", path);
    const mumloc_json *meta = mumloc_json_get(header, "__metadata__");
    if (!meta || meta->type != MUMLOC_JSON_OBJECT)
        return mumloc_fail(MUMLOC_ERR_FORMAT,
                           "'%s' is a safetensors file without metadata: not a mumloc model", path);
    for (size_t i = 0; i < meta->count; i++)
        if (meta->items[i].type != MUMLOC_JSON_STRING)
            return mumloc_fail(MUMLOC_ERR_FORMAT, "'%s': metadata '%s' is not a string", path,
                               meta->keys[i]);
    nn_model_config cfg;
    MUMLOC_TRY(config_from_meta(meta, path, &cfg));
    int with_optimizer = mumloc_json_get(meta, "adam_steps") != NULL;
    nn_model *m = NULL;
    MUMLOC_TRY(nn_model_create(be, &cfg, &m));
    mumloc_status st = MUMLOC_OK;
    if (with_optimizer) {
        st = nn_model_ensure_training_state(m);
        const char *s = meta_string(meta, "adam_steps");
        char *end = NULL;
        long long steps = s ? strtoll(s, &end, 10) : -1;
        if (st == MUMLOC_OK && (!s || !*s || *end || steps < 0))
            st = mumloc_fail(MUMLOC_ERR_FORMAT, "model '%s': adam_steps must be an integer ≥ 0", path);
        m->adam_steps = steps;
    }
    entry e[MAX_ENTRIES];
    const int n = list_entries(m, with_optimizer, e);
    uint64_t ranges[2 * MAX_ENTRIES];
    for (int i = 0; st == MUMLOC_OK && i < n; i++) {
        const mumloc_json *v = mumloc_json_get(header, e[i].name);
        if (!v) {
            st = mumloc_fail(MUMLOC_ERR_FORMAT, "model '%s' lacks tensor '%s' (%s architecture)",
                             path, e[i].name, cfg.arch == NN_ARCH_VOXEL ? "voxel" : "regression");
            break;
        }
        uint64_t end = 0;
        st = load_entry(be, v, &e[i], data, data_size, path, &end);
        ranges[2 * i] = end - (uint64_t)nn_shape_count(e[i].shape) * sizeof(float);
        ranges[2 * i + 1] = end;
    }
    /* every header key is __metadata__ or an expected tensor */
    for (size_t k = 0; st == MUMLOC_OK && k < header->count; k++) {
        if (strcmp(header->keys[k], "__metadata__") == 0) continue;
        int known = 0;
        for (int i = 0; i < n && !known; i++) known = strcmp(header->keys[k], e[i].name) == 0;
        if (!known)
            st = mumloc_fail(MUMLOC_ERR_FORMAT, "model '%s' has an unexpected tensor '%s'", path,
                             header->keys[k]);
    }
    /* the tensors tile the data section exactly: no overlaps, no gaps, nothing after */
    if (st == MUMLOC_OK) {
        uint64_t sorted[MAX_ENTRIES][2];
        for (int i = 0; i < n; i++) {
            sorted[i][0] = ranges[2 * i];
            sorted[i][1] = ranges[2 * i + 1];
        }
        qsort(sorted, (size_t)n, sizeof sorted[0], compare_u64);
        uint64_t at = 0;
        for (int i = 0; i < n && st == MUMLOC_OK; i++) {
            if (sorted[i][0] != at)
                st = mumloc_fail(MUMLOC_ERR_FORMAT,
                                 "model '%s': tensor data overlap or leave a gap at byte %" PRIu64,
                                 path, at);
            at = sorted[i][1];
        }
        if (st == MUMLOC_OK && at != data_size)
            st = mumloc_fail(MUMLOC_ERR_FORMAT,
                             "model '%s' has %" PRIu64 " bytes after its last tensor", path,
                             data_size - at);
    }
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

mumloc_status nn_model_load(nn_backend *be, const char *path, nn_model **out) {
    *out = NULL;
    if (!host_is_little_endian())
        return mumloc_fail(MUMLOC_ERR_UNSUPPORTED, "model files need a little-endian machine");
    unsigned char *data = NULL;
    size_t size = 0;
    MUMLOC_TRY(read_file(path, &data, &size));
    mumloc_status st = MUMLOC_OK;
    uint64_t header_len = 0;
    if (size < 8)
        st = mumloc_fail(MUMLOC_ERR_FORMAT, "'%s' is truncated: %zu bytes, not a safetensors file",
                         path, size);
    if (st == MUMLOC_OK) {
        for (int i = 0; i < 8; i++) header_len |= (uint64_t)data[i] << (8 * i);
        if (header_len == 0 || header_len > MAX_HEADER_BYTES || header_len > size - 8)
            st = mumloc_fail(MUMLOC_ERR_FORMAT,
                             "'%s' is not a safetensors file or is truncated (header length %" PRIu64
                             ", file %zu bytes)", path, header_len, size);
        else if (data[8] != '{')
            st = mumloc_fail(MUMLOC_ERR_FORMAT, "'%s' is not a safetensors file (header is not JSON)",
                             path);
    }
    mumloc_json *header = NULL;
    if (st == MUMLOC_OK)
        st = mumloc_json_parse((const char *)data + 8, (size_t)header_len, path, &header);
    if (st == MUMLOC_OK)
        st = load_parsed(be, header, data + 8 + header_len, size - 8 - header_len, path, out);
    mumloc_json_free(header);
    free(data);
    return st;
}
