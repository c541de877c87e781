/* Simulated stage (sample) drift: per axis a smooth random path, the sum of three slow harmonics
 * sin(π h t + phase), t = frame / frames, with amplitudes falling as 1/h, shifted to 0 at the first
 * frame and scaled so that its largest excursion over the movie is stage_drift_nm laterally (half of
 * it axially). Drawn once at create time from the seed; the camera sees molecules displaced by it
 * while the truth keeps their true positions. */
#include <math.h>
#include <stdlib.h>

#include "core/error.h"
#include "simulate/rng.h"
#include "simulate/simulator.h"

#define HARMONICS 3
#define SAMPLES 1024 /* the excursion is measured on this many points of the movie */
#define PI 3.141592653589793

static double path(const mumloc_simulator *sim, int a, double t) {
    double v = 0.0;
    for (int h = 0; h < HARMONICS; h++)
        v += sim->stage_amplitude[a][h] * sin(PI * (h + 1) * t + sim->stage_phase[a][h]);
    return sim->stage_scale[a] * (v - sim->stage_offset[a]); /* exactly 0 at t = 0 */
}

void sim_build_stage_drift(mumloc_simulator *sim) {
    const mumloc_sim_params *p = &sim->params;
    for (int a = 0; a < 3; a++) {
        philox_rng r = rng_stream(p->seed, 0, RNG_STAGE_DRIFT, 0, (uint32_t)a);
        sim->stage_offset[a] = 0.0;
        sim->stage_scale[a] = 1.0;
        for (int h = 0; h < HARMONICS; h++) {
            double u = rng_uniform(&r), v = rng_uniform(&r);
            sim->stage_amplitude[a][h] = (0.5 + u) / (h + 1);
            sim->stage_phase[a][h] = 2.0 * PI * v;
        }
        sim->stage_offset[a] = path(sim, a, 0.0);
        double largest = 0.0;
        for (int k = 1; k <= SAMPLES; k++) largest = fmax(largest, fabs(path(sim, a, (double)k / SAMPLES)));
        double target = p->stage_drift_nm * (a == 2 ? 0.5 : 1.0);
        sim->stage_scale[a] = largest > 0.0 ? target / largest : 0.0;
    }
}

void sim_stage_drift(const mumloc_simulator *sim, int64_t frame, double *dxyz) {
    double t = (double)frame / (double)sim->params.frames;
    for (int a = 0; a < 3; a++) dxyz[a] = sim->params.stage_drift_nm > 0.0 ? path(sim, a, t) : 0.0;
}

int sim_frame_imaged_emitters(const mumloc_simulator *sim, int64_t frame, mumloc_emitter *out) {
    int n = sim_frame_emitters(sim, frame, out);
    if (!(sim->params.stage_drift_nm > 0.0)) return n;
    double d[3];
    sim_stage_drift(sim, frame, d);
    for (int i = 0; i < n; i++) {
        out[i].x_nm += d[0];
        out[i].y_nm += d[1];
        out[i].z_nm += d[2];
    }
    return n;
}

mumloc_status mumloc_simulate_stage_drift(const mumloc_simulator *sim, int64_t frame, double *dxyz) {
    if (!sim || !dxyz)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "stage drift: sim and dxyz must not be NULL");
    if (frame < 0 || frame >= RNG_MAX_FRAME)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "stage drift: frame index must be between "
                           "0 and %lld (got %lld)", (long long)RNG_MAX_FRAME - 1, (long long)frame);
    sim_stage_drift(sim, frame, dxyz);
    return MUMLOC_OK;
}
