/* Camera noise against the model: mean and variance of many pixels (Poisson + read noise, ADU gain
 * and offset, EM gain's excess noise 2·G²·mean), standardized residuals around the expected image,
 * and --noise none equal to the expectation rendered independently. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "mumloc.h"
#include "simulate/camera_noise.h"
#include "simulate/poisson_table.h"
#include "simulate/simulator.h"
#include "simulate/ziggurat_build.h"

#define FRAMES 20

static mumloc_sim_params base_params(void) {
    mumloc_sim_params p;
    mumloc_sim_params_default(&p);
    p.width = 64;
    p.height = 64;
    p.frames = FRAMES;
    p.seed = 2024;
    p.molecules = 0;
    return p;
}

static float *simulate(const mumloc_sim_params *p, size_t *n) {
    mumloc_simulator *sim = NULL;
    CHECK_OK(mumloc_simulator_create(p, &sim));
    *n = (size_t)FRAMES * p->optics.planes * p->width * p->height;
    float *px = malloc(*n * sizeof *px);
    CHECK_OK(mumloc_simulate_frames(sim, 0, FRAMES, px));
    mumloc_simulator_destroy(sim);
    return px;
}

/* Background only: every pixel has mean offset + g·G·λ and variance g²·(F·G²·λ + σ²), with the excess
 * noise factor F = 1 without EM gain and 2 with it. */
static void background_only(double lambda, double sigma, double em, double gain, double offset) {
    mumloc_sim_params p = base_params();
    p.camera.background_photons = lambda;
    p.camera.read_noise_e = sigma;
    p.camera.em_gain = em;
    p.camera.adu_per_electron = gain;
    p.camera.offset_adu = offset;
    size_t n;
    float *px = simulate(&p, &n);
    double s = 0, s2 = 0;
    for (size_t i = 0; i < n; i++) {
        s += px[i];
        s2 += (double)px[i] * px[i];
    }
    double mean = s / n, var = s2 / n - mean * mean;
    double excess = em > 1.0 ? 2.0 : 1.0;
    double want_mean = offset + gain * em * lambda;
    double want_var = gain * gain * (excess * em * em * lambda + sigma * sigma);
    printf("lambda %g sigma %g G %g gain %g offset %g: mean %.4f (model %.4f), var %.4f (model %.4f)\n",
           lambda, sigma, em, gain, offset, mean, want_mean, var, want_var);
    /* Six standard errors; the variance's relative error is a few times sqrt(2/n) for these laws. */
    CHECK_NEAR(mean, want_mean, 6 * sqrt(want_var / n) + 1e-9);
    CHECK_NEAR(var, want_var, 8 * want_var * sqrt(2.0 / n) + 1e-9);
    /* Without read noise the electrons are integers: (ADU − offset)/gain is whole. */
    if (sigma == 0.0 && em == 1.0 && gain == 1.0 && offset == 0.0)
        for (size_t i = 0; i < n; i += 97) CHECK(px[i] == floorf(px[i]));
    free(px);
}

int main(void) {
    background_only(10.0, 3.0, 1.0, 1.0, 0.0);      /* the papers' setting: tables for λ + j */
    background_only(500.0, 3.0, 1.0, 1.0, 0.0);     /* one table for λ alone */
    background_only(10.0, 3.0, 1.0, 2.5, 100.0);    /* ADU gain and offset */
    background_only(2.0, 0.0, 1.0, 1.0, 0.0);       /* small mean, pure Poisson */
    background_only(3000.0, 0.0, 1.0, 1.0, 0.0);    /* beyond the table: direct PTRS */
    background_only(0.0, 3.0, 1.0, 1.0, 0.0);       /* read noise alone */
    background_only(10.0, 3.0, 100.0, 0.5, 50.0);   /* EM gain: variance 2·G²·λ */

    /* With molecules: --noise none equals offset + g·G·(signal + λ), the signal rendered here
     * independently from the truth and drift; physical noise scatters around it with the model's
     * variance (standardized residuals have mean 0 and variance 1). */
    for (int em_case = 0; em_case < 2; em_case++) {
        mumloc_sim_params p = base_params();
        p.molecules = 30;
        p.camera.background_photons = 5.0;
        p.camera.read_noise_e = 2.0;
        p.camera.adu_per_electron = 1.7;
        p.camera.offset_adu = 20.0;
        p.camera.em_gain = em_case ? 50.0 : 1.0;
        mumloc_sim_params q = p;
        q.noise = MUMLOC_NOISE_NONE;
        size_t n;
        float *noisy = simulate(&p, &n);
        float *expected = simulate(&q, &n);

        mumloc_simulator *sim = NULL;
        CHECK_OK(mumloc_simulator_create(&p, &sim));
        const int W = p.width, H = p.height, k = p.optics.planes;
        double *signal = malloc((size_t)W * H * sizeof *signal);
        double *scratch = malloc(2 * ((size_t)W + H + 2) * sizeof *scratch);
        /* Each pixel can be rebuilt alone from its documented address (seed, frame, noise purpose,
         * plane, row·W + column) with the one-pixel camera function. */
        poisson_table tables[64];
        for (int j = 0; j < 64; j++) CHECK_OK(poisson_table_build(5.0 + j, &tables[j]));
        ziggurat_table ziggurat;
        ziggurat_build(&ziggurat);
        camera_noise_model cam = {5.0, 2.0, p.camera.em_gain, 1.7, 20.0, 1, tables, 64, &ziggurat};
        size_t rebuilt = 0, matching = 0;
        mumloc_emitter truth[64];
        double drift[2 * MUMLOC_MAX_PLANES];
        double worst = 0.0, zs = 0, zs2 = 0, photons = 0, truth_photons = 0;
        for (int f = 0; f < FRAMES; f++) {
            int count = 0;
            CHECK_OK(mumloc_simulate_truth(sim, f, truth, 64, &count));
            CHECK(count == 30);
            CHECK_OK(mumloc_simulate_drift(sim, f, drift));
            for (int m = 0; m < count; m++) truth_photons += truth[m].photons;
            for (int d = 0; d < k; d++) {
                memset(signal, 0, (size_t)W * H * sizeof *signal);
                render_plane_rows(&p.optics, d, W, H, 0, H, p.optics.plane_depth_nm[d],
                                         drift[2 * d], drift[2 * d + 1], truth, count, signal, scratch);
                size_t base = ((size_t)f * k + d) * W * H;
                for (int i = 0; i < W * H; i++) {
                    double s = signal[i];
                    photons += s;
                    double e = p.camera.offset_adu +
                               p.camera.adu_per_electron * p.camera.em_gain * (s + 5.0);
                    worst = fmax(worst, fabs(expected[base + i] - e) / e);
                    double excess = em_case ? 2.0 : 1.0;
                    double var = p.camera.adu_per_electron * p.camera.adu_per_electron *
                                 (excess * p.camera.em_gain * p.camera.em_gain * (s + 5.0) + 4.0);
                    double z = (noisy[base + i] - e) / sqrt(var);
                    zs += z;
                    zs2 += z * z;
                    if (i % 61 == 0) {
                        philox_rng r = rng_stream(p.seed, f, RNG_NOISE, d, (uint32_t)i);
                        rebuilt++;
                        matching += (float)camera_pixel(&cam, s, &r) == noisy[base + i];
                    }
                }
            }
        }
        CHECK(rebuilt > 1000 && matching == rebuilt);
        for (int j = 0; j < 64; j++) poisson_table_free(&tables[j]);
        /* Float storage is the only difference from the exact expectation. */
        CHECK(worst <= 1e-7);
        double zm = zs / n, zv = zs2 / n - zm * zm;
        printf("with molecules, G %g: standardized residuals mean %.4f, variance %.4f\n",
               p.camera.em_gain, zm, zv);
        CHECK_NEAR(zm, 0.0, 6 / sqrt((double)n));
        CHECK_NEAR(zv, 1.0, 0.03);
        /* Nearly all of each molecule's k·c·a'/p² photons land in the 64×64 field. */
        CHECK(photons <= truth_photons * (1 + 1e-9));
        CHECK(photons > 0.8 * truth_photons);
        free(signal);
        free(scratch);
        free(noisy);
        free(expected);
        mumloc_simulator_destroy(sim);
    }
    return CHECK_DONE("test_sim_noise");
}
