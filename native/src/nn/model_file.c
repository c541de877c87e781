/* Saving safetensors model files (see model_file.h; loading is model_file_load.c). */
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
#include "nn/model_file_layout.h"

int nn_model_file_entries(const nn_model *m, int with_optimizer, nn_file_entry *e) {
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

static void put_meta(text_buffer *t, int *first, const char *key, const char *value) {
    if (!*first) text_puts(t, ",");
    *first = 0;
    json_write_string(t, key);
    text_puts(t, ":");
    json_write_string(t, value);
}

/* The shortest plain decimal that reads back to the same float (1e-5f → "0.00001"). */
static void put_float(text_buffer *t, int *first, const char *key, float v) {
    char buf[64] = "";
    for (int digits = 1; digits <= 9; digits++) {
        double r = v;
        if (v != 0.0f) {
            double scale = pow(10.0, digits - 1 - floor(log10(fabs((double)v))));
            r = round((double)v * scale) / scale;
        }
        if (mumloc_format_number(r, buf, sizeof buf) != MUMLOC_OK) buf[0] = 0;
        if ((float)strtod_c(buf, NULL) == v) break;
    }
    put_meta(t, first, key, buf);
}

int nn_host_is_little_endian(void) {
    const uint32_t one = 1;
    return *(const unsigned char *)&one == 1;
}

mumloc_status nn_model_save(nn_model *m, const char *path, int with_optimizer) {
    if (!nn_host_is_little_endian())
        return error_fail(MUMLOC_ERR_UNSUPPORTED, "model files need a little-endian machine");
    if (with_optimizer) ERROR_TRY(nn_model_ensure_training_state(m));
    nn_file_entry e[NN_FILE_MAX_ENTRIES];
    const int n = nn_model_file_entries(m, with_optimizer, e);
    text_buffer t = {0};
    int first = 1;
    char buf[64];
    text_puts(&t, "{\"__metadata__\":{");
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
    text_puts(&t, "}");
    uint64_t offset = 0;
    for (int i = 0; i < n; i++) {
        uint64_t bytes = (uint64_t)nn_shape_count(e[i].shape) * sizeof(float);
        text_puts(&t, ",");
        json_write_string(&t, e[i].name);
        if (e[i].rank == 1)
            text_printf(&t, ":{\"dtype\":\"F32\",\"shape\":[%d]", e[i].shape.c);
        else
            text_printf(&t, ":{\"dtype\":\"F32\",\"shape\":[%d,%d,%d,%d]", e[i].shape.n,
                               e[i].shape.c, e[i].shape.h, e[i].shape.w);
        text_printf(&t, ",\"data_offsets\":[%" PRIu64 ",%" PRIu64 "]}", offset, offset + bytes);
        offset += bytes;
    }
    text_puts(&t, "}");
    while (t.len % 8) text_puts(&t, " ");
    mumloc_status st = text_status(&t);
    if (st != MUMLOC_OK) {
        text_free(&t);
        return st;
    }
    atomic_file af;
    st = atomic_open(&af, path);
    if (st != MUMLOC_OK) {
        text_free(&t);
        return st;
    }
    unsigned char len8[8];
    for (int i = 0; i < 8; i++) len8[i] = (unsigned char)((uint64_t)t.len >> (8 * i));
    int ok = fwrite(len8, 1, 8, af.file) == 8 && fwrite(t.data, 1, t.len, af.file) == t.len;
    text_free(&t);
    for (int i = 0; ok && i < n; i++) {
        size_t count = (size_t)nn_shape_count(e[i].shape);
        float *host = malloc(count * sizeof *host);
        if (!host) {
            atomic_abort(&af);
            return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "no memory to save '%s'", path);
        }
        st = m->be->download(m->be, e[i].tensor, host);
        if (st == MUMLOC_OK) ok = fwrite(host, sizeof *host, count, af.file) == count;
        free(host);
        if (st != MUMLOC_OK) {
            atomic_abort(&af);
            return st;
        }
    }
    if (!ok) {
        int err = errno;
        atomic_abort(&af);
        return error_fail(MUMLOC_ERR_IO, "cannot write '%s': %s", path, strerror(err));
    }
    return atomic_commit(&af);
}
