/* Batch norm on the CPU backend: training forward vs the naive reference, running averages vs their
 * closed form, backward vs finite differences of the reference, eval mode — each also with the ReLU
 * fused into the plan (relu(BN(x)) against the reference followed by a ReLU) — and folding into the
 * preceding (regular or transposed) convolution. */
#include <stdlib.h>

#include "backend/backend.h"
#include "check.h"
#include "nn/reference.h"

static nn_backend *be;

static nn_tensor *make(nn_shape s, const double *values) {
    nn_tensor *t = NULL;
    CHECK_OK(be->tensor_create(be, s, &t));
    if (values) {
        long count = (long)nn_shape_count(s);
        float *f = malloc(count * sizeof *f);
        for (long i = 0; i < count; i++) f[i] = (float)values[i];
        CHECK_OK(be->upload(be, t, f));
        free(f);
    }
    return t;
}

static double *fetch(const nn_tensor *t) {
    long count = (long)nn_shape_count(be->tensor_shape(t));
    float *f = malloc(count * sizeof *f);
    double *d = malloc(count * sizeof *d);
    CHECK_OK(be->download(be, t, f));
    for (long i = 0; i < count; i++) d[i] = f[i];
    free(f);
    return d;
}

enum { N = 3, C = 5, H = 4, W = 6 };
#define COUNT (N * C * H * W)
static const double EPS = 1e-5;

static int fused_relu; /* the plan under test fuses a ReLU: the reference applies one too */

static void relu_if_fused(double *y, int count) {
    for (int i = 0; fused_relu && i < count; i++) y[i] = y[i] > 0 ? y[i] : 0;
}

static double loss_of(const double *x, const double *g, const double *b, const double *r) {
    static double y[COUNT];
    nn_ref_bn(x, N, C, H, W, g, b, EPS, y, NULL, NULL);
    relu_if_fused(y, COUNT);
    double s = 0.0;
    for (int i = 0; i < COUNT; i++) s += r[i] * y[i];
    return s;
}

static void fd(double *x, double *g, double *b, const double *r, double *v, int count, double *out) {
    const double h = 1e-4;
    for (int i = 0; i < count; i++) {
        double keep = v[i];
        v[i] = keep + h;
        double up = loss_of(x, g, b, r);
        v[i] = keep - h;
        double down = loss_of(x, g, b, r);
        v[i] = keep;
        out[i] = (up - down) / (2 * h);
    }
}

static void training_and_backward(nn_activation act) {
    fused_relu = act == NN_ACT_RELU;
    static double x[COUNT], r[COUNT], y[COUNT], fdx[COUNT];
    double gamma[C], beta[C], mean[C], var[C], fdg[C], fdb[C];
    nn_ref_random(x, COUNT, 11, -2, 3);
    for (int i = 0; i < COUNT; i++) x[i] += (i / (H * W)) % C; /* channel-dependent means */
    nn_ref_random(r, COUNT, 12, -1, 1);
    nn_ref_random(gamma, C, 13, 0.5, 1.5);
    nn_ref_random(beta, C, 14, -1, 1);
    nn_ref_bn(x, N, C, H, W, gamma, beta, EPS, y, mean, var);
    relu_if_fused(y, COUNT);

    nn_shape ds = {N, C, H, W}, vs = {1, C, 1, 1};
    double zeros[C] = {0}, ones[C] = {1, 1, 1, 1, 1};
    nn_tensor *tx = make(ds, x), *ty = make(ds, NULL), *tg = make(vs, gamma), *tb = make(vs, beta);
    nn_tensor *tm = make(vs, NULL), *tv = make(vs, NULL), *rm = make(vs, zeros), *rv = make(vs, ones);
    nn_bn_desc d = {N, C, H, W, (float)EPS, 0.1f, act};
    nn_bn_plan *plan = NULL;
    CHECK_OK(be->bn_plan_create(be, &d, &plan));
    CHECK_OK(be->bn_forward_training(be, plan, tx, tg, tb, ty, tm, tv, rm, rv));
    double *got = fetch(ty), *gm = fetch(tm), *gv = fetch(tv), *grm = fetch(rm), *grv = fetch(rv);
    CHECK(nn_ref_max_rel_diff(got, y, COUNT) < 1e-5);
    CHECK(nn_ref_max_rel_diff(gm, mean, C) < 1e-5);
    CHECK(nn_ref_max_rel_diff(gv, var, C) < 1e-5);
    const double count = N * H * W;
    for (int c = 0; c < C; c++) {
        CHECK_NEAR(grm[c], 0.1 * mean[c], 1e-5 * (1 + fabs(mean[c])));
        CHECK_NEAR(grv[c], 0.9 + 0.1 * var[c] * count / (count - 1), 1e-5 * (1 + var[c]));
    }

    /* Backward against finite differences of the reference. */
    nn_tensor *tr = make(ds, r), *tdx = make(ds, NULL), *tdg = make(vs, NULL), *tdb = make(vs, NULL);
    CHECK_OK(be->bn_backward(be, plan, tx, tm, tv, tg, tr, tdx, tdg, tdb));
    double *gdx = fetch(tdx), *gdg = fetch(tdg), *gdb = fetch(tdb);
    fd(x, gamma, beta, r, x, COUNT, fdx);
    fd(x, gamma, beta, r, gamma, C, fdg);
    fd(x, gamma, beta, r, beta, C, fdb);
    double ex = nn_ref_max_rel_diff(gdx, fdx, COUNT), eg = nn_ref_max_rel_diff(gdg, fdg, C),
           eb = nn_ref_max_rel_diff(gdb, fdb, C);
    if (ex > 1e-3 || eg > 1e-4 || eb > 1e-4) fprintf(stderr, "bn grads: %g %g %g\n", ex, eg, eb);
    CHECK(ex <= 1e-3);
    CHECK(eg <= 1e-4);
    CHECK(eb <= 1e-4);

    /* Eval mode uses the running statistics: closed form. */
    CHECK_OK(be->bn_forward_inference(be, plan, tx, tg, tb, rm, rv, ty));
    double *ev = fetch(ty);
    for (int i = 0; i < COUNT; i++) {
        int c = (i / (H * W)) % C;
        y[i] = gamma[c] * (x[i] - grm[c]) / sqrt(grv[c] + EPS) + beta[c];
    }
    relu_if_fused(y, COUNT);
    CHECK(nn_ref_max_rel_diff(ev, y, COUNT) < 1e-5);
    free(ev);
    free(got);
    free(gm);
    free(gv);
    free(grm);
    free(grv);
    free(gdx);
    free(gdg);
    free(gdb);
    nn_tensor *all[] = {tx, ty, tg, tb, tm, tv, rm, rv, tr, tdx, tdg, tdb};
    for (int i = 0; i < 12; i++) be->tensor_destroy(be, all[i]);
    be->bn_plan_destroy(be, plan);
}

/* conv → eval BN equals the folded conv, for a regular and a transposed convolution. */
static void folding(int transposed) {
    const int n = 2, ci = 3, co = 16, h = 5, w = 4, k = 3;
    int oh = transposed ? 2 * h : h, ow = transposed ? 2 * w : w;
    nn_shape xs = {n, ci, h, w}, ys = {n, co, oh, ow}, vs = {1, co, 1, 1};
    nn_shape ws = transposed ? (nn_shape){ci, co, 3, 3} : (nn_shape){co, ci, k, k};
    long xc = (long)nn_shape_count(xs), yc = (long)nn_shape_count(ys), wc = (long)nn_shape_count(ws);
    double *x = malloc(xc * sizeof *x), *wt = malloc(wc * sizeof *wt);
    double b[16], g[16], be_[16], rm[16], rv[16];
    nn_ref_random(x, xc, 21, -1, 1);
    nn_ref_random(wt, wc, 22, -0.5, 0.5);
    nn_ref_random(b, co, 23, -1, 1);
    nn_ref_random(g, co, 24, 0.5, 2);
    nn_ref_random(be_, co, 25, -1, 1);
    nn_ref_random(rm, co, 26, -1, 1);
    nn_ref_random(rv, co, 27, 0.2, 3);
    nn_tensor *tx = make(xs, x), *tw = make(ws, wt), *tb = make(vs, b), *tg = make(vs, g);
    nn_tensor *tbe = make(vs, be_), *trm = make(vs, rm), *trv = make(vs, rv);
    nn_tensor *t1 = make(ys, NULL), *t2 = make(ys, NULL), *fw = make(ws, NULL), *fb = make(vs, NULL);
    nn_conv_desc cd = {n, ci, co, h, w, 3, transposed, NN_ACT_NONE, NN_PRECISION_FP32, 0};
    nn_conv_plan *cp = NULL;
    nn_bn_plan *bp = NULL;
    nn_bn_desc bd = {n, co, oh, ow, 1e-5f, 0.1f, NN_ACT_NONE};
    CHECK_OK(be->conv_plan_create(be, &cd, &cp));
    CHECK_OK(be->bn_plan_create(be, &bd, &bp));
    CHECK_OK(be->conv_forward(be, cp, tx, tw, tb, t1));
    CHECK_OK(be->bn_forward_inference(be, bp, t1, tg, tbe, trm, trv, t1));
    CHECK_OK(be->bn_fold(be, tw, tb, tg, tbe, trm, trv, 1e-5f, transposed ? 1 : 0, fw, fb));
    CHECK_OK(be->conv_forward(be, cp, tx, fw, fb, t2));
    double *unfolded = fetch(t1), *folded = fetch(t2);
    double err = nn_ref_max_rel_diff(folded, unfolded, yc);
    if (err > 1e-5) fprintf(stderr, "folding (transposed %d): %g\n", transposed, err);
    CHECK(err <= 1e-5);
    free(unfolded);
    free(folded);
    free(x);
    free(wt);
    nn_tensor *all[] = {tx, tw, tb, tg, tbe, trm, trv, t1, t2, fw, fb};
    for (int i = 0; i < 11; i++) be->tensor_destroy(be, all[i]);
    be->conv_plan_destroy(be, cp);
    be->bn_plan_destroy(be, bp);
}

int main(void) {
    CHECK_OK(nn_backend_cpu_create(&be));
    if (!be) return 1;
    training_and_backward(NN_ACT_NONE);
    CHECK(be->bn_fuses_relu);
    training_and_backward(NN_ACT_RELU);
    /* Only a ReLU can be fused. */
    nn_bn_desc sigmoid = {N, C, H, W, (float)EPS, 0.1f, NN_ACT_SIGMOID};
    nn_bn_plan *refused = NULL;
    CHECK_STATUS(be->bn_plan_create(be, &sigmoid, &refused), MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK(refused == NULL);
    folding(0);
    folding(1);
    nn_backend_destroy(be);
    return CHECK_DONE("test_nn_bn");
}
