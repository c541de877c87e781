/* The CRLB's noise model against the simulator's camera (Monte Carlo): in photons, a pixel of
 * expected value μ has variance F·μ + (σ/G)², F = 2 with EM gain. Checked two ways over many noisy
 * frames: the mean squared standardised residual is 1, and the score-like statistic
 * T = Σ (∂μ/∂x)(y − μ)/v has variance F_xx, the Fisher information the bound inverts. */
#include <math.h>
#include <stdlib.h>

#include "check.h"
#include "mumloc.h"
#include "optics/crlb.h"
#include "optics/psf_model.h"

#define SIDE 16
#define PLANES 4
#define N_PIX (PLANES * SIDE * SIDE)

static void run(double em_gain, double read_noise, double adu_gain, double offset) {
    mumloc_sim_params sp;
    mumloc_sim_params_default(&sp);
    sp.width = sp.height = SIDE;
    sp.molecules = 1;
    sp.seed = 21;
    sp.weight_min = sp.weight_max = 1.0;
    sp.camera.em_gain = em_gain;
    sp.camera.read_noise_e = read_noise;
    sp.camera.adu_per_electron = adu_gain;
    sp.camera.offset_adu = offset;
    mumloc_simulator *sim = NULL;
    CHECK_OK(mumloc_simulator_create(&sp, &sim));
    if (!sim) return;
    pixel_noise noise = pixel_noise_of(&sp.camera);
    static float frame[N_PIX];
    static double mu[N_PIX], dmx[N_PIX];
    const int frames = 400;
    double z2 = 0, t_sum = 0, t_sq = 0, info = 0;
    long pixels = 0;
    for (int64_t f = 0; f < frames; f++) {
        mumloc_emitter e;
        int n;
        double drift[2 * MUMLOC_MAX_PLANES], bg[PLANES];
        CHECK_OK(mumloc_simulate_truth(sim, f, &e, 1, &n));
        CHECK_OK(mumloc_simulate_drift(sim, f, drift));
        CHECK_OK(mumloc_simulate_frames(sim, f, 1, frame));
        for (int d = 0; d < PLANES; d++) bg[d] = sp.camera.background_photons;
        CHECK_OK(psf_model_image(&sp.optics, e.x_nm, e.y_nm, e.z_nm, e.photons, bg, drift, NULL,
                                        SIDE, SIDE, mu, dmx, NULL, NULL, NULL));
        double t = 0, fi = 0;
        for (int i = 0; i < N_PIX; i++) {
            double y = (frame[i] - offset) / (adu_gain * em_gain); /* camera units → photons */
            double v = noise.excess * mu[i] + noise.read_variance;
            z2 += (y - mu[i]) * (y - mu[i]) / v;
            t += dmx[i] * (y - mu[i]) / v;
            fi += dmx[i] * dmx[i] / v;
        }
        pixels += N_PIX;
        t_sum += t / sqrt(fi); /* standardised: variance 1 when the model's information is right */
        t_sq += t * t / fi;
        info += fi;
    }
    double mean_z2 = z2 / pixels;
    /* mean of χ²-like terms over ~400k pixels: 1 within 2 % (the EM Gamma tail is heavy) */
    CHECK_NEAR(mean_z2, 1.0, 0.02);
    double tm = t_sum / frames, tv = t_sq / frames - tm * tm;
    /* sample variance of 400 standard normals: 1 ± 0.07 (1 sd); allow 4 sd */
    CHECK_NEAR(tv, 1.0, 0.28);
    CHECK(info > 0);
    mumloc_simulator_destroy(sim);
}

int main(void) {
    mumloc_set_threads(1);
    run(1.0, 3.0, 1.0, 0.0);      /* the papers' camera: Poisson + read noise 3 e⁻ */
    run(1.0, 0.0, 2.5, 100.0);    /* pure Poisson, with ADU gain and offset */
    run(100.0, 30.0, 0.1, 500.0); /* EMCCD: excess factor 2, read noise divided by G */
    return CHECK_DONE("test_crlb_noise");
}
