/* Normalised Gaussian rendering against closed forms: unit mass per localization, centroid at the
 * position, variance σ² + p²/12 (a Gaussian binned into pixels of width p), σ clamping, and the mass a
 * localization near the field's edge loses (the normal CDF). */
#include <math.h>

#include "check.h"
#include "mumloc.h"

enum { SIDE = 100 }; /* pixels per side */

typedef struct moments {
    double mass, mean_x, mean_y, var_x, var_y;
} moments;

static moments moments_of(const float *d, double pixel) {
    moments m = {0};
    for (int j = 0; j < SIDE; j++)
        for (int i = 0; i < SIDE; i++) {
            double w = d[j * SIDE + i];
            m.mass += w;
            m.mean_x += w * (i + 0.5) * pixel;
            m.mean_y += w * (j + 0.5) * pixel;
        }
    m.mean_x /= m.mass;
    m.mean_y /= m.mass;
    for (int j = 0; j < SIDE; j++)
        for (int i = 0; i < SIDE; i++) {
            double w = d[j * SIDE + i], dx = (i + 0.5) * pixel - m.mean_x,
                   dy = (j + 0.5) * pixel - m.mean_y;
            m.var_x += w * dx * dx;
            m.var_y += w * dy * dy;
        }
    m.var_x /= m.mass;
    m.var_y /= m.mass;
    return m;
}

static void render(const mumloc_render_params *p, int n, const double *x, const double *y,
                   const double *sigma, float *density) {
    double z[16] = {0};
    mumloc_renderer *r = NULL;
    CHECK_OK(mumloc_renderer_create(p, &r));
    if (!r) return;
    CHECK_OK(mumloc_renderer_add(r, n, x, y, z, sigma));
    CHECK_OK(mumloc_renderer_density(r, density));
    mumloc_renderer_destroy(r);
}

static mumloc_render_params gaussian_params(double pixel) {
    mumloc_render_params p;
    mumloc_render_params_default(&p);
    p.method = MUMLOC_RENDER_GAUSSIAN;
    p.pixel_nm = pixel;
    p.field_width_nm = p.field_height_nm = SIDE * pixel;
    return p;
}

static void test_single(void) {
    static float d[SIDE * SIDE];
    mumloc_render_params p = gaussian_params(10.0);
    const double x = 503.7, y = 497.2, sigma = 20.0;
    render(&p, 1, &x, &y, &sigma, d);
    moments m = moments_of(d, 10.0);
    CHECK_NEAR(m.mass, 1.0, 1e-5);
    CHECK_NEAR(m.mean_x, x, 0.01);
    CHECK_NEAR(m.mean_y, y, 0.01);
    /* binning adds p²/12 (Sheppard); truncation at 4σ removes ~0.1 % of the variance */
    CHECK_NEAR(m.var_x, 400.0 + 100.0 / 12, 0.01 * 400);
    CHECK_NEAR(m.var_y, 400.0 + 100.0 / 12, 0.01 * 400);
}

static void test_mass_of_many(void) {
    static float d[SIDE * SIDE];
    mumloc_render_params p = gaussian_params(10.0);
    double x[12], y[12], s[12];
    for (int i = 0; i < 12; i++) {
        x[i] = 200.0 + 53.3 * i;
        y[i] = 300.0 + 31.7 * i;
        s[i] = 3.0 + 4.0 * i; /* up to 47 nm: every ±4σ window stays inside the field */
    }
    render(&p, 12, x, y, s, d);
    moments m = moments_of(d, 10.0);
    CHECK_NEAR(m.mass, 12.0, 1e-4);
    /* a fixed sigma overrides the column */
    p.sigma_nm = 15.0;
    render(&p, 12, x, y, NULL, d);
    m = moments_of(d, 10.0);
    CHECK_NEAR(m.mass, 12.0, 1e-4);
}

/* σ below sigma_min is raised to it: 0.3 nm at 1 nm pixels renders as 2 nm. */
static void test_clamp(void) {
    static float d[SIDE * SIDE];
    mumloc_render_params p = gaussian_params(1.0);
    const double x = 50.5, y = 50.5, tiny = 0.3, huge = 1e5;
    render(&p, 1, &x, &y, &tiny, d);
    moments m = moments_of(d, 1.0);
    CHECK_NEAR(m.var_x, 4.0 + 1.0 / 12, 0.02 * 4);
    p.sigma_max_nm = 5.0;
    render(&p, 1, &x, &y, &huge, d);
    m = moments_of(d, 1.0);
    CHECK_NEAR(m.var_x, 25.0 + 1.0 / 12, 0.02 * 25);
    CHECK_NEAR(m.mass, 1.0, 1e-5);
}

static double normal_cdf(double u) { return 0.5 * erfc(-u / sqrt(2.0)); }

/* 5 nm from the left edge with σ = 20 nm: the part left of x = 0 is outside. The kernel is the
 * window [-80, 90) nm around it renormalised, so the mass inside is
 * (Φ(85/20) − Φ(−5/20)) / (Φ(85/20) − Φ(−85/20)). */
static void test_edge(void) {
    static float d[SIDE * SIDE];
    mumloc_render_params p = gaussian_params(10.0);
    const double x = 5.0, y = 500.0, sigma = 20.0;
    render(&p, 1, &x, &y, &sigma, d);
    double mass = 0;
    for (int i = 0; i < SIDE * SIDE; i++) mass += d[i];
    double expected = (normal_cdf(85.0 / 20) - normal_cdf(-5.0 / 20)) /
                      (normal_cdf(85.0 / 20) - normal_cdf(-85.0 / 20));
    CHECK_NEAR(mass, expected, 1e-6);
}

int main(void) {
    test_single();
    test_mass_of_many();
    test_clamp();
    test_edge();
    return CHECK_DONE("test_render_gaussian");
}
