/* Simulation parameters: documented defaults and validation with CLI-worded messages. */
#include <math.h>

#include "core/error.h"
#include "core/range_check.h"
#include "simulate/simulator.h"

void mumloc_sim_params_default(mumloc_sim_params *params) {
    if (!params) return;
    *params = (mumloc_sim_params){0};
    mumloc_optics_default(&params->optics);
    mumloc_camera_default(&params->camera);
    params->noise = MUMLOC_NOISE_PHYSICAL;
    params->sample = MUMLOC_SAMPLE_UNIFORM;
    params->width = 64;
    params->height = 64;
    params->frames = 100;
    params->seed = 1;
    params->molecules = 10;
    params->molecules_min = 0; /* a fixed count */
    params->density_per_um2 = 0.0;
    params->weight_min = 0.3;
    params->weight_max = 1.0;
    params->z_min_nm = 0.0;
    params->z_max_nm = 1600.0;
    params->drift_max_nm = 48.0; /* ±2 steps of 24 nm (science.md §2) */
    params->drift_step_nm = 24.0;
    params->filaments = 5;
    params->stage_drift_nm = 0.0; /* none */
    params->camera_drift_nm = 0.0; /* none */
}

double sim_field_area_um2(const mumloc_sim_params *params) {
    double p_um = params->optics.pixel_nm * 1e-3;
    return (double)params->width * p_um * (double)params->height * p_um;
}

/* The drift and depth ranges are generous bounds on physically meaningful values; beyond them the
 * input is a typo, not an experiment. */
#define DRIFT_LIMIT_NM 2000.0
#define Z_LIMIT_NM 1e5
#define WEIGHT_LIMIT 100.0

mumloc_status mumloc_sim_params_validate(const mumloc_sim_params *params) {
    if (!params) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "params must not be NULL");
    ERROR_TRY(mumloc_optics_validate(&params->optics));
    ERROR_TRY(mumloc_camera_validate(&params->camera));
    if (params->noise != MUMLOC_NOISE_PHYSICAL && params->noise != MUMLOC_NOISE_NONE)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "noise must be physical or none (got %d)",
                           (int)params->noise);
    if (params->sample != MUMLOC_SAMPLE_UNIFORM && params->sample != MUMLOC_SAMPLE_HELIX &&
        params->sample != MUMLOC_SAMPLE_FILAMENTS)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "sample must be uniform, helix or filaments (got %d)", (int)params->sample);
    if (params->width < 1 || params->width > SIM_MAX_SIDE)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "size must be between 1 and %d pixels per side (got width %d)",
                           SIM_MAX_SIDE, params->width);
    if (params->height < 1 || params->height > SIM_MAX_SIDE)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "size must be between 1 and %d pixels per side (got height %d)",
                           SIM_MAX_SIDE, params->height);
    ERROR_TRY(check_int_range("frames", params->frames, 1, SIM_MAX_FRAMES));
    ERROR_TRY(check_int_range("molecules", params->molecules, 0, SIM_MAX_MOLECULES));
    if (params->molecules_min < 0 || params->molecules_min > params->molecules)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "molecules-min (the A of --molecules A-B) must be between 0 (off: "
                           "always molecules) and molecules %d (got %d)",
                           params->molecules, params->molecules_min);
    double area = sim_field_area_um2(params);
    double density_limit = SIM_MAX_MOLECULES / area;
    if (!isfinite(params->density_per_um2) || params->density_per_um2 < 0.0 ||
        params->density_per_um2 > density_limit)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "density must be between 0 and %g molecules per um^2 on this %dx%d field "
                           "of %g um^2 (at most %d molecules per frame on average) (got %g)",
                           density_limit, params->width, params->height, area,
                           SIM_MAX_MOLECULES, params->density_per_um2);
    ERROR_TRY(range_check("weight-min", params->weight_min, 0.0, WEIGHT_LIMIT, ""));
    ERROR_TRY(range_check("weight-max", params->weight_max, 0.0, WEIGHT_LIMIT, ""));
    if (params->weight_min > params->weight_max)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "weight-min must not exceed weight-max %g (got %g)", params->weight_max,
                           params->weight_min);
    ERROR_TRY(range_check("z-min", params->z_min_nm, -Z_LIMIT_NM, Z_LIMIT_NM, "nm"));
    ERROR_TRY(range_check("z-max", params->z_max_nm, -Z_LIMIT_NM, Z_LIMIT_NM, "nm"));
    if (params->z_min_nm > params->z_max_nm)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "z-min must not exceed z-max %g nm (got %g)",
                           params->z_max_nm, params->z_min_nm);
    ERROR_TRY(range_check("drift", params->drift_max_nm, 0.0, DRIFT_LIMIT_NM, "nm"));
    ERROR_TRY(range_check("drift-step", params->drift_step_nm, 0.0, DRIFT_LIMIT_NM, "nm"));
    ERROR_TRY(check_int_range("filaments", params->filaments, 1, SIM_MAX_FILAMENTS));
    ERROR_TRY(range_check("stage-drift", params->stage_drift_nm, 0.0, DRIFT_LIMIT_NM, "nm"));
    ERROR_TRY(range_check("camera-drift", params->camera_drift_nm, 0.0, DRIFT_LIMIT_NM,
                                  "nm"));
    return MUMLOC_OK;
}
