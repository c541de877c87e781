/* The differentiable PSF model (optics/psf_model.h) against the simulator and against finite
 * differences: its expected image equals the simulator's noise-free frames, and its analytic
 * derivatives with respect to x, y, z and photons match central differences of itself. */
#include <math.h>
#include <stdlib.h>

#include "check.h"
#include "mumloc.h"
#include "optics/psf_model.h"

#define SIDE 20
#define PLANES 4
#define N_PIX (PLANES * SIDE * SIDE)

static double max_abs(const double *v, int n) {
    double m = 0;
    for (int i = 0; i < n; i++) m = fabs(v[i]) > m ? fabs(v[i]) : m;
    return m;
}

/* The model image equals the simulator's expected image (noise none) for random molecules,
 * drifts and depths, up to float storage and the simulator's ±5w cut-off. */
static void against_simulator(void) {
    mumloc_sim_params sp;
    mumloc_sim_params_default(&sp);
    sp.width = sp.height = SIDE;
    sp.molecules = 1;
    sp.noise = MUMLOC_NOISE_NONE;
    sp.seed = 7;
    sp.drift_step_nm = 0; /* continuous drifts: sub-pixel shifts of every size */
    mumloc_simulator *sim = NULL;
    CHECK_OK(mumloc_simulator_create(&sp, &sim));
    if (!sim) return;
    static float frame[N_PIX];
    static double mu[N_PIX];
    for (int64_t f = 0; f < 12; f++) {
        mumloc_emitter e;
        int count = 0;
        double drift[2 * MUMLOC_MAX_PLANES], bg[PLANES];
        CHECK_OK(mumloc_simulate_truth(sim, f, &e, 1, &count));
        CHECK_OK(mumloc_simulate_drift(sim, f, drift));
        CHECK_OK(mumloc_simulate_frames(sim, f, 1, frame));
        for (int d = 0; d < PLANES; d++) bg[d] = sp.camera.background_photons;
        CHECK_OK(psf_model_image(&sp.optics, e.x_nm, e.y_nm, e.z_nm, e.photons, bg, drift, NULL,
                                        SIDE, SIDE, mu, NULL, NULL, NULL, NULL));
        double worst = 0;
        for (int i = 0; i < N_PIX; i++) {
            /* float rounding of the frame, and the simulator's cut-off (< 1e-6 of the photons) */
            double tol = 1e-6 * fabs(mu[i]) + 1e-6 * e.photons;
            double err = fabs(frame[i] - mu[i]);
            if (err > tol && err > worst) worst = err;
        }
        CHECK(worst == 0);
    }
    mumloc_simulator_destroy(sim);
}

/* Analytic derivatives against central differences of the model image itself. */
static void against_finite_differences(void) {
    mumloc_optics o;
    mumloc_optics_default(&o);
    static double mu[N_PIX], dx[N_PIX], dy[N_PIX], dz[N_PIX], dn[N_PIX], plus[N_PIX], minus[N_PIX];
    const double drift[2 * MUMLOC_MAX_PLANES] = {0, 0, 17.5, -30.0, -48.0, 5.0, 24.0, 24.0};
    const double bg[PLANES] = {3, 7, 11, 0};
    /* Molecules in focus of a plane, between planes, outside the slab; off-centre in pixels. */
    const double pos[][4] = {{1920.0, 1900.0, 600.0, 2000.0},
                             {1777.7, 2011.3, 813.0, 900.0},
                             {2100.2, 1750.9, -150.0, 5000.0},
                             {1850.0, 1980.0, 1420.0, 1500.0}};
    for (size_t m = 0; m < sizeof pos / sizeof pos[0]; m++) {
        double x = pos[m][0], y = pos[m][1], z = pos[m][2], n = pos[m][3];
        CHECK_OK(psf_model_image(&o, x, y, z, n, bg, drift, NULL, SIDE, SIDE, mu, dx, dy, dz, dn));
        const double h[4] = {1e-3, 1e-3, 1e-3, 1e-3 * n};
        double *analytic[4] = {dx, dy, dz, dn};
        for (int p = 0; p < 4; p++) {
            double a[4] = {x, y, z, n}, b[4] = {x, y, z, n};
            a[p] += h[p];
            b[p] -= h[p];
            CHECK_OK(psf_model_image(&o, a[0], a[1], a[2], a[3], bg, drift, NULL, SIDE, SIDE, plus,
                                            NULL, NULL, NULL, NULL));
            CHECK_OK(psf_model_image(&o, b[0], b[1], b[2], b[3], bg, drift, NULL, SIDE, SIDE,
                                            minus, NULL, NULL, NULL, NULL));
            double scale = max_abs(analytic[p], N_PIX);
            CHECK(scale > 0);
            int bad = 0;
            for (int i = 0; i < N_PIX; i++) {
                double fd = (plus[i] - minus[i]) / (2 * h[p]);
                if (fabs(fd - analytic[p][i]) > 1e-6 * scale) bad++;
            }
            if (bad) fprintf(stderr, "molecule %zu, parameter %d: %d pixels off\n", m, p, bad);
            CHECK(bad == 0);
        }
    }
}

/* w'(Δz) against central differences of w, and 0 in focus (so z is invisible to one plane there). */
static void width_slope(void) {
    mumloc_optics o;
    mumloc_optics_default(&o);
    for (double dz = -1500; dz <= 1500; dz += 137.5) {
        double h = 1e-4;
        double fd = (mumloc_psf_width_nm(&o, dz + h) - mumloc_psf_width_nm(&o, dz - h)) / (2 * h);
        CHECK_NEAR(psf_width_slope(&o, dz), fd, 1e-7);
    }
    CHECK(psf_width_slope(&o, 0.0) == 0.0);
}

/* Masses of a unit Gaussian sum to 1 over a wide range, and their derivatives sum to 0. */
static void masses(void) {
    double m[80], dc[80], dw[80];
    psf_masses(3.3 * 192, 150.0, 192.0, -40, 80, m, dc, dw);
    double sm = 0, sc = 0, sw = 0;
    for (int i = 0; i < 80; i++) {
        sm += m[i];
        sc += dc[i];
        sw += dw[i];
    }
    CHECK_NEAR(sm, 1.0, 1e-12);
    CHECK_NEAR(sc, 0.0, 1e-14);
    CHECK_NEAR(sw, 0.0, 1e-14);
}

int main(void) {
    against_simulator();
    against_finite_differences();
    width_slope();
    masses();
    return CHECK_DONE("test_fit_psf_model");
}
