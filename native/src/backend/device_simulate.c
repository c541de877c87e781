/* mumloc_simulate_frames_on: the simulator on the chosen device. The host decides emitters and drifts
 * (the CPU's own code, a small share of the work); the CUDA object renders and adds noise. */
#include <stdlib.h>
#include <string.h>

#include "backend/device.h"
#include "core/error.h"
#include "core/runtime.h"
#include "optics/plane_optics.h"
#include "simulate/simulator.h"

/* The pixel model's fields, as frames.c sets them for the CPU. */
static camera_noise_model camera_model(const mumloc_simulator *sim) {
    const mumloc_sim_params *p = &sim->params;
    camera_noise_model cam;
    memset(&cam, 0, sizeof cam);
    cam.background = p->camera.background_photons;
    cam.read_noise = p->camera.read_noise_e;
    cam.em_gain = p->camera.em_gain;
    cam.adu_gain = p->camera.adu_per_electron;
    cam.offset = p->camera.offset_adu;
    cam.physical = p->noise == MUMLOC_NOISE_PHYSICAL;
    cam.tables = sim->tables;
    cam.table_count = sim->table_count;
    cam.ziggurat = &sim->ziggurat;
    return cam;
}

static mumloc_status simulate_cuda(const mumloc_simulator *sim, int device, int64_t first,
                                   int64_t count, float *pixels) {
    const mumloc_sim_params *p = &sim->params;
    const int planes = p->optics.planes, stride = sim->max_emitters + 1;
    cuda_sim_job job;
    memset(&job, 0, sizeof job);
    job.width = p->width;
    job.height = p->height;
    job.planes = planes;
    job.first_frame = first;
    job.frames = count;
    job.seed = p->seed;
    job.pixel_nm = p->optics.pixel_nm;
    job.psf_amplitude = p->optics.psf_amplitude;
    for (int d = 0; d < planes; d++) {
        job.plane_psf[d] = mumloc_optics_plane_psf(&p->optics, d);
        job.plane_gain[d] = optics_plane_gain(&p->optics, d);
    }
    memcpy(job.depth_nm, p->optics.plane_depth_nm, sizeof job.depth_nm);
    job.spline_psf = sim->spline != NULL;
    for (int d = 0; job.spline_psf && d < planes; d++) job.spline[d] = sim->spline[d];
    job.camera = camera_model(sim);
    job.emitter_stride = stride;
    double *drift = malloc((size_t)count * 2 * planes * sizeof *drift);
    int *counts = malloc((size_t)count * sizeof *counts);
    mumloc_emitter *emitters = malloc((size_t)count * stride * sizeof *emitters);
    mumloc_status st = MUMLOC_OK;
    if (!drift || !counts || !emitters)
        st = error_fail(MUMLOC_ERR_OUT_OF_MEMORY,
                         "simulate frames on CUDA: no host memory for %lld frames' emitters; "
                         "simulate fewer frames per call", (long long)count);
    if (st == MUMLOC_OK) {
        threads_apply(); /* the library's thread count */
#pragma omp parallel for schedule(dynamic, 4)
        for (int64_t f = 0; f < count; f++) {
            counts[f] = sim_frame_imaged_emitters(sim, first + f, emitters + f * stride);
            sim_frame_drift(sim, first + f, drift + f * 2 * planes);
        }
        job.drift = drift;
        job.emitter_count = counts;
        job.emitters = emitters;
        st = device_cuda_probe_cached()->api->simulate(device, &job, pixels);
    }
    free(drift);
    free(counts);
    free(emitters);
    return st;
}

mumloc_status mumloc_simulate_frames_on(const mumloc_simulator *sim, mumloc_device device,
                                        int64_t first, int64_t count, float *pixels) {
    mumloc_device_choice choice;
    ERROR_TRY(mumloc_device_resolve(device, &choice));
    if (choice.device.kind == MUMLOC_DEVICE_CPU || !sim || count <= 0 || first < 0 || !pixels ||
        first > RNG_MAX_FRAME - count)
        return mumloc_simulate_frames(sim, first, count, pixels); /* which also validates */
    return simulate_cuda(sim, choice.device.index, first, count, pixels);
}
