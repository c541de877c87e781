/* Losses on the CPU backend against naive double-precision versions written from science.md §4:
 * the voxel BCE (sum over voxels / batch) and the regression loss with hard-negative mining (here the
 * hardest negatives are found by repeated maximum search, independently of the backend's sort);
 * values, gradients by central differences, and which negatives get a gradient. */
#include <stdlib.h>
#include <string.h>

#include "backend/backend.h"
#include "check.h"
#include "nn/reference.h"

static nn_backend *be;

enum { N = 3, K = 2, CH = 4 * K, H = 4, W = 5 };
#define COUNT (N * CH * H * W)
#define AT(b, c, px) (((b) * CH + (c)) * H * W + (px)) /* NCHW */

static double bce(double p, double t) { return -(t * log(p) + (1 - t) * log(1 - p)); }

/* Naive regression loss on NCHW doubles; `chosen` marks the selected negatives. */
static double naive_regression(const double *out, const double *tgt, double ratio, char *chosen) {
    double total = 0;
    if (chosen) memset(chosen, 0, COUNT);
    for (int b = 0; b < N; b++) {
        int positives = 0, negatives = 0;
        for (int d = 0; d < K; d++)
            for (int px = 0; px < H * W; px++) {
                if (tgt[AT(b, d, px)] > 0.5) {
                    positives++;
                    total += bce(out[AT(b, d, px)], 1);
                    for (int a = 0; a < 3; a++)
                        total += fabs(out[AT(b, K + 3 * d + a, px)] - tgt[AT(b, K + 3 * d + a, px)]);
                } else {
                    negatives++;
                }
            }
        int take = (int)(ratio * positives);
        if (take > negatives) take = negatives;
        char used[K * H * W] = {0};
        for (int t = 0; t < take; t++) {
            int best = -1;
            for (int i = 0; i < K * H * W; i++) {
                int d = i / (H * W), px = i % (H * W);
                if (tgt[AT(b, d, px)] > 0.5 || used[i]) continue;
                if (best < 0 || out[AT(b, d, px)] > out[AT(b, best / (H * W), best % (H * W))]) best = i;
            }
            used[best] = 1;
            total += bce(out[AT(b, best / (H * W), best % (H * W))], 0);
            if (chosen) chosen[AT(b, best / (H * W), best % (H * W))] = 1;
        }
    }
    return total / N;
}

static nn_tensor *make(nn_shape s, const double *values) {
    nn_tensor *t = NULL;
    CHECK_OK(be->tensor_create(be, s, &t));
    long count = (long)nn_shape_count(s);
    float *f = malloc(count * sizeof *f);
    for (long i = 0; i < count; i++) f[i] = values ? (float)values[i] : 0.0f;
    CHECK_OK(be->upload(be, t, f));
    free(f);
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

/* quantize: probabilities on a 0.1 grid, so the hard-negative choice must break many ties (by
 * position, as the naive version does); the finite differences are skipped then. */
static void regression(double ratio, int quantize) {
    static double out[COUNT], tgt[COUNT], fd[COUNT];
    static char chosen[COUNT];
    nn_ref_random(out, COUNT, 41, 0.02, 0.98);
    nn_ref_random(tgt, COUNT, 42, 0.0, 1.0);
    /* Positives: frame 0 has 5, frame 1 none, frame 2 most voxels (more negatives asked than exist). */
    const int pos_per_frame[N] = {5, 0, 30};
    for (int b = 0; b < N; b++)
        for (int i = 0; i < K * H * W; i++) tgt[AT(b, i / (H * W), i % (H * W))] = i < pos_per_frame[b] * 1.0 ? 1.0 : 0.0;
    /* spread positives over both planes */
    for (int b = 0; b < N; b++)
        for (int i = 0; i < K * H * W; i += 7) {
            int d = i / (H * W), px = i % (H * W);
            int j = (i * 13 + 5) % (K * H * W);
            double tmp = tgt[AT(b, d, px)];
            tgt[AT(b, d, px)] = tgt[AT(b, j / (H * W), j % (H * W))];
            tgt[AT(b, j / (H * W), j % (H * W))] = tmp;
        }
    if (quantize)
        for (int i = 0; i < COUNT; i++)
            if ((i / (H * W)) % CH < K) out[i] = 0.05 + 0.1 * floor(out[i] * 10.0);
    /* keep |ζ − ζ*| away from the L1 kink */
    for (int i = 0; i < COUNT; i++) {
        int c = (i / (H * W)) % CH;
        if (c >= K && fabs(out[i] - tgt[i]) < 0.01) out[i] = tgt[i] > 0.5 ? tgt[i] - 0.2 : tgt[i] + 0.2;
    }
    nn_shape s = {N, CH, H, W};
    nn_tensor *to = make(s, out), *tt = make(s, tgt), *tg = make(s, NULL);
    double loss = 0;
    CHECK_OK(be->loss_regression(be, K, (float)ratio, to, tt, tg, &loss));
    /* float inputs: compare against the naive loss on the float-rounded values */
    double *outf = fetch(to);
    double expected = naive_regression(outf, tgt, ratio, chosen);
    CHECK_NEAR(loss, expected, 1e-5 * (1 + expected));
    double *grad = fetch(tg);
    const double h = 1e-5;
    for (int i = 0; i < COUNT && !quantize; i++) {
        double keep = outf[i];
        outf[i] = keep + h;
        double up = naive_regression(outf, tgt, ratio, NULL);
        outf[i] = keep - h;
        double down = naive_regression(outf, tgt, ratio, NULL);
        outf[i] = keep;
        fd[i] = (up - down) / (2 * h);
    }
    double err = quantize ? 0.0 : nn_ref_max_rel_diff(grad, fd, COUNT);
    if (err > 1e-4) fprintf(stderr, "regression loss gradient (ratio %g): rel err %g\n", ratio, err);
    CHECK(err <= 1e-4);
    /* exactly the chosen negatives (and positives) carry a probability gradient */
    int chosen_count[N] = {0}, graded_neg[N] = {0};
    for (int b = 0; b < N; b++)
        for (int d = 0; d < K; d++)
            for (int px = 0; px < H * W; px++) {
                int i = AT(b, d, px);
                if (tgt[i] > 0.5) continue;
                chosen_count[b] += chosen[i];
                graded_neg[b] += grad[i] != 0.0;
                CHECK((grad[i] != 0.0) == (chosen[i] != 0));
            }
    int negatives2 = K * H * W - pos_per_frame[2];
    CHECK(chosen_count[0] == (int)(ratio * 5));
    CHECK(chosen_count[1] == 0);
    CHECK(chosen_count[2] == ((int)(ratio * 30) < negatives2 ? (int)(ratio * 30) : negatives2));
    free(outf);
    free(grad);
    be->tensor_destroy(be, to);
    be->tensor_destroy(be, tt);
    be->tensor_destroy(be, tg);
}

static void voxel_bce(void) {
    enum { M = 2 * 3 * 4 * 4 };
    nn_shape s = {2, 3, 4, 4};
    double p[M], t[M];
    nn_ref_random(p, M, 51, 0.01, 0.99);
    nn_ref_random(t, M, 52, 0, 1);
    for (int i = 0; i < M; i++) t[i] = t[i] > 0.8 ? 1.0 : 0.0;
    nn_tensor *tp = make(s, p), *tt = make(s, t), *tg = make(s, NULL);
    double loss = 0, expected = 0;
    CHECK_OK(be->loss_bce(be, tp, tt, tg, &loss));
    double *pf = fetch(tp), *g = fetch(tg);
    for (int i = 0; i < M; i++) expected += bce(pf[i], t[i]);
    expected /= 2;
    CHECK_NEAR(loss, expected, 1e-5 * expected);
    for (int i = 0; i < M; i++) {
        double h = 1e-6;
        double fd = (bce(pf[i] + h, t[i]) - bce(pf[i] - h, t[i])) / (2 * h) / 2;
        CHECK_NEAR(g[i], fd, 1e-4 * (1 + fabs(fd)));
    }
    free(pf);
    free(g);
    be->tensor_destroy(be, tp);
    be->tensor_destroy(be, tt);
    be->tensor_destroy(be, tg);
}

int main(void) {
    CHECK_OK(nn_backend_cpu_create(&be));
    if (!be) return 1;
    voxel_bce();
    regression(3.0, 0);
    regression(1.5, 0);
    regression(3.0, 1);
    regression(0.5, 1);
    /* shape errors are values */
    nn_shape s = {1, 7, 2, 2};
    double z[28] = {0};
    nn_tensor *a = make(s, z), *b = make(s, z), *c = make(s, z);
    double loss;
    CHECK_STATUS(be->loss_regression(be, 2, 3.0f, a, b, c, &loss), MUMLOC_ERR_INVALID_ARGUMENT);
    be->tensor_destroy(be, a);
    be->tensor_destroy(be, b);
    be->tensor_destroy(be, c);
    nn_backend_destroy(be);
    return CHECK_DONE("test_nn_loss");
}
