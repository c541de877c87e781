/* Simulated slow camera drift (mumloc_sim_params.camera_drift_nm): a real rig's planes drift against
 * plane 1 as the registration creeps (thermal expansion, mechanical settling), slowly over a movie,
 * not a new draw each frame. Per plane 2..k and axis: a constant drawn uniform in ±A/2 plus a smooth
 * random path within ±A/2 — three slow harmonics sin(π h t + phase), t = frame / frames, amplitudes
 * falling as 1/h, scaled so that their largest excursion over the movie is A/2 — so the drift always
 * lies within ±A. Drawn once at create time from the seed; added to the per-frame draws. */
#include <math.h>

#include "simulate/rng.h"
#include "simulate/simulator.h"

#define HARMONICS 3
#define SAMPLES 1024 /* the excursion is measured on this many points of the movie */
#define PI 3.141592653589793

static double harmonics(const mumloc_simulator *sim, int d, int a, double t) {
    double v = 0.0;
    for (int h = 0; h < HARMONICS; h++)
        v += sim->camera_amplitude[d][a][h] * sin(PI * (h + 1) * t + sim->camera_phase[d][a][h]);
    return v;
}

void sim_build_camera_drift(mumloc_simulator *sim) {
    const mumloc_sim_params *p = &sim->params;
    const double half = 0.5 * p->camera_drift_nm;
    for (int d = 1; d < p->optics.planes && half > 0.0; d++)
        for (int a = 0; a < 2; a++) {
            philox_rng r = rng_stream(p->seed, 0, RNG_CAMERA_DRIFT, (uint32_t)d,
                                             (uint32_t)a);
            sim->camera_constant[d][a] = half * (2.0 * rng_uniform(&r) - 1.0);
            for (int h = 0; h < HARMONICS; h++) {
                double u = rng_uniform(&r), v = rng_uniform(&r);
                sim->camera_amplitude[d][a][h] = (0.5 + u) / (h + 1);
                sim->camera_phase[d][a][h] = 2.0 * PI * v;
            }
            double largest = 0.0;
            for (int s = 0; s <= SAMPLES; s++)
                largest = fmax(largest, fabs(harmonics(sim, d, a, (double)s / SAMPLES)));
            const double scale = largest > 0.0 ? half / largest : 0.0;
            for (int h = 0; h < HARMONICS; h++) sim->camera_amplitude[d][a][h] *= scale;
        }
}

void sim_add_camera_drift(const mumloc_simulator *sim, int64_t frame, double *dx_dy) {
    const mumloc_sim_params *p = &sim->params;
    if (!(p->camera_drift_nm > 0.0)) return;
    const double t = (double)frame / (double)p->frames;
    for (int d = 1; d < p->optics.planes; d++)
        for (int a = 0; a < 2; a++)
            dx_dy[2 * d + a] += sim->camera_constant[d][a] + harmonics(sim, d, a, t);
}
