/* Per-frame ground truth (emitters) and plane drifts, each a pure function of (seed, frame, params). */
#include <math.h>

#include "core/error.h"
#include "simulate/rng.h"
#include "simulate/samplers.h"
#include "simulate/simulator.h"

/* Uniform on {lo, ..., hi} from whole 32-bit words: Lemire's multiply-and-shift with rejection of the
 * 2^32 mod span words that would favour small values, so the law is exactly uniform. */
static int uniform_count(philox_rng *r, int lo, int hi) {
    uint64_t span = (uint64_t)(hi - lo) + 1;
    uint32_t reject_below = (uint32_t)((((uint64_t)1 << 32) - span) % span);
    for (;;) {
        uint64_t product = (uint64_t)rng_u32(r) * span;
        if ((uint32_t)product >= reject_below) return lo + (int)(product >> 32);
    }
}

static int frame_count(const mumloc_simulator *sim, int64_t frame) {
    const mumloc_sim_params *p = &sim->params;
    if (!(p->density_per_um2 > 0.0)) {
        if (p->molecules_min <= 0) return p->molecules; /* no draw: movies as before the option */
        philox_rng r = rng_stream(p->seed, frame, RNG_COUNT_RANGE, 0, 0);
        return uniform_count(&r, p->molecules_min, p->molecules);
    }
    philox_rng r = rng_stream(p->seed, frame, RNG_COUNT, 0, 0);
    double n = rng_poisson(&r, p->density_per_um2 * sim_field_area_um2(p));
    /* The documented cap (mean + 10·sqrt(mean) + 10) is practically never reached. */
    return n > sim->max_emitters ? sim->max_emitters : (int)n;
}

/* Emitter `index` of `frame`: one Philox block (four uniforms) per emitter. */
static void frame_emitter(const mumloc_simulator *sim, int64_t frame, int index, mumloc_emitter *e) {
    const mumloc_sim_params *p = &sim->params;
    philox_rng r = rng_stream(p->seed, frame, RNG_EMITTER, 0, (uint32_t)index);
    double u0 = rng_uniform(&r), u1 = rng_uniform(&r);
    double u2 = rng_uniform(&r), u3 = rng_uniform(&r);
    e->frame = frame;
    if (p->sample == MUMLOC_SAMPLE_UNIFORM) {
        e->x_nm = u0 * p->width * p->optics.pixel_nm;
        e->y_nm = u1 * p->height * p->optics.pixel_nm;
        e->z_nm = p->z_min_nm + u2 * (p->z_max_nm - p->z_min_nm);
    } else {
        /* Blinking emitters uniform by arc length along the helix or the filaments. */
        double total = sim->curve_end[sim->curve_count - 1];
        sim_curve_point(sim, u0 * total, &e->x_nm, &e->y_nm, &e->z_nm);
    }
    e->weight = p->weight_min + u3 * (p->weight_max - p->weight_min);
    double pixel = p->optics.pixel_nm;
    e->photons = p->optics.planes * e->weight * p->optics.psf_amplitude / (pixel * pixel);
}

int sim_frame_emitters(const mumloc_simulator *sim, int64_t frame, mumloc_emitter *out) {
    int n = frame_count(sim, frame);
    for (int i = 0; i < n; i++) frame_emitter(sim, frame, i, &out[i]);
    return n;
}

/* One axis of a drift: step·s with s uniform on {−⌊max/step⌋, …, ⌊max/step⌋}, or uniform in
 * [−max, max] when step is 0. */
static double drift_axis(double u, double max_nm, double step_nm) {
    if (step_nm <= 0.0) return max_nm * (2.0 * u - 1.0);
    /* The relative nudge makes 48/24 count as 2 steps even if the quotient rounds just below. */
    double steps = floor(max_nm / step_nm * (1.0 + 1e-12));
    double s = floor(u * (2.0 * steps + 1.0)) - steps;
    return step_nm * s;
}

void sim_frame_drift(const mumloc_simulator *sim, int64_t frame, double *dx_dy) {
    const mumloc_sim_params *p = &sim->params;
    dx_dy[0] = dx_dy[1] = 0.0; /* plane 1 is the reference */
    for (int d = 1; d < p->optics.planes; d++) {
        philox_rng r = rng_stream(p->seed, frame, RNG_DRIFT, d, 0);
        double ux = rng_uniform(&r), uy = rng_uniform(&r);
        dx_dy[2 * d] = drift_axis(ux, p->drift_max_nm, p->drift_step_nm);
        dx_dy[2 * d + 1] = drift_axis(uy, p->drift_max_nm, p->drift_step_nm);
    }
    sim_add_camera_drift(sim, frame, dx_dy);
}

static mumloc_status check_frame(const mumloc_simulator *sim, int64_t frame) {
    if (!sim) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "simulator must not be NULL");
    if (frame < 0 || frame >= RNG_MAX_FRAME)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "frame index must be between 0 and %lld (got %lld)",
                           (long long)RNG_MAX_FRAME - 1, (long long)frame);
    return MUMLOC_OK;
}

mumloc_status mumloc_simulate_truth(const mumloc_simulator *sim, int64_t frame, mumloc_emitter *out,
                                    int cap, int *count) {
    ERROR_TRY(check_frame(sim, frame));
    if (!count) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "simulate truth: count must not be NULL");
    *count = 0;
    int n = frame_count(sim, frame);
    if (n > 0 && (!out || cap < n))
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "simulate truth: frame %lld has %d emitters but the buffer holds %d; size "
                           "it with mumloc_simulator_max_emitters (%d)",
                           (long long)frame, n, out ? cap : 0, sim->max_emitters);
    for (int i = 0; i < n; i++) frame_emitter(sim, frame, i, &out[i]);
    *count = n;
    return MUMLOC_OK;
}

mumloc_status mumloc_simulate_drift(const mumloc_simulator *sim, int64_t frame, double *dx_dy) {
    ERROR_TRY(check_frame(sim, frame));
    if (!dx_dy) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "simulate drift: dx_dy must not be NULL");
    sim_frame_drift(sim, frame, dx_dy);
    return MUMLOC_OK;
}
