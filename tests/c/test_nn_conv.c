/* Convolutions on the CPU backend against the naive double-precision reference (nn/reference.h):
 * forward for regular and transposed convolutions (both the four-phase identity and oneDNN's
 * deconvolution primitive), and gradients against central finite differences of the reference. */
#include <stdlib.h>

#include "backend/backend.h"
#include "backend/cpu/cpu_backend.h"
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

typedef struct geometry {
    int n, ci, co, h, w, k, transposed;
} geometry;

static void reference(const geometry *g, const double *x, const double *w, const double *b,
                      double *y) {
    if (g->transposed) nn_ref_tconv(x, g->n, g->ci, g->h, g->w, w, b, g->co, y);
    else nn_ref_conv(x, g->n, g->ci, g->h, g->w, w, b, g->co, g->k, y);
}

/* L = Σ r·y with y the reference output. */
static double reference_loss(const geometry *g, const double *x, const double *w, const double *b,
                             const double *r, double *scratch, long ycount) {
    reference(g, x, w, b, scratch);
    double s = 0.0;
    for (long i = 0; i < ycount; i++) s += r[i] * scratch[i];
    return s;
}

/* Central differences of L with respect to every element of v (in place, restored). */
static void finite_differences(const geometry *g, double *x, double *w, double *b, double *v,
                               long count, const double *r, double *scratch, long ycount,
                               double *grad) {
    const double h = 1e-3;
    for (long i = 0; i < count; i++) {
        double keep = v[i];
        v[i] = keep + h;
        double up = reference_loss(g, x, w, b, r, scratch, ycount);
        v[i] = keep - h;
        double down = reference_loss(g, x, w, b, r, scratch, ycount);
        v[i] = keep;
        grad[i] = (up - down) / (2 * h);
    }
}

static void check_geometry(const geometry *g, int gradients) {
    int oh = g->transposed ? 2 * g->h : g->h, ow = g->transposed ? 2 * g->w : g->w;
    nn_shape xs = {g->n, g->ci, g->h, g->w}, ys = {g->n, g->co, oh, ow};
    nn_shape ws = g->transposed ? (nn_shape){g->ci, g->co, 3, 3} : (nn_shape){g->co, g->ci, g->k, g->k};
    nn_shape bs = {1, g->co, 1, 1};
    long xc = (long)nn_shape_count(xs), yc = (long)nn_shape_count(ys), wc = (long)nn_shape_count(ws);
    double *x = malloc(xc * sizeof *x), *w = malloc(wc * sizeof *w), *b = malloc(g->co * sizeof *b);
    double *y = malloc(yc * sizeof *y), *r = malloc(yc * sizeof *r);
    nn_ref_random(x, xc, 1, -1, 1);
    nn_ref_random(w, wc, 2, -0.5, 0.5);
    nn_ref_random(b, g->co, 3, -1, 1);
    nn_ref_random(r, yc, 4, -1, 1);
    nn_tensor *tx = make(xs, x), *tw = make(ws, w), *tb = make(bs, b), *ty = make(ys, NULL);
    nn_conv_desc d = {g->n, g->ci, g->co, g->h, g->w, g->transposed ? 3 : g->k, g->transposed,
                      NN_ACT_NONE};
    nn_conv_plan *plan = NULL;
    CHECK_OK(be->conv_plan_create(be, &d, &plan));
    if (!plan) return;
    CHECK_OK(be->conv_forward(be, plan, tx, tw, tb, ty));
    reference(g, x, w, b, y);
    double *got = fetch(ty);
    double err = nn_ref_max_rel_diff(got, y, yc);
    if (err > 1e-5)
        fprintf(stderr, "forward n%d ci%d co%d %dx%d k%d t%d: rel err %g\n", g->n, g->ci, g->co,
                g->h, g->w, g->k, g->transposed, err);
    CHECK(err <= 1e-5);
    free(got);

    /* Second call with changed weights must not reuse stale cached (reordered) weights. */
    for (long i = 0; i < wc; i++) w[i] *= -2.0;
    nn_tensor *tw2 = make(ws, w);
    CHECK_OK(be->copy(be, tw2, tw));
    CHECK_OK(be->conv_forward(be, plan, tx, tw, tb, ty));
    reference(g, x, w, b, y);
    got = fetch(ty);
    CHECK(nn_ref_max_rel_diff(got, y, yc) <= 1e-5);
    free(got);
    be->tensor_destroy(be, tw2);

    if (gradients) {
        nn_tensor *tr = make(ys, r), *tdx = make(xs, NULL), *tdw = make(ws, NULL), *tdb = make(bs, NULL);
        CHECK_OK(be->conv_backward_data(be, plan, tr, tw, tdx));
        CHECK_OK(be->conv_backward_weights(be, plan, tx, tr, tdw, tdb));
        double *fd = malloc((xc > wc ? xc : wc) * sizeof *fd);
        double *gx = fetch(tdx), *gw = fetch(tdw), *gb = fetch(tdb);
        finite_differences(g, x, w, b, x, xc, r, y, yc, fd);
        double ex = nn_ref_max_rel_diff(gx, fd, xc);
        finite_differences(g, x, w, b, w, wc, r, y, yc, fd);
        double ew = nn_ref_max_rel_diff(gw, fd, wc);
        finite_differences(g, x, w, b, b, g->co, r, y, yc, fd);
        double eb = nn_ref_max_rel_diff(gb, fd, g->co);
        if (ex > 1e-4 || ew > 1e-4 || eb > 1e-4)
            fprintf(stderr, "gradients k%d t%d: dx %g dw %g db %g\n", g->k, g->transposed, ex, ew, eb);
        CHECK(ex <= 1e-4);
        CHECK(ew <= 1e-4);
        CHECK(eb <= 1e-4);
        free(fd);
        free(gx);
        free(gw);
        free(gb);
        be->tensor_destroy(be, tr);
        be->tensor_destroy(be, tdx);
        be->tensor_destroy(be, tdw);
        be->tensor_destroy(be, tdb);
    }
    be->conv_plan_destroy(be, plan);
    be->tensor_destroy(be, tx);
    be->tensor_destroy(be, tw);
    be->tensor_destroy(be, tb);
    be->tensor_destroy(be, ty);
    free(x);
    free(w);
    free(b);
    free(y);
    free(r);
}

/* A fused activation on the forward equals the activation applied afterwards. */
static void check_fused(nn_activation act) {
    geometry g = {2, 4, 16, 6, 5, 3, 0};
    nn_shape xs = {2, 4, 6, 5}, ws = {16, 4, 3, 3}, bs = {1, 16, 1, 1}, ys = {2, 16, 6, 5};
    long xc = (long)nn_shape_count(xs), wc = (long)nn_shape_count(ws), yc = (long)nn_shape_count(ys);
    double *x = malloc(xc * sizeof *x), *w = malloc(wc * sizeof *w), *b = malloc(16 * sizeof *b);
    double *y = malloc(yc * sizeof *y);
    nn_ref_random(x, xc, 5, -1, 1);
    nn_ref_random(w, wc, 6, -0.5, 0.5);
    nn_ref_random(b, 16, 7, -1, 1);
    reference(&g, x, w, b, y);
    for (long i = 0; i < yc; i++)
        y[i] = act == NN_ACT_RELU ? (y[i] > 0 ? y[i] : 0) : 1.0 / (1.0 + exp(-y[i]));
    nn_tensor *tx = make(xs, x), *tw = make(ws, w), *tb = make(bs, b), *ty = make(ys, NULL);
    nn_conv_desc d = {2, 4, 16, 6, 5, 3, 0, act};
    nn_conv_plan *plan = NULL;
    CHECK_OK(be->conv_plan_create(be, &d, &plan));
    CHECK_OK(be->conv_forward(be, plan, tx, tw, tb, ty));
    double *got = fetch(ty);
    CHECK(nn_ref_max_rel_diff(got, y, yc) <= 1e-5);
    /* Training passes need a plan without a fused activation. */
    CHECK_STATUS(be->conv_backward_data(be, plan, ty, tw, tx), MUMLOC_ERR_INVALID_ARGUMENT);
    free(got);
    be->conv_plan_destroy(be, plan);
    be->tensor_destroy(be, tx);
    be->tensor_destroy(be, tw);
    be->tensor_destroy(be, tb);
    be->tensor_destroy(be, ty);
    free(x);
    free(w);
    free(b);
    free(y);
}

int main(void) {
    CHECK_OK(nn_backend_cpu_create(&be));
    if (!be) return 1;
    /* Upload/download round trip through the channels-last storage. */
    {
        nn_shape s = {2, 3, 4, 5};
        double v[120];
        nn_ref_random(v, 120, 9, -1, 1);
        nn_tensor *t = make(s, v);
        double *back = fetch(t);
        CHECK(nn_ref_max_rel_diff(back, v, 120) < 1e-7);
        free(back);
        be->tensor_destroy(be, t);
    }
    geometry regular[] = {{2, 3, 5, 7, 9, 3, 0}, {1, 4, 16, 8, 6, 5, 0}, {2, 5, 3, 4, 4, 1, 0}};
    for (int i = 0; i < 3; i++) check_geometry(&regular[i], 1);
    geometry transposed[] = {{2, 3, 5, 5, 6, 3, 1}, {1, 16, 8, 4, 3, 3, 1}};
    for (int i = 0; i < 2; i++) check_geometry(&transposed[i], 1);
    /* Larger shapes (forward only): the kernels oneDNN picks change with size. */
    geometry large[] = {{1, 64, 128, 16, 16, 3, 1}, {2, 32, 64, 20, 12, 3, 0}, {1, 4, 64, 16, 16, 5, 0}};
    for (int i = 0; i < 3; i++) check_geometry(&large[i], 0);
    /* oneDNN's deconvolution primitive, the measured alternative, agrees too. */
    cpu_use_deconvolution_primitive = 1;
    check_geometry(&transposed[0], 0);
    check_geometry(&large[0], 0);
    cpu_use_deconvolution_primitive = 0;
    check_fused(NN_ACT_RELU);
    check_fused(NN_ACT_SIGMOID);
    nn_backend_destroy(be);
    return CHECK_DONE("test_nn_conv");
}
