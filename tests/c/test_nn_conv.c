/* Convolutions on the CPU backend against the naive double-precision reference (nn/reference.h):
 * forward for regular and transposed convolutions (both the four-phase identity and oneDNN's
 * deconvolution primitive), and gradients against central finite differences of the reference
 * (small layers) or the adjoint identities of the reference (wide layers; also on the Winograd
 * kernels training uses by default). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static double dot(const double *a, const double *b, long count) {
    double s = 0.0;
    for (long i = 0; i < count; i++) s += a[i] * b[i];
    return s;
}

/* Gradients of wide layers, whose backward-weights runs on oneDNN's blocked kernel with x and dy
 * reordered into its layout (finite differences would be too slow at these sizes). L = Σ r·y is
 * linear in x, w and b, so the exact gradients satisfy the adjoint identities
 *   Σ dw·v = Σ r·conv(x, v, 0),  Σ dx·u = Σ r·conv(u, w, 0),  db[o] = Σ r over channel o
 * for any directions u, v; both sides come from the reference, the left from the backend. Two
 * backward calls with new x and dy also check that no stale reordered copy is reused. */
static void check_wide_gradients(const geometry *g, double tolerance) {
    int oh = g->transposed ? 2 * g->h : g->h, ow = g->transposed ? 2 * g->w : g->w;
    nn_shape xs = {g->n, g->ci, g->h, g->w}, ys = {g->n, g->co, oh, ow};
    nn_shape ws = g->transposed ? (nn_shape){g->ci, g->co, 3, 3} : (nn_shape){g->co, g->ci, g->k, g->k};
    nn_shape bs = {1, g->co, 1, 1};
    long xc = (long)nn_shape_count(xs), yc = (long)nn_shape_count(ys), wc = (long)nn_shape_count(ws);
    double *x = malloc(xc * sizeof *x), *w = malloc(wc * sizeof *w), *r = malloc(yc * sizeof *r);
    double *u = malloc(xc * sizeof *u), *v = malloc(wc * sizeof *v), *y = malloc(yc * sizeof *y);
    double *zero = calloc(g->co, sizeof *zero), *db = calloc(g->co, sizeof *db);
    nn_ref_random(w, wc, 12, -0.5, 0.5);
    nn_tensor *tw = make(ws, w), *tx = make(xs, NULL), *tr = make(ys, NULL);
    nn_tensor *tdx = make(xs, NULL), *tdw = make(ws, NULL), *tdb = make(bs, NULL);
    nn_conv_desc d = {g->n, g->ci, g->co, g->h, g->w, g->transposed ? 3 : g->k, g->transposed,
                      NN_ACT_NONE, NN_PRECISION_FP32, 0};
    nn_conv_plan *plan = NULL;
    CHECK_OK(be->conv_plan_create(be, &d, &plan));
    for (int round = 0; plan && round < 2; round++) {
        nn_ref_random(x, xc, 20 + round, -1, 1);
        nn_ref_random(r, yc, 30 + round, -1, 1);
        nn_tensor *nx = make(xs, x), *nr = make(ys, r);
        CHECK_OK(be->copy(be, nx, tx));
        CHECK_OK(be->copy(be, nr, tr));
        be->tensor_destroy(be, nx);
        be->tensor_destroy(be, nr);
        CHECK_OK(be->conv_backward_weights(be, plan, tx, tr, tdw, tdb));
        CHECK_OK(be->conv_backward_data(be, plan, tr, tw, tdx));
        double *gw = fetch(tdw), *gx = fetch(tdx), *gb = fetch(tdb);
        for (int probe = 0; probe < 2; probe++) {
            nn_ref_random(v, wc, 40 + probe, -1, 1);
            nn_ref_random(u, xc, 50 + probe, -1, 1);
            reference(g, x, v, zero, y);
            double want_w = dot(r, y, yc), got_w = dot(gw, v, wc);
            reference(g, u, w, zero, y);
            double want_x = dot(r, y, yc), got_x = dot(gx, u, xc);
            double scale_w = sqrt(dot(gw, gw, wc) * dot(v, v, wc));
            double scale_x = sqrt(dot(gx, gx, xc) * dot(u, u, xc));
            if (fabs(got_w - want_w) > tolerance * scale_w || fabs(got_x - want_x) > tolerance * scale_x)
                fprintf(stderr, "wide gradients ci%d co%d t%d: dw·v %g vs %g, dx·u %g vs %g\n", g->ci,
                        g->co, g->transposed, got_w, want_w, got_x, want_x);
            CHECK(fabs(got_w - want_w) <= tolerance * scale_w);
            CHECK(fabs(got_x - want_x) <= tolerance * scale_x);
        }
        long pixels = (long)oh * ow;
        for (int o = 0; o < g->co; o++) {
            db[o] = 0.0;
            for (int n = 0; n < g->n; n++)
                for (long i = 0; i < pixels; i++) db[o] += r[((long)n * g->co + o) * pixels + i];
        }
        CHECK(nn_ref_max_rel_diff(gb, db, g->co) <= tolerance);
        free(gw);
        free(gx);
        free(gb);
    }
    be->conv_plan_destroy(be, plan);
    nn_tensor *all[] = {tw, tx, tr, tdx, tdw, tdb};
    for (int i = 0; i < 6; i++) be->tensor_destroy(be, all[i]);
    free(x), free(w), free(r), free(u), free(v), free(y), free(zero), free(db);
}

/* Inference plans with a fused ReLU on the Winograd kernels: relu(reference) to 1e-4, the same bits
 * on a second call with the input changed and back (no stale reordered input), and weights changed
 * in place are picked up. A plan with a fused sigmoid (the heads) keeps the direct kernels. */
static void check_winograd_inference(geometry g) {
    nn_shape xs = {g.n, g.ci, g.h, g.w}, ys = {g.n, g.co, g.h, g.w}, ws = {g.co, g.ci, 3, 3};
    nn_shape bs = {1, g.co, 1, 1};
    long xc = (long)nn_shape_count(xs), yc = (long)nn_shape_count(ys), wc = (long)nn_shape_count(ws);
    double *x = malloc(xc * sizeof *x), *x2 = malloc(xc * sizeof *x2), *w = malloc(wc * sizeof *w);
    double *b = malloc(g.co * sizeof *b), *y = malloc(yc * sizeof *y);
    nn_ref_random(x, xc, 71, -1, 1);
    nn_ref_random(x2, xc, 72, -1, 1);
    nn_ref_random(w, wc, 73, -0.5, 0.5);
    nn_ref_random(b, g.co, 74, -1, 1);
    nn_tensor *tx = make(xs, x), *tx2 = make(xs, x2), *tw = make(ws, w), *tb = make(bs, b);
    nn_tensor *ty = make(ys, NULL);
    nn_conv_desc d = {g.n, g.ci, g.co, g.h, g.w, 3, 0, NN_ACT_RELU, NN_PRECISION_FP32, 0};
    nn_conv_plan *plan = NULL;
    CHECK_OK(be->conv_plan_create(be, &d, &plan));
    if (plan) {
        CHECK(strstr(cpu_conv_plan_impl(plan, 0), "wino") != NULL);
        double *first = NULL;
        for (int round = 0; round < 4; round++) {
            if (round == 3) { /* new weights, written in place: the cached reorder must be redone */
                for (long i = 0; i < wc; i++) w[i] *= -1.5;
                nn_tensor *nw = make(ws, w);
                CHECK_OK(be->copy(be, nw, tw));
                be->tensor_destroy(be, nw);
            }
            const double *in = round == 1 ? x2 : x;
            CHECK_OK(be->conv_forward(be, plan, round == 1 ? tx2 : tx, tw, tb, ty));
            reference(&g, in, w, b, y);
            for (long i = 0; i < yc; i++) y[i] = y[i] > 0 ? y[i] : 0;
            double *got = fetch(ty);
            double err = nn_ref_max_rel_diff(got, y, yc);
            if (err > 1e-4) fprintf(stderr, "winograd inference round %d: rel err %g\n", round, err);
            CHECK(err <= 1e-4);
            if (round == 0) first = got;
            else {
                if (round == 2) CHECK(memcmp(first, got, yc * sizeof *got) == 0);
                free(got);
            }
        }
        free(first);
        be->conv_plan_destroy(be, plan);
    }
    nn_conv_desc head = {g.n, g.ci, 16, g.h, g.w, 3, 0, NN_ACT_SIGMOID, NN_PRECISION_FP32, 0};
    nn_conv_plan *other = NULL;
    CHECK_OK(be->conv_plan_create(be, &head, &other));
    if (other) CHECK(strstr(cpu_conv_plan_impl(other, 0), "wino") == NULL);
    be->conv_plan_destroy(be, other);
    nn_tensor *all[] = {tx, tx2, tw, tb, ty};
    for (int i = 0; i < 5; i++) be->tensor_destroy(be, all[i]);
    free(x), free(x2), free(w), free(b), free(y);
}

/* The Winograd path (cpu_conv_winograd, the default): the plan must really use oneDNN's Winograd kernels,
 * and forward and gradients must match the reference — to 1e-4, not 1e-5: Winograd's transforms
 * round differently from a direct convolution. A 5×5 or 4-channel layer keeps the direct kernels. */
static void check_winograd(void) {
    cpu_conv_winograd = 1;
    geometry g = {2, 32, 64, 9, 7, 3, 0};
    nn_conv_desc d = {g.n, g.ci, g.co, g.h, g.w, 3, 0, NN_ACT_NONE, NN_PRECISION_FP32, 0};
    nn_conv_plan *plan = NULL;
    CHECK_OK(be->conv_plan_create(be, &d, &plan));
    nn_shape xs = {g.n, g.ci, g.h, g.w}, ys = {g.n, g.co, g.h, g.w}, ws = {g.co, g.ci, 3, 3};
    nn_shape bs = {1, g.co, 1, 1};
    long xc = (long)nn_shape_count(xs), yc = (long)nn_shape_count(ys), wc = (long)nn_shape_count(ws);
    double *x = malloc(xc * sizeof *x), *w = malloc(wc * sizeof *w), *b = malloc(g.co * sizeof *b);
    double *y = malloc(yc * sizeof *y);
    nn_ref_random(x, xc, 61, -1, 1);
    nn_ref_random(w, wc, 62, -0.5, 0.5);
    nn_ref_random(b, g.co, 63, -1, 1);
    nn_tensor *tx = make(xs, x), *tw = make(ws, w), *tb = make(bs, b), *ty = make(ys, NULL);
    if (plan) {
        CHECK(strstr(cpu_conv_plan_impl(plan, 0), "wino") != NULL);
        CHECK_OK(be->conv_forward(be, plan, tx, tw, tb, ty));
        reference(&g, x, w, b, y);
        double *got = fetch(ty);
        double err = nn_ref_max_rel_diff(got, y, yc);
        if (err > 1e-4) fprintf(stderr, "winograd forward: rel err %g\n", err);
        CHECK(err <= 1e-4);
        free(got);
        be->conv_plan_destroy(be, plan);
    }
    check_wide_gradients(&g, 1e-4);
    /* like the regression network's middle layers, batch 1 and 2 */
    check_winograd_inference((geometry){1, 64, 32, 24, 20, 3, 0});
    check_winograd_inference((geometry){2, 32, 16, 10, 13, 3, 0});
    nn_conv_desc narrow = {1, 4, 16, 8, 8, 3, 0, NN_ACT_NONE, NN_PRECISION_FP32, 0}, wide5 = {1, 32, 32, 8, 8, 5, 0, NN_ACT_NONE, NN_PRECISION_FP32, 0};
    nn_conv_desc *direct[] = {&narrow, &wide5};
    for (int i = 0; i < 2; i++) {
        nn_conv_plan *other = NULL;
        CHECK_OK(be->conv_plan_create(be, direct[i], &other));
        if (other) CHECK(strstr(cpu_conv_plan_impl(other, 0), "wino") == NULL);
        be->conv_plan_destroy(be, other);
    }
    cpu_conv_winograd = 0;
    nn_tensor *all[] = {tx, tw, tb, ty};
    for (int i = 0; i < 4; i++) be->tensor_destroy(be, all[i]);
    free(x), free(w), free(b), free(y);
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
                      NN_ACT_NONE, NN_PRECISION_FP32, 0};
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
    nn_conv_desc d = {2, 4, 16, 6, 5, 3, 0, act, NN_PRECISION_FP32, 0};
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
    cpu_conv_winograd = 0; /* the direct kernels first, to 1e-5; check_winograd turns it on */
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
    geometry wide[] = {{2, 32, 64, 9, 7, 3, 0}, {2, 64, 32, 6, 5, 5, 0}, {1, 64, 128, 5, 4, 3, 1},
                       {1, 128, 64, 4, 6, 3, 1}};
    for (int i = 0; i < 4; i++) check_wide_gradients(&wide[i], 1e-5);
    check_winograd();
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
