/* Averaged shifted histograms against their definition, computed here directly: the mean of n×n
 * histograms with bins of n·p, shifted by multiples of p, each spreading a bin's count evenly over its
 * n×n pixels. Also mass conservation, mirror symmetry, and n = 1 being the histogram. */
#include <math.h>
#include <string.h>

#include "check.h"
#include "mumloc.h"

enum { W = 40, H = 30 };

static void render_ash(int shifts, int n, const double *x, const double *y, float *d) {
    mumloc_render_params p;
    mumloc_render_params_default(&p);
    p.method = shifts > 0 ? MUMLOC_RENDER_ASH : MUMLOC_RENDER_HISTOGRAM;
    p.ash_shifts = shifts > 0 ? shifts : 1;
    p.field_width_nm = W * 10.0;
    p.field_height_nm = H * 10.0;
    double z[64] = {0};
    mumloc_renderer *r = NULL;
    CHECK_OK(mumloc_renderer_create(&p, &r));
    if (!r) return;
    CHECK_OK(mumloc_renderer_add(r, n, x, y, z, NULL));
    CHECK_OK(mumloc_renderer_density(r, d));
    mumloc_renderer_destroy(r);
}

/* The definition: shift (a, b) puts coarse bin edges at (k·n − a)·p; the point's coarse bin spans
 * pixels [k·n − a, k·n − a + n) and each gets 1/n² of it, then the n² histograms are averaged. */
static void ash_by_definition(int n, int count, const double *x, const double *y, double *d) {
    memset(d, 0, sizeof(double) * W * H);
    for (int i = 0; i < count; i++) {
        double px = x[i] / 10.0, py = y[i] / 10.0;
        for (int a = 0; a < n; a++)
            for (int b = 0; b < n; b++) {
                int kx = (int)floor((px + a) / n), ky = (int)floor((py + b) / n);
                for (int u = 0; u < n; u++)
                    for (int v = 0; v < n; v++) {
                        int col = kx * n - a + u, row = ky * n - b + v;
                        if (col >= 0 && col < W && row >= 0 && row < H)
                            d[row * W + col] += 1.0 / (n * n) / (n * n);
                    }
            }
    }
}

static void test_definition(int n) {
    double x[20], y[20];
    for (int i = 0; i < 20; i++) {
        x[i] = 60.0 + 13.7 * i;
        y[i] = 50.0 + 9.1 * i;
    }
    static float d[W * H];
    static double expected[W * H];
    render_ash(n, 20, x, y, d);
    ash_by_definition(n, 20, x, y, expected);
    double mass = 0, worst = 0;
    for (int i = 0; i < W * H; i++) {
        mass += d[i];
        double e = fabs(d[i] - expected[i]);
        if (e > worst) worst = e;
    }
    CHECK_NEAR(worst, 0.0, 1e-6);
    CHECK_NEAR(mass, 20.0, 1e-4);
}

static void test_symmetry(void) {
    static float d[W * H];
    const double x = 205.0, y = 155.0; /* centre of pixel (20, 15) */
    render_ash(3, 1, &x, &y, d);
    for (int k = 0; k < 4; k++)
        for (int l = 0; l < 4; l++) {
            float v = d[(15 + l) * W + 20 + k];
            CHECK(v == d[(15 + l) * W + 20 - k]);
            CHECK(v == d[(15 - l) * W + 20 + k]);
            CHECK(v == d[(15 + k) * W + 20 + l]); /* transpose */
        }
    /* the triangle (3 − |k|)/9 in each direction: centre 1/9 · 1/9 · 9 = 1/9 */
    CHECK_NEAR(d[15 * W + 20], 1.0 / 9.0, 1e-7);
    CHECK_NEAR(d[15 * W + 21], 2.0 / 27.0, 1e-7);
    CHECK_NEAR(d[15 * W + 23], 0.0, 0);
}

static void test_one_shift_is_histogram(void) {
    double x[5] = {5, 15, 15, 399, 200}, y[5] = {5, 5, 5, 299, 100};
    static float a[W * H], b[W * H];
    render_ash(1, 5, x, y, a);
    render_ash(0, 5, x, y, b);
    CHECK(memcmp(a, b, sizeof a) == 0);
}

int main(void) {
    for (int n = 2; n <= 4; n++) test_definition(n);
    test_symmetry();
    test_one_shift_is_histogram();
    return CHECK_DONE("test_render_ash");
}
