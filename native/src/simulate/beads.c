/* Bead z-stacks for calibration: fixed beads, every rig camera, the stage stepping through z. The
 * cameras see the beads exactly as they see molecules in a movie (sim_render_view with the
 * rig's views), so calibration learns what localization will meet. */
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/runtime.h"
#include "core/range_check.h"
#include "rig/rig_internal.h"
#include "simulate/beads.h"
#include "simulate/rng.h"
#include "simulate/simulator.h"

/* Position draws per bead before giving up on the spacing. */
enum { PLACEMENT_TRIES = 2000, MAX_BEADS = 10000, MAX_STEPS = 100000 };

void mumloc_bead_params_default(mumloc_bead_params *p) {
    if (!p) return;
    memset(p, 0, sizeof *p);
    p->beads = 30;
    p->z_step_nm = 50;
    p->z_from_nm = -600;
    p->z_to_nm = 2200;
    p->photons = 20000;
    p->background_photons = 10;
    p->drift_nm = 0;
    p->margin_nm = 1000;
    p->spacing_nm = 2000;
    p->noise = MUMLOC_NOISE_PHYSICAL;
    p->seed = 1;
}

mumloc_status mumloc_bead_params_validate(const mumloc_bead_params *p) {
    if (!p) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "bead parameters must not be NULL");
    ERROR_TRY(check_int_range("beads", p->beads, 1, MAX_BEADS));
    ERROR_TRY(check_positive("z-step", p->z_step_nm, 1e4, "nm"));
    ERROR_TRY(range_check("z-range start", p->z_from_nm, -1e5, 1e5, "nm"));
    ERROR_TRY(range_check("z-range end", p->z_to_nm, p->z_from_nm, 1e5, "nm"));
    if ((p->z_to_nm - p->z_from_nm) / p->z_step_nm >= MAX_STEPS)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "z-range %g:%g nm in steps of %g nm is over %d steps; use a larger "
                           "--z-step",
                           p->z_from_nm, p->z_to_nm, p->z_step_nm, MAX_STEPS);
    ERROR_TRY(check_positive("bead-photons", p->photons, 1e9, "photons"));
    ERROR_TRY(range_check("background", p->background_photons, 0.0, 1e6, "photons"));
    ERROR_TRY(range_check("bead-drift", p->drift_nm, 0.0, 1e5, "nm"));
    ERROR_TRY(range_check("bead-margin", p->margin_nm, 0.0, 1e6, "nm"));
    ERROR_TRY(range_check("bead-spacing", p->spacing_nm, 0.0, 1e6, "nm"));
    if (p->noise != MUMLOC_NOISE_PHYSICAL && p->noise != MUMLOC_NOISE_NONE)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "noise must be physical or none");
    return MUMLOC_OK;
}

int mumloc_bead_steps(const mumloc_bead_params *p) {
    if (!p || !(p->z_step_nm > 0) || !(p->z_to_nm >= p->z_from_nm)) return 0;
    return (int)floor((p->z_to_nm - p->z_from_nm) / p->z_step_nm + 1e-9) + 1;
}

mumloc_status beads_place(const mumloc_rig *rig, const mumloc_bead_params *p, double *x,
                                 double *y) {
    const double pixel = rig->optics.pixel_nm;
    const double w = rig->width * pixel - 2 * p->margin_nm, h = rig->height * pixel - 2 * p->margin_nm;
    if (!(w > 0) || !(h > 0))
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "bead-margin %g nm leaves no room in camera 1's %d x %d pixel field; use a "
                           "smaller --bead-margin or a larger field",
                           p->margin_nm, rig->width, rig->height);
    philox_rng r = rng_stream(p->seed, 0, RNG_BEADS, 0, 0);
    const double spacing2 = p->spacing_nm * p->spacing_nm;
    for (int b = 0; b < p->beads; b++) {
        int placed = 0;
        for (int attempt = 0; attempt < PLACEMENT_TRIES && !placed; attempt++) {
            x[b] = p->margin_nm + w * rng_uniform(&r);
            y[b] = p->margin_nm + h * rng_uniform(&r);
            placed = 1;
            for (int o = 0; o < b && placed; o++) {
                double dx = x[b] - x[o], dy = y[b] - y[o];
                placed = dx * dx + dy * dy >= spacing2;
            }
        }
        if (!placed)
            return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                               "%d beads do not fit %g nm apart in camera 1's field (%d x %d pixels "
                               "less a %g nm margin; only %d placed); use fewer --beads, a smaller "
                               "--bead-spacing or a larger field",
                               p->beads, p->spacing_nm, rig->width, rig->height, p->margin_nm, b);
    }
    return MUMLOC_OK;
}

void beads_scan(const mumloc_bead_params *p, int step, double *z, double *dx, double *dy) {
    int steps = mumloc_bead_steps(p);
    double t = steps > 1 ? (double)step / (steps - 1) : 0.0;
    philox_rng r = rng_stream(p->seed, 1, RNG_BEADS, 0, 0);
    double angle = 2.0 * 3.14159265358979323846 * rng_uniform(&r);
    *z = p->z_from_nm + step * p->z_step_nm;
    *dx = t * p->drift_nm * cos(angle);
    *dy = t * p->drift_nm * sin(angle);
}

mumloc_status beads_render_step(const mumloc_rig *rig, const mumloc_bead_params *p,
                                       const double *x, const double *y, int step, float *out) {
    const int planes = rig->optics.planes, width = rig->width, height = rig->height;
    const double pixel = rig->optics.pixel_nm;
    double z, dx, dy;
    beads_scan(p, step, &z, &dx, &dy);
    /* weight c such that the planes hold k · c · a'/p² photons in all (plane d its share) */
    const double weight = p->photons * pixel * pixel / (planes * rig->optics.psf_amplitude);
    sim_view views[MUMLOC_MAX_PLANES];
    rig_sim_views(rig, 0, views);
    mumloc_camera camera;
    mumloc_camera_default(&camera);
    camera.background_photons = p->background_photons;
    const size_t area = (size_t)width * height;
    int failed = 0;
    threads_apply();
#pragma omp parallel
    {
        mumloc_emitter *beads = malloc((size_t)p->beads * sizeof *beads);
        mumloc_emitter *mapped = malloc((size_t)p->beads * sizeof *mapped);
        double *signal = malloc(area * sizeof *signal);
        double *scratch = malloc(2 * ((size_t)width + height + 2) * sizeof *scratch);
        int ok = beads && mapped && signal && scratch;
        if (!ok) {
#pragma omp atomic write
            failed = 1;
        }
        for (int b = 0; ok && b < p->beads; b++) {
            mumloc_emitter e = {step, x[b] + dx, y[b] + dy, z, weight, p->photons};
            beads[b] = e;
        }
#pragma omp for schedule(dynamic, 1)
        for (int d = 0; d < planes; d++) {
            if (!ok) continue;
            memset(signal, 0, area * sizeof *signal);
            sim_render_view(&rig->optics, NULL, &views[d], d, width, height, 0, height, 0.0, 0.0,
                                   beads, p->beads, mapped, signal, scratch);
            camera_noise_model cam = sim_camera_model(
                &camera, &views[d], p->noise == MUMLOC_NOISE_PHYSICAL, NULL, 0, NULL);
            float *image = out + (size_t)d * area;
            for (size_t i = 0; i < area; i++) {
                philox_rng r = rng_stream(p->seed, step, RNG_NOISE, d, (uint32_t)i);
                image[i] = (float)camera_pixel(&cam, signal[i], &r);
            }
        }
        free(beads);
        free(mapped);
        free(signal);
        free(scratch);
    }
    if (failed)
        return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "bead stack: out of memory for %d x %d images",
                           width, height);
    return MUMLOC_OK;
}
