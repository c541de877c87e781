/* The two published architectures (see network.h): construction, initialisation, passes, Adam. */
#include "nn/network.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "nn/model_file_keys.h"

void nn_model_config_default(nn_model_config *cfg, nn_arch arch) {
    memset(cfg, 0, sizeof *cfg);
    cfg->arch = arch;
    cfg->planes = 4;
    cfg->depth_slices = 32;
    cfg->negative_ratio = 3.0f;
    cfg->bn_eps = 1e-5f;
    cfg->bn_momentum = 0.1f;
    cfg->seed = 1;
}

typedef struct layer_spec {
    int in_c, out_c, kernel, transposed, batch_norm;
    nn_activation act;
} layer_spec;

static int architecture(const nn_model_config *cfg, layer_spec *s) {
    const int k = cfg->planes;
    if (cfg->arch == NN_ARCH_REGRESSION) {
        const int widths[8] = {k, 16, 32, 64, 128, 64, 32, 16};
        for (int i = 0; i < 7; i++)
            s[i] = (layer_spec){widths[i], widths[i + 1], i < 2 ? 5 : 3, 0, 1, NN_ACT_RELU};
        s[7] = (layer_spec){16, 4 * k, 3, 0, 0, NN_ACT_SIGMOID};
        return 8;
    }
    s[0] = (layer_spec){k, 64, 5, 0, 1, NN_ACT_RELU};
    s[1] = (layer_spec){64, 128, 3, 1, 1, NN_ACT_RELU};
    s[2] = (layer_spec){128, 64, 3, 1, 1, NN_ACT_RELU};
    s[3] = (layer_spec){64, 128, 3, 1, 1, NN_ACT_RELU};
    s[4] = (layer_spec){128, cfg->depth_slices, 3, 0, 0, NN_ACT_SIGMOID};
    return 5;
}

/* splitmix64: a small seeded generator for initial weights. */
static double next_uniform(uint64_t *state) {
    uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    z ^= z >> 31;
    return (double)(z >> 11) / 9007199254740992.0;
}

static mumloc_status upload_values(nn_backend *be, nn_tensor *t, nn_shape s, uint64_t *rng,
                                   double bound, double constant) {
    int64_t count = nn_shape_count(s);
    float *host = malloc((size_t)count * sizeof *host);
    if (!host) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "no memory for initial weights");
    for (int64_t i = 0; i < count; i++)
        host[i] = (float)(bound > 0 ? (2.0 * next_uniform(rng) - 1.0) * bound : constant);
    mumloc_status st = be->upload(be, t, host);
    free(host);
    return st;
}

static mumloc_status add_param(nn_model *m, const char *name, nn_shape s, nn_param **out) {
    nn_param *p = &m->params[m->param_count++];
    snprintf(p->name, sizeof p->name, "%s", name);
    p->shape = s;
    *out = p;
    return m->be->tensor_create(m->be, s, &p->value);
}

static mumloc_status build(nn_model *m) {
    nn_backend *be = m->be;
    layer_spec spec[NN_MAX_LAYERS];
    uint64_t rng = m->cfg.seed;
    m->layer_count = architecture(&m->cfg, spec);
    for (int i = 0; i < m->layer_count; i++) {
        nn_layer *l = &m->layers[i];
        const layer_spec *s = &spec[i];
        char name[64];
        l->in_c = s->in_c;
        l->out_c = s->out_c;
        l->kernel = s->kernel;
        l->transposed = s->transposed;
        l->batch_norm = s->batch_norm;
        l->act = s->act;
        l->bn_eps = m->cfg.bn_eps;
        l->bn_momentum = m->cfg.bn_momentum;
        const int last = i == m->layer_count - 1;
        l->output_layer = last;
        nn_shape ws = s->transposed ? (nn_shape){s->in_c, s->out_c, 3, 3}
                                    : (nn_shape){s->out_c, s->in_c, s->kernel, s->kernel};
        nn_shape vs = {1, s->out_c, 1, 1};
        /* PyTorch's default: bound 1/sqrt(fan_in), fan_in from the weight's dimension 1 × k². */
        double bound = 1.0 / sqrt((double)ws.c * s->kernel * s->kernel);
        if (last) snprintf(name, sizeof name, "head.weight");
        else snprintf(name, sizeof name, "block%d.conv.weight", i + 1);
        ERROR_TRY(add_param(m, name, ws, &l->w));
        ERROR_TRY(upload_values(be, l->w->value, ws, &rng, bound, 0));
        if (last) snprintf(name, sizeof name, "head.bias");
        else snprintf(name, sizeof name, "block%d.conv.bias", i + 1);
        ERROR_TRY(add_param(m, name, vs, &l->b));
        ERROR_TRY(upload_values(be, l->b->value, vs, &rng, bound, 0));
        if (s->batch_norm) {
            snprintf(name, sizeof name, "block%d.bn.weight", i + 1);
            ERROR_TRY(add_param(m, name, vs, &l->gamma));
            ERROR_TRY(be->fill(be, l->gamma->value, 1.0f));
            snprintf(name, sizeof name, "block%d.bn.bias", i + 1);
            ERROR_TRY(add_param(m, name, vs, &l->beta));
            ERROR_TRY(be->fill(be, l->beta->value, 0.0f));
            ERROR_TRY(be->tensor_create(be, vs, &l->running_mean));
            ERROR_TRY(be->tensor_create(be, vs, &l->running_var));
            ERROR_TRY(be->fill(be, l->running_mean, 0.0f));
            ERROR_TRY(be->fill(be, l->running_var, 1.0f));
        }
    }
    return MUMLOC_OK;
}

mumloc_status nn_model_config_check(const nn_model_config *cfg) {
    if (cfg->arch != NN_ARCH_REGRESSION && cfg->arch != NN_ARCH_VOXEL)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "unknown architecture %d", (int)cfg->arch);
    if (cfg->planes < 1 || cfg->planes > MUMLOC_MAX_PLANES)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "planes must be 1..%d, got %d",
                           MUMLOC_MAX_PLANES, cfg->planes);
    if (cfg->arch == NN_ARCH_VOXEL && (cfg->depth_slices < 1 || cfg->depth_slices > 1024))
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "depth slices must be 1..1024, got %d",
                           cfg->depth_slices);
    if (!(cfg->negative_ratio >= 0.0f) || !isfinite(cfg->negative_ratio))
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "negative_ratio must be a finite number ≥ 0, got %g", cfg->negative_ratio);
    if (!(cfg->bn_eps > 0.0f && cfg->bn_eps <= 1.0f))
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "bn_eps must be in (0, 1], got %g",
                           cfg->bn_eps);
    if (!(cfg->bn_momentum >= 0.0f && cfg->bn_momentum <= 1.0f))
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "bn_momentum must be in [0, 1], got %g",
                           cfg->bn_momentum);
    return MUMLOC_OK;
}

mumloc_status nn_model_create(nn_backend *be, const nn_model_config *cfg, nn_model **out) {
    *out = NULL;
    ERROR_TRY(nn_model_config_check(cfg));
    nn_model *m = calloc(1, sizeof *m);
    if (!m) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "no memory for a model");
    m->be = be;
    m->cfg = *cfg;
    m->stamp = 1;
    mumloc_status st = build(m);
    if (st != MUMLOC_OK) {
        nn_model_destroy(m);
        return st;
    }
    *out = m;
    return MUMLOC_OK;
}

void nn_model_destroy(nn_model *m) {
    if (!m) return;
    nn_backend *be = m->be;
    for (int i = 0; i < m->layer_count; i++) {
        nn_layer_release(be, &m->layers[i]);
        be->tensor_destroy(be, m->layers[i].running_mean);
        be->tensor_destroy(be, m->layers[i].running_var);
    }
    for (int i = 0; i < m->param_count; i++) {
        nn_param *p = &m->params[i];
        be->tensor_destroy(be, p->value);
        be->tensor_destroy(be, p->grad);
        be->tensor_destroy(be, p->m);
        be->tensor_destroy(be, p->v);
    }
    be->tensor_destroy(be, m->input);
    be->tensor_destroy(be, m->loss_grad);
    for (int i = 0; i < m->meta.count; i++) {
        free(m->meta.keys[i]);
        free(m->meta.values[i]);
    }
    free(m);
}

int64_t nn_model_parameter_count(const nn_model *m) {
    int64_t total = 0;
    for (int i = 0; i < m->param_count; i++) total += nn_shape_count(m->params[i].shape);
    return total;
}

nn_shape nn_model_output_shape(const nn_model *m, nn_shape s) {
    for (int i = 0; i < m->layer_count; i++) s = nn_layer_output_shape(&m->layers[i], s);
    return s;
}

double nn_model_macs(const nn_model *m, int h, int w) {
    double total = 0;
    nn_shape s = {1, m->cfg.planes, h, w};
    for (int i = 0; i < m->layer_count; i++) {
        total += nn_layer_macs(&m->layers[i], s.h, s.w);
        s = nn_layer_output_shape(&m->layers[i], s);
    }
    return total;
}

void nn_model_touch(nn_model *m) { m->stamp++; }

mumloc_status nn_model_set_precision(nn_model *m, nn_precision precision) {
    ERROR_TRY(nn_backend_precision_check(m->be, precision));
    m->precision = precision;
    for (int i = 0; i < m->layer_count; i++) {
        nn_layer *l = &m->layers[i];
        if (l->precision == precision) continue;
        l->precision = precision;
        m->be->conv_plan_destroy(m->be, l->infer_plan); /* rebuilt by the next inference */
        l->infer_plan = NULL;
    }
    return MUMLOC_OK;
}

mumloc_status nn_model_input(nn_model *m, int n, int h, int w, nn_tensor **input) {
    nn_shape want = {n, m->cfg.planes, h, w};
    if (m->input) {
        nn_shape have = m->be->tensor_shape(m->input);
        if (have.n != n || have.h != h || have.w != w) {
            m->be->tensor_destroy(m->be, m->input);
            m->input = NULL;
        }
    }
    if (!m->input) ERROR_TRY(m->be->tensor_create(m->be, want, &m->input));
    *input = m->input;
    return MUMLOC_OK;
}

mumloc_status nn_model_forward(nn_model *m, const nn_tensor *input, nn_mode mode,
                               const nn_tensor **output) {
    nn_shape s = m->be->tensor_shape(input);
    if (s.c != m->cfg.planes)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "the model takes %d planes, input has %d",
                           m->cfg.planes, s.c);
    const nn_tensor *x = input;
    m->backward_ready = 0;
    for (int i = 0; i < m->layer_count; i++) {
        ERROR_TRY(nn_layer_forward(m->be, &m->layers[i], x, mode, m->stamp));
        x = m->layers[i].out;
    }
    if (mode == NN_MODE_TRAIN) {
        m->stamp++; /* running statistics moved */
        m->backward_ready = 1;
    }
    *output = x;
    return MUMLOC_OK;
}

mumloc_status nn_model_loss(nn_model *m, const nn_tensor *target, double *loss) {
    nn_backend *be = m->be;
    const nn_tensor *out = m->layers[m->layer_count - 1].out;
    if (!out) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "the loss needs a forward pass first");
    nn_shape s = be->tensor_shape(out);
    if (m->loss_grad) {
        nn_shape g = be->tensor_shape(m->loss_grad);
        if (g.n != s.n || g.c != s.c || g.h != s.h || g.w != s.w) {
            be->tensor_destroy(be, m->loss_grad);
            m->loss_grad = NULL;
        }
    }
    if (!m->loss_grad) ERROR_TRY(be->tensor_create(be, s, &m->loss_grad));
    if (m->cfg.arch == NN_ARCH_VOXEL) return be->loss_bce(be, out, target, m->loss_grad, loss);
    return be->loss_regression(be, m->cfg.planes, m->cfg.negative_ratio, out, target, m->loss_grad,
                               loss);
}

mumloc_status nn_model_set_meta(nn_model *m, const char *key, const char *value) {
    if (!key || !*key || !value)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "metadata needs a non-empty key and a value");
    if (nn_model_file_reserved_key(key))
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "metadata key '%s' is written by the model file itself", key);
    char *v = strdup(value);
    if (!v) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "no memory for metadata");
    for (int i = 0; i < m->meta.count; i++)
        if (strcmp(m->meta.keys[i], key) == 0) {
            free(m->meta.values[i]);
            m->meta.values[i] = v;
            return MUMLOC_OK;
        }
    if (m->meta.count == NN_MAX_META) {
        free(v);
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "a model holds at most %d metadata entries",
                           NN_MAX_META);
    }
    char *k = strdup(key);
    if (!k) {
        free(v);
        return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "no memory for metadata");
    }
    m->meta.keys[m->meta.count] = k;
    m->meta.values[m->meta.count++] = v;
    return MUMLOC_OK;
}

void nn_model_remove_meta(nn_model *m, const char *key) {
    for (int i = 0; i < m->meta.count; i++)
        if (strcmp(m->meta.keys[i], key) == 0) {
            free(m->meta.keys[i]);
            free(m->meta.values[i]);
            for (int j = i + 1; j < m->meta.count; j++) { /* keep the others' order */
                m->meta.keys[j - 1] = m->meta.keys[j];
                m->meta.values[j - 1] = m->meta.values[j];
            }
            m->meta.count--;
            return;
        }
}

const char *nn_model_get_meta(const nn_model *m, const char *key) {
    for (int i = 0; i < m->meta.count; i++)
        if (strcmp(m->meta.keys[i], key) == 0) return m->meta.values[i];
    return NULL;
}

mumloc_status nn_model_ensure_training_state(nn_model *m) {
    for (int i = 0; i < m->param_count; i++) {
        nn_param *p = &m->params[i];
        if (p->grad) continue;
        ERROR_TRY(m->be->tensor_create(m->be, p->shape, &p->grad));
        ERROR_TRY(m->be->tensor_create(m->be, p->shape, &p->m));
        ERROR_TRY(m->be->tensor_create(m->be, p->shape, &p->v));
        ERROR_TRY(m->be->fill(m->be, p->m, 0.0f));
        ERROR_TRY(m->be->fill(m->be, p->v, 0.0f));
    }
    return MUMLOC_OK;
}

mumloc_status nn_model_backward(nn_model *m, const nn_tensor *input, const nn_tensor *dout) {
    nn_backend *be = m->be;
    ERROR_TRY(nn_model_ensure_training_state(m));
    nn_layer *last = &m->layers[m->layer_count - 1];
    if (!m->backward_ready || !last->grad)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "backward needs a training forward (NN_MODE_TRAIN) just before it");
    if (!dout) dout = m->loss_grad;
    if (!dout) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "backward needs ∂L/∂output");
    ERROR_TRY(be->copy(be, dout, last->grad));
    for (int i = m->layer_count - 1; i >= 0; i--) {
        const nn_tensor *in = i > 0 ? m->layers[i - 1].out : input;
        nn_tensor *din = i > 0 ? m->layers[i - 1].grad : NULL;
        ERROR_TRY(nn_layer_backward(be, &m->layers[i], in, din));
    }
    return MUMLOC_OK;
}

mumloc_status nn_model_adam_step(nn_model *m, const nn_adam_hyper *hyper) {
    ERROR_TRY(nn_model_ensure_training_state(m));
    m->adam_steps++;
    for (int i = 0; i < m->param_count; i++) {
        nn_param *p = &m->params[i];
        ERROR_TRY(m->be->adam_step(m->be, hyper, m->adam_steps, p->value, p->grad, p->m, p->v));
    }
    m->stamp++;
    return MUMLOC_OK;
}
