/* The simulator with a measured PSF (issue 13): frames drawn with splines built from the Gaussian
 * model equal the Gaussian frames (stated tolerance: the spline's interpolation error); a noise-free
 * spline simulation equals the sum of psf_interface's expected images of the frame's molecules (an
 * independent path: the interface evaluates each molecule over the whole image); a band of rows is
 * the same numbers as the whole image; k = 1, 2 and 8 planes all simulate; a spline on other pixels
 * is refused naming the plane; going back to the Gaussian gives the Gaussian frames bit for bit; a
 * spline with negative tails draws no negative photons. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "gaussian_spline.h"
#include "optics/psf_interface.h"
#include "rig_optics.h"
#include "simulate/simulator.h"

enum { W = 40, H = 36, FRAMES = 3 };

static void params_of(const mumloc_optics *o, mumloc_sim_params *p) {
    mumloc_sim_params_default(p);
    p->optics = *o;
    p->width = W;
    p->height = H;
    p->frames = FRAMES;
    p->seed = 31;
    p->molecules = 12;
    p->noise = MUMLOC_NOISE_NONE;
}

/* Frames in photons above the background (exact for MUMLOC_NOISE_NONE up to float rounding). */
static void to_photons(const mumloc_sim_params *p, float *f, size_t n) {
    const mumloc_camera *c = &p->camera;
    for (size_t i = 0; i < n; i++)
        f[i] = (float)((f[i] - c->offset_adu) / (c->adu_per_electron * c->em_gain) -
                       c->background_photons);
}

/* Simulates with splines (NULL: the Gaussian) into photons. */
static float *simulate(const mumloc_sim_params *p, const spline_plane_psf *splines) {
    size_t n = (size_t)FRAMES * p->optics.planes * W * H;
    float *f = malloc(n * sizeof *f);
    mumloc_simulator *sim = NULL;
    CHECK_OK(mumloc_simulator_create(p, &sim));
    CHECK_OK(sim_set_spline(sim, splines));
    CHECK_OK(mumloc_simulate_frames(sim, 0, FRAMES, f));
    mumloc_simulator_destroy(sim);
    to_photons(p, f, n);
    return f;
}

/* max |spline frames − expected images summed over the frame's molecules| (photons). */
static double versus_expected(const mumloc_sim_params *p, const spline_plane_psf *splines,
                              const float *frames) {
    const int k = p->optics.planes;
    const size_t area = (size_t)W * H;
    mumloc_simulator *sim = NULL;
    CHECK_OK(mumloc_simulator_create(p, &sim));
    mumloc_emitter *e = malloc(((size_t)mumloc_simulator_max_emitters(sim) + 1) * sizeof *e);
    double *sum = malloc(k * area * sizeof *sum), *one = malloc(k * area * sizeof *one);
    psf_model model = {MUMLOC_PSF_SPLINE, &p->optics, splines};
    double worst = 0;
    for (int f = 0; f < FRAMES; f++) {
        double drift[2 * MUMLOC_MAX_PLANES];
        int count = sim_frame_imaged_emitters(sim, f, e);
        sim_frame_drift(sim, f, drift);
        memset(sum, 0, k * area * sizeof *sum);
        for (int m = 0; m < count; m++) {
            CHECK_OK(psf_model_expected(&model, e[m].x_nm, e[m].y_nm, e[m].z_nm, e[m].photons,
                                               NULL, drift, W, H, one));
            for (size_t i = 0; i < k * area; i++) sum[i] += one[i];
        }
        for (size_t i = 0; i < k * area; i++)
            worst = fmax(worst, fabs(frames[f * k * area + i] - sum[i]));
    }
    free(e), free(sum), free(one);
    mumloc_simulator_destroy(sim);
    return worst;
}

static double peak_of(const float *f, size_t n) {
    double peak = 0;
    for (size_t i = 0; i < n; i++) peak = fmax(peak, f[i]);
    return peak;
}

/* Gaussian vs its spline, and the spline vs the interface, for optics o. */
static void compare(const mumloc_optics *o, int os, int half, const char *label) {
    mumloc_sim_params p;
    params_of(o, &p);
    const int k = o->planes;
    spline_plane_psf s[MUMLOC_MAX_PLANES];
    for (int d = 0; d < k; d++) gaussian_spline_of_plane(o, d, os, half, 61, -400.0, 40.0, &s[d]);
    const size_t n = (size_t)FRAMES * k * W * H;
    float *gauss = simulate(&p, NULL), *spline = simulate(&p, s);
    double worst = 0, peak = peak_of(gauss, n);
    for (size_t i = 0; i < n; i++) worst = fmax(worst, fabs(spline[i] - gauss[i]));
    double interface = versus_expected(&p, s, spline);
    printf("%s (k = %d): peak %.1f photons; spline vs Gaussian frames %.4f photons (%.2e of the "
           "peak); spline frames vs psf_interface expected images %.2e photons\n",
           label, k, peak, worst, worst / peak, interface);
    CHECK(peak > 20);
    CHECK(worst < 1e-3 * peak);     /* the spline's interpolation error on a quarter-pixel grid */
    CHECK(interface < 1e-3);        /* float rounding and tails beyond 5 RMS widths */
    /* back to the Gaussian: the Gaussian frames bit for bit */
    mumloc_simulator *sim = NULL;
    CHECK_OK(mumloc_simulator_create(&p, &sim));
    CHECK_OK(sim_set_spline(sim, s));
    CHECK(sim_spline(sim, k - 1) != NULL);
    CHECK_OK(sim_set_spline(sim, NULL));
    float *again = malloc(n * sizeof *again);
    CHECK_OK(mumloc_simulate_frames(sim, 0, FRAMES, again));
    to_photons(&p, again, n);
    CHECK(memcmp(again, gauss, n * sizeof *again) == 0);
    mumloc_simulator_destroy(sim);
    free(again), free(gauss), free(spline);
    for (int d = 0; d < k; d++) spline_psf_free(&s[d]);
}

/* A band of rows renders the numbers of the whole image (each pixel is the pixel's own function). */
static void test_bands(void) {
    mumloc_optics o;
    mumloc_optics_default(&o);
    spline_plane_psf s;
    gaussian_spline_of_plane(&o, 1, 4, 10, 41, -200.0, 50.0, &s);
    mumloc_emitter e[3] = {{0, 2000, 1900, 500, 0.8, 0}, {0, 3100, 2500, 900, 0.5, 0},
                           {0, 150, 6800, 1300, 1.0, 0}};
    double *whole = calloc(W * H, sizeof *whole), *cut = calloc(W * H, sizeof *cut);
    render_spline_rows(&o, &s, 1, W, H, 0, H, 12.0, -7.0, e, 3, whole);
    const int cuts[] = {0, 5, 11, 30, H};
    for (int b = 0; b < 4; b++)
        render_spline_rows(&o, &s, 1, W, H, cuts[b], cuts[b + 1], 12.0, -7.0, e, 3,
                                  cut + (size_t)cuts[b] * W);
    CHECK(memcmp(whole, cut, W * H * sizeof *whole) == 0);
    CHECK(whole[(size_t)(2500 / o.pixel_nm) * W + (size_t)(3100 / o.pixel_nm)] > 0.01);
    free(whole), free(cut);
    spline_psf_free(&s);
}

static void test_refusal(void) {
    mumloc_optics o;
    mumloc_optics_default(&o);
    mumloc_sim_params p;
    params_of(&o, &p);
    spline_plane_psf s[MUMLOC_MAX_PLANES];
    for (int d = 0; d < 4; d++) gaussian_spline_of_plane(&o, d, 2, 6, 11, 0.0, 160.0, &s[d]);
    s[2].pixel_nm = 100.0;
    mumloc_simulator *sim = NULL;
    CHECK_OK(mumloc_simulator_create(&p, &sim));
    CHECK_STATUS(sim_set_spline(sim, s), MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK(strstr(mumloc_last_error(), "plane 3") != NULL);
    CHECK(sim_spline(sim, 0) == NULL); /* still the Gaussian */
    s[2].pixel_nm = o.pixel_nm;
    mumloc_simulator_destroy(sim);
    for (int d = 0; d < 4; d++) spline_psf_free(&s[d]);
}

/* A measured spline rings slightly negative in its tails: the simulators draw no negative photons
 * (a negative expected count would index the camera's Poisson tables below 0). */
static void test_negative_tails(void) {
    mumloc_optics o;
    mumloc_optics_default(&o);
    o.planes = 1;
    mumloc_sim_params p;
    params_of(&o, &p);
    p.noise = MUMLOC_NOISE_PHYSICAL;
    p.molecules = 20;
    spline_plane_psf s;
    gaussian_spline_of_plane(&o, 0, 2, 6, 11, 0.0, 160.0, &s);
    for (size_t i = 0; i < (size_t)s.n * s.n * s.nz; i++) s.coef[i] -= 2e-3f; /* tails below 0 */
    const size_t n = (size_t)FRAMES * W * H;
    float *f = simulate(&p, &s);
    int finite = 1;
    for (size_t i = 0; i < n; i++) finite &= isfinite(f[i]);
    CHECK(finite);
    free(f);
    p.noise = MUMLOC_NOISE_NONE;
    f = simulate(&p, &s);
    double low = 0;
    for (size_t i = 0; i < n; i++) low = fmin(low, f[i]);
    CHECK(low > -1e-3); /* photons above the background, float rounding only */
    free(f);
    spline_psf_free(&s);
}

int main(void) {
    mumloc_optics o;
    mumloc_optics_default(&o);
    compare(&o, 4, 16, "papers' optics");
    test_rig_optics(&o);
    compare(&o, 4, 16, "per-plane optics");
    /* any number of planes: k = 1, 2 and 8 */
    const int ks[] = {1, 2, 8};
    for (int t = 0; t < 3; t++) {
        mumloc_optics_default(&o);
        o.planes = ks[t];
        for (int d = 0; d < o.planes; d++) o.plane_depth_nm[d] = 200.0 + d * (1200.0 / (o.planes > 1 ? o.planes - 1 : 1));
        CHECK_OK(mumloc_optics_validate(&o));
        char label[32];
        snprintf(label, sizeof label, "%d plane(s)", ks[t]);
        compare(&o, 4, 16, label);
    }
    test_bands();
    test_refusal();
    test_negative_tails();
    return check_failures ? 1 : 0;
}
