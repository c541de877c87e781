/* Simulator handle: validated parameters, the emitter bound, and the sample's structure. */
#include <math.h>
#include <stdlib.h>

#include "core/error.h"
#include "optics/psf_interface.h"
#include "simulate/poisson_table.h"
#include "simulate/simulator.h"
#include "simulate/ziggurat_build.h"

/* Tables up to λ + 64 cover the signal of nearly every pixel of typical frames. */
#define SHIFTED_TABLES 64
#define SHIFTED_TABLES_MAX_BACKGROUND 100.0
/* Beyond it a single table for λ alone; beyond this, none. */
#define SINGLE_TABLE_MAX_BACKGROUND 1000.0

mumloc_status sim_build_tables(mumloc_simulator *sim) {
    const mumloc_sim_params *p = &sim->params;
    double background = p->camera.background_photons;
    sim->table_count = 0;
    sim->tables = NULL;
    if (p->noise != MUMLOC_NOISE_PHYSICAL || background > SINGLE_TABLE_MAX_BACKGROUND)
        return MUMLOC_OK;
    int count = background <= SHIFTED_TABLES_MAX_BACKGROUND ? SHIFTED_TABLES : 1;
    sim->tables = calloc((size_t)count, sizeof *sim->tables);
    if (!sim->tables) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "simulator: out of memory for tables");
    for (int j = 0; j < count; j++) {
        ERROR_TRY(poisson_table_build(background + j, &sim->tables[j]));
        sim->table_count = j + 1;
    }
    return MUMLOC_OK;
}

void sim_free_tables(mumloc_simulator *sim) {
    for (int j = 0; j < sim->table_count; j++) poisson_table_free(&sim->tables[j]);
    free(sim->tables);
    sim->tables = NULL;
    sim->table_count = 0;
}

int sim_density_cap(double mean) {
    return (int)ceil(mean + 10.0 * sqrt(mean) + 10.0);
}

mumloc_status mumloc_simulator_create(const mumloc_sim_params *params, mumloc_simulator **out) {
    if (!out) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "simulator: out must not be NULL");
    *out = NULL;
    ERROR_TRY(mumloc_sim_params_validate(params));
    mumloc_simulator *sim = calloc(1, sizeof *sim);
    if (!sim) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "simulator: out of memory");
    sim->params = *params;
    ziggurat_build(&sim->ziggurat);
    if (params->density_per_um2 > 0.0)
        sim->max_emitters =
            sim_density_cap(params->density_per_um2 * sim_field_area_um2(params));
    else
        sim->max_emitters = params->molecules;
    sim_build_stage_drift(sim);
    sim_build_camera_drift(sim);
    mumloc_status status = sim_build_curves(sim);
    if (status == MUMLOC_OK) status = sim_build_tables(sim);
    if (status != MUMLOC_OK) {
        mumloc_simulator_destroy(sim);
        return status;
    }
    *out = sim;
    return MUMLOC_OK;
}

void mumloc_simulator_destroy(mumloc_simulator *sim) {
    if (!sim) return;
    sim_set_spline(sim, NULL);
    sim_free_curves(sim);
    sim_free_tables(sim);
    free(sim);
}

const mumloc_sim_params *mumloc_simulator_params(const mumloc_simulator *sim) {
    return sim ? &sim->params : NULL;
}

int mumloc_simulator_max_emitters(const mumloc_simulator *sim) { return sim ? sim->max_emitters : 0; }

mumloc_status sim_set_spline(mumloc_simulator *sim, const spline_plane_psf *per_plane) {
    if (!sim) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "simulator must not be NULL");
    const int k = sim->params.optics.planes;
    spline_plane_psf *copies = NULL;
    if (per_plane) {
        psf_model model = {MUMLOC_PSF_SPLINE, &sim->params.optics, per_plane};
        ERROR_TRY(psf_model_check(&model));
        copies = calloc((size_t)k, sizeof *copies);
        if (!copies) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "simulator: out of memory for the PSF");
        for (int d = 0; d < k; d++) {
            mumloc_status st = spline_psf_copy(&per_plane[d], &copies[d]);
            if (st != MUMLOC_OK) {
                for (int e = 0; e < d; e++) spline_psf_free(&copies[e]);
                free(copies);
                return st;
            }
        }
    }
    for (int d = 0; sim->spline && d < k; d++) spline_psf_free(&sim->spline[d]);
    free(sim->spline);
    sim->spline = copies;
    return MUMLOC_OK;
}

const spline_plane_psf *sim_spline(const mumloc_simulator *sim, int plane) {
    return sim->spline ? &sim->spline[plane] : NULL;
}
