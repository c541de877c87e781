/* The two published networks end to end: parameter counts (science.md §4, and a closed form for other
 * plane/slice counts), output shapes for several input sizes, folded inference equal to unfolded eval,
 * whole-network gradients against finite differences, and Adam steps that reduce the real losses. */
#include <stdlib.h>
#include <string.h>

#include "backend/backend.h"
#include "check.h"
#include "nn/layer.h"
#include "nn/network.h"
#include "nn/reference.h"

static nn_backend *be;

static nn_model *create(nn_arch arch, int planes, int slices) {
    nn_model_config cfg;
    nn_model_config_default(&cfg, arch);
    cfg.planes = planes;
    cfg.depth_slices = slices;
    nn_model *m = NULL;
    CHECK_OK(nn_model_create(be, &cfg, &m));
    return m;
}

/* Σ over layers of in·out·k² + out, plus 2·out per batch norm. */
static long closed_form_count(nn_arch arch, int k, int d) {
    if (arch == NN_ARCH_REGRESSION) {
        int w[8] = {k, 16, 32, 64, 128, 64, 32, 16}, ks[7] = {5, 5, 3, 3, 3, 3, 3};
        long total = 0;
        for (int i = 0; i < 7; i++) total += (long)w[i] * w[i + 1] * ks[i] * ks[i] + 3L * w[i + 1];
        return total + 16L * 4 * k * 9 + 4 * k;
    }
    return (long)k * 64 * 25 + 3 * 64 + 64L * 128 * 9 + 3 * 128 + 128L * 64 * 9 + 3 * 64 +
           64L * 128 * 9 + 3 * 128 + 128L * d * 9 + d;
}

static void counts(void) {
    nn_model *r = create(NN_ARCH_REGRESSION, 4, 32), *v = create(NN_ARCH_VOXEL, 4, 32);
    CHECK(nn_model_parameter_count(r) == 206704);
    CHECK(nn_model_parameter_count(v) == 265632);
    /* science.md: 205,632 MACs per input pixel (regression), about 1.0 G per 16×16 frame (voxel) */
    CHECK_NEAR(nn_model_macs(r, 1, 1), 205632, 0.5);
    CHECK_NEAR(nn_model_macs(v, 16, 16) / 1e9, 1.0, 0.05);
    nn_model_destroy(r);
    nn_model_destroy(v);
    r = create(NN_ARCH_REGRESSION, 3, 32);
    v = create(NN_ARCH_VOXEL, 2, 20);
    CHECK(nn_model_parameter_count(r) == closed_form_count(NN_ARCH_REGRESSION, 3, 0));
    CHECK(nn_model_parameter_count(v) == closed_form_count(NN_ARCH_VOXEL, 2, 20));
    nn_model_destroy(r);
    nn_model_destroy(v);
    nn_model_config cfg;
    nn_model_config_default(&cfg, NN_ARCH_VOXEL);
    cfg.planes = 0;
    nn_model *bad = NULL;
    CHECK_STATUS(nn_model_create(be, &cfg, &bad), MUMLOC_ERR_INVALID_ARGUMENT);
}

static void upload_random(nn_tensor *t, unsigned long long seed, double lo, double hi) {
    long count = (long)nn_shape_count(be->tensor_shape(t));
    double *d = malloc(count * sizeof *d);
    float *f = malloc(count * sizeof *f);
    nn_ref_random(d, count, seed, lo, hi);
    for (long i = 0; i < count; i++) f[i] = (float)d[i];
    CHECK_OK(be->upload(be, t, f));
    free(d);
    free(f);
}

static void shapes(void) {
    nn_model *r = create(NN_ARCH_REGRESSION, 4, 32), *v = create(NN_ARCH_VOXEL, 4, 32);
    const int sizes[3][2] = {{16, 16}, {24, 40}, {64, 64}};
    for (int i = 0; i < 3; i++) {
        int h = sizes[i][0], w = sizes[i][1];
        nn_tensor *x = NULL;
        const nn_tensor *y = NULL;
        CHECK_OK(nn_model_input(r, 2, h, w, &x));
        upload_random(x, 60 + i, 0, 5);
        CHECK_OK(nn_model_forward(r, x, NN_MODE_INFER, &y));
        nn_shape s = be->tensor_shape(y);
        CHECK(s.n == 2 && s.c == 16 && s.h == h && s.w == w);
        nn_shape e = nn_model_output_shape(r, (nn_shape){2, 4, h, w});
        CHECK(e.n == 2 && e.c == 16 && e.h == h && e.w == w);
        if (i < 2) { /* voxel at 64×64 is 16 G multiply-adds: a benchmark, not a test */
            CHECK_OK(nn_model_input(v, 1, h, w, &x));
            upload_random(x, 70 + i, 0, 5);
            CHECK_OK(nn_model_forward(v, x, NN_MODE_INFER, &y));
            s = be->tensor_shape(y);
            CHECK(s.n == 1 && s.c == 32 && s.h == 8 * h && s.w == 8 * w);
        }
        nn_shape ve = nn_model_output_shape(v, (nn_shape){1, 4, h, w});
        CHECK(ve.c == 32 && ve.h == 8 * h && ve.w == 8 * w);
    }
    /* the probabilities are probabilities */
    nn_tensor *x = NULL;
    const nn_tensor *y = NULL;
    CHECK_OK(nn_model_input(r, 1, 8, 8, &x));
    upload_random(x, 80, 0, 5);
    CHECK_OK(nn_model_forward(r, x, NN_MODE_INFER, &y));
    float out[16 * 64];
    CHECK_OK(be->download(be, y, out));
    int in_range = 1;
    for (int i = 0; i < 16 * 64; i++) in_range &= out[i] > 0.0f && out[i] < 1.0f;
    CHECK(in_range);
    /* wrong plane count is an error, not a crash */
    nn_tensor *wrong = NULL;
    CHECK_OK(be->tensor_create(be, (nn_shape){1, 3, 8, 8}, &wrong));
    CHECK_STATUS(nn_model_forward(r, wrong, NN_MODE_INFER, &y), MUMLOC_ERR_INVALID_ARGUMENT);
    be->tensor_destroy(be, wrong);
    nn_model_destroy(r);
    nn_model_destroy(v);
}

/* Randomises BN parameters and moves the running statistics (training forwards), then compares the
 * folded fast path with the unfolded eval path. */
static void folding(nn_arch arch) {
    nn_model *m = create(arch, 4, 32);
    for (int i = 0; i < m->layer_count; i++)
        if (m->layers[i].batch_norm) {
            upload_random(m->layers[i].gamma->value, 90 + i, 0.5, 1.5);
            upload_random(m->layers[i].beta->value, 100 + i, -0.5, 0.5);
        }
    nn_model_touch(m);
    nn_tensor *x = NULL;
    const nn_tensor *y = NULL;
    int h = arch == NN_ARCH_VOXEL ? 6 : 12, w = arch == NN_ARCH_VOXEL ? 5 : 10;
    CHECK_OK(nn_model_input(m, 3, h, w, &x));
    for (int step = 0; step < 3; step++) {
        upload_random(x, 110 + step, 0, 4);
        CHECK_OK(nn_model_forward(m, x, NN_MODE_TRAIN, &y));
    }
    upload_random(x, 120, 0, 4);
    CHECK_OK(nn_model_forward(m, x, NN_MODE_EVAL, &y));
    long count = (long)nn_shape_count(be->tensor_shape(y));
    float *a = malloc(count * sizeof *a), *b = malloc(count * sizeof *b);
    CHECK_OK(be->download(be, y, a));
    CHECK_OK(nn_model_forward(m, x, NN_MODE_INFER, &y));
    CHECK_OK(be->download(be, y, b));
    double worst = 0;
    for (long i = 0; i < count; i++) worst = fmax(worst, fabs(a[i] - b[i]));
    if (worst > 1e-4) fprintf(stderr, "folding arch %d: max diff %g\n", (int)arch, worst);
    CHECK(worst <= 1e-4);
    free(a);
    free(b);
    nn_model_destroy(m);
}

/* The whole network in double precision from the naive reference layers (nn/reference.h), in
 * training mode (batch statistics), with the model's parameters copied out as NCHW doubles. */
typedef struct ref_net {
    const nn_model *m;
    double *param[NN_MAX_PARAMS];
    int n, h, w;
} ref_net;

static double *ref_forward(const ref_net *net, const double *x) {
    const nn_model *m = net->m;
    nn_shape s = {net->n, m->cfg.planes, net->h, net->w};
    double *cur = malloc(nn_shape_count(s) * sizeof *cur);
    memcpy(cur, x, nn_shape_count(s) * sizeof *cur);
    int pi = 0;
    for (int i = 0; i < m->layer_count; i++) {
        const nn_layer *l = &m->layers[i];
        nn_shape o = nn_layer_output_shape(l, s);
        long oc = (long)nn_shape_count(o);
        double *next = malloc(oc * sizeof *next);
        const double *w = net->param[pi++], *b = net->param[pi++];
        if (l->transposed) nn_ref_tconv(cur, s.n, s.c, s.h, s.w, w, b, l->out_c, next);
        else nn_ref_conv(cur, s.n, s.c, s.h, s.w, w, b, l->out_c, l->kernel, next);
        if (l->batch_norm) {
            const double *g = net->param[pi++], *be_ = net->param[pi++];
            nn_ref_bn(next, o.n, o.c, o.h, o.w, g, be_, l->bn_eps, next, NULL, NULL);
        }
        for (long j = 0; j < oc; j++)
            next[j] = l->act == NN_ACT_RELU ? (next[j] > 0 ? next[j] : 0) : 1.0 / (1.0 + exp(-next[j]));
        free(cur);
        cur = next;
        s = o;
    }
    return cur;
}

static double ref_probe(const ref_net *net, const double *x, const double *r, long count) {
    double *y = ref_forward(net, x), s = 0;
    for (long i = 0; i < count; i++) s += r[i] * y[i];
    free(y);
    return s;
}

static void gradients(nn_arch arch) {
    nn_model *m = create(arch, 2, 6);
    const int n = 2, h = arch == NN_ARCH_VOXEL ? 2 : 4, w = arch == NN_ARCH_VOXEL ? 2 : 3;
    nn_tensor *x = NULL;
    const nn_tensor *y = NULL;
    CHECK_OK(nn_model_input(m, n, h, w, &x));
    long xc = (long)n * 2 * h * w;
    double *xd = malloc(xc * sizeof *xd);
    float *xf = malloc(xc * sizeof *xf);
    nn_ref_random(xd, xc, 130, 0, 3);
    for (long i = 0; i < xc; i++) xd[i] = xf[i] = (float)xd[i];
    CHECK_OK(be->upload(be, x, xf));
    /* non-trivial BN parameters */
    for (int i = 0; i < m->layer_count; i++)
        if (m->layers[i].batch_norm) {
            upload_random(m->layers[i].gamma->value, 132 + i, 0.5, 1.5);
            upload_random(m->layers[i].beta->value, 142 + i, -0.3, 0.3);
        }
    ref_net net = {m, {0}, n, h, w};
    for (int p = 0; p < m->param_count; p++) {
        long pc = (long)nn_shape_count(m->params[p].shape);
        float *f = malloc(pc * sizeof *f);
        net.param[p] = malloc(pc * sizeof(double));
        CHECK_OK(be->download(be, m->params[p].value, f));
        for (long j = 0; j < pc; j++) net.param[p][j] = f[j];
        free(f);
    }
    CHECK_OK(nn_model_forward(m, x, NN_MODE_TRAIN, &y));
    nn_shape os = be->tensor_shape(y);
    long count = (long)nn_shape_count(os);
    double *rd = malloc(count * sizeof *rd), *yref = ref_forward(&net, xd);
    float *r = malloc(count * sizeof *r), *yf = malloc(count * sizeof *yf);
    CHECK_OK(be->download(be, y, yf));
    double worst = 0;
    for (long i = 0; i < count; i++) worst = fmax(worst, fabs(yf[i] - yref[i]));
    if (worst > 1e-4) fprintf(stderr, "arch %d: forward vs double reference %g\n", (int)arch, worst);
    CHECK(worst <= 1e-4);
    nn_ref_random(rd, count, 131, -1, 1);
    for (long i = 0; i < count; i++) rd[i] = r[i] = (float)rd[i];
    nn_tensor *dout = NULL;
    CHECK_OK(be->tensor_create(be, os, &dout));
    CHECK_OK(be->upload(be, dout, r));
    CHECK_OK(nn_model_backward(m, x, dout));
    int checked = 0, bad = 0;
    for (int p = 0; p < m->param_count; p++) {
        nn_param *prm = &m->params[p];
        long pc = (long)nn_shape_count(prm->shape);
        float *grad = malloc(pc * sizeof *grad);
        CHECK_OK(be->download(be, prm->grad, grad));
        for (int j = 0; j < 2; j++) {
            long idx = (long)((j * 7919L + p * 104729L) % pc);
            double keep = net.param[p][idx], hh = 1e-5;
            net.param[p][idx] = keep + hh;
            double up = ref_probe(&net, xd, rd, count);
            net.param[p][idx] = keep - hh;
            double down = ref_probe(&net, xd, rd, count);
            net.param[p][idx] = keep;
            double fd = (up - down) / (2 * hh);
            checked++;
            if (fabs(grad[idx] - fd) > 2e-3 * fabs(fd) + 1e-4) {
                bad++;
                fprintf(stderr, "arch %d %s[%ld]: backward %g, finite difference %g\n", (int)arch,
                        prm->name, idx, grad[idx], fd);
            }
        }
        free(grad);
    }
    CHECK(checked == 2 * m->param_count);
    CHECK(bad == 0);
    for (int p = 0; p < m->param_count; p++) free(net.param[p]);
    be->tensor_destroy(be, dout);
    free(xd);
    free(xf);
    free(rd);
    free(r);
    free(yf);
    free(yref);
    nn_model_destroy(m);
}

/* A few Adam steps on one fixed batch reduce each architecture's real loss. */
static void learning(nn_arch arch) {
    nn_model *m = create(arch, 4, 32);
    int h = arch == NN_ARCH_VOXEL ? 4 : 8, w = h, n = 2;
    nn_tensor *x = NULL, *target = NULL;
    const nn_tensor *y = NULL;
    CHECK_OK(nn_model_input(m, n, h, w, &x));
    upload_random(x, 140, 0, 3);
    nn_shape os = nn_model_output_shape(m, (nn_shape){n, 4, h, w});
    long count = (long)nn_shape_count(os);
    double *t = malloc(count * sizeof *t);
    float *tf = malloc(count * sizeof *tf);
    nn_ref_random(t, count, 141, 0, 1);
    for (long i = 0; i < count; i++) {
        int c = (int)((i / ((long)os.h * os.w)) % os.c);
        /* sparse positives; regression offsets uniform in [0, 1] */
        tf[i] = (arch == NN_ARCH_VOXEL || c < 4) ? (t[i] > 0.9 ? 1.0f : 0.0f) : (float)t[i];
    }
    CHECK_OK(be->tensor_create(be, os, &target));
    CHECK_OK(be->upload(be, target, tf));
    nn_adam_hyper hp = {1e-3f, 0.9f, 0.999f, 1e-8f};
    double first = 0, last = 0;
    for (int step = 0; step < 30; step++) {
        CHECK_OK(nn_model_forward(m, x, NN_MODE_TRAIN, &y));
        CHECK_OK(nn_model_loss(m, target, &last));
        if (step == 0) first = last;
        CHECK_OK(nn_model_backward(m, x, NULL));
        CHECK_OK(nn_model_adam_step(m, &hp));
    }
    if (!(last < 0.7 * first)) fprintf(stderr, "arch %d: loss %g → %g\n", (int)arch, first, last);
    /* backward right after an inference forward would mix activations: refused */
    CHECK_OK(nn_model_forward(m, x, NN_MODE_INFER, &y));
    CHECK_STATUS(nn_model_backward(m, x, NULL), MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK(last < 0.7 * first);
    free(t);
    free(tf);
    be->tensor_destroy(be, target);
    nn_model_destroy(m);
}

int main(void) {
    CHECK_OK(nn_backend_cpu_create(&be));
    if (!be) return 1;
    counts();
    shapes();
    folding(NN_ARCH_REGRESSION);
    folding(NN_ARCH_VOXEL);
    /* One thread from here on: oneDNN's batch-norm barriers cost a scheduler slice each on a shared
     * 2-core machine, which made the many tiny training steps below 10× slower with 2 threads. */
    CHECK_OK(mumloc_set_threads(1));
    gradients(NN_ARCH_REGRESSION);
    gradients(NN_ARCH_VOXEL);
    learning(NN_ARCH_REGRESSION);
    learning(NN_ARCH_VOXEL);
    nn_backend_destroy(be);
    return CHECK_DONE("test_nn_model");
}
